/**
 * Reminders: a few minutes before a timed status this app set ends, a message in the user's 1:1 chat with the
 * bot, whose buttons extend it. A job is planned when the status is set (presence/jobs.ts) and checks, when it
 * comes due, that the status is still the one it was planned for: a status extended, replaced or reset through
 * this app since (or reminders turned off) makes it a no-op. The check reads this app's record, not Graph: a
 * status changed in the Teams client alone still gets its reminder. A changed lead applies from the next status.
 */
import { FinalJobFailure, type Job, type JobHandler, type JobScheduler } from './jobs';
import type { AppSetting, PresenceLedger, UserContact, UserRecord } from './ledger';
import type { Logger } from './log';
import { DEFAULT_REMINDER_LEAD_MS, isStateName, type StateName } from './model';
import { tracedLogger, type Span } from './telemetry';
import type { Identity } from './tokens/identity';

export const REMINDER_JOB = 'reminder';

export type Slot = 'preferred' | 'session';

/** What a reminder says: which status ends, when, and how long it has been set for. */
export interface Reminder {
  readonly state: StateName;
  readonly expiresAt: Date;
}

/** Sends a reminder to the user's chat (the bot's proactive message, bot/proactive.ts). */
export interface ReminderNotifier {
  remind(contact: UserContact, reminder: Reminder): Promise<void>;
}

export interface RemindersOptions {
  readonly scheduler: Pick<JobScheduler, 'schedule'>;
  readonly ledger: Pick<PresenceLedger, 'get'>;
  readonly notifier: ReminderNotifier;
  readonly logger: Logger;
}

/** A status shorter than twice the lead gets no reminder: it would come almost as soon as it was set. */
export function shortestReminded(leadMs: number): number {
  return 2 * leadMs;
}

/** The lead a record asks for: null when off. */
export function reminderLead(record: Pick<UserRecord, 'reminders'>): number | null {
  return record.reminders ? record.reminders.leadMs : DEFAULT_REMINDER_LEAD_MS;
}

export class Reminders implements JobHandler {
  constructor(private readonly options: RemindersOptions) {}

  /**
   * Plans the reminder of a status just set for `durationMs`: none when reminders are off, or when the status is
   * shorter than twice the lead (a reminder would come almost as soon as it was set: under 20 minutes by default).
   */
  async plan(identity: Identity, slot: Slot, setting: AppSetting, durationMs: number, record: Pick<UserRecord, 'reminders'>, trace?: Span): Promise<void> {
    const lead = reminderLead(record);
    if (lead === null || durationMs < shortestReminded(lead)) return;
    await this.options.scheduler.schedule(
      identity,
      {
        kind: REMINDER_JOB,
        dueAt: new Date(setting.expiresAt.getTime() - lead),
        payload: { slot, state: setting.state, expiresAt: setting.expiresAt.toISOString() },
      },
      trace,
    );
  }

  async run(job: Job, trace: Span): Promise<void> {
    const planned = plannedFor(job);
    if (!planned) return;
    const record = await this.options.ledger.get(job.owner, trace);
    const current = record[planned.slot];
    const unchanged = current?.state === planned.state && current.expiresAt.getTime() === planned.expiresAt.getTime();
    if (!unchanged || reminderLead(record) === null) return;
    if (!record.contact) {
      // Set from the tab by someone who never chatted with the bot: there is no chat to remind them in.
      tracedLogger(this.options.logger, trace).info('reminder not sent: no chat with the bot', { tenantId: job.owner.tenantId });
      return;
    }
    await this.options.notifier.remind(record.contact, { state: planned.state, expiresAt: planned.expiresAt });
  }

  gaveUp(job: Job, error: unknown, trace: Span): Promise<void> {
    // The chat is what failed: there is nowhere else to say so.
    const reason = error instanceof FinalJobFailure ? error.reason : undefined;
    tracedLogger(this.options.logger, trace).error('reminder not delivered', { tenantId: job.owner.tenantId, attempts: job.attempt + 1, reason, error });
    return Promise.resolve();
  }
}

function plannedFor(job: Job): { slot: Slot; state: StateName; expiresAt: Date } | undefined {
  const { slot, state, expiresAt } = job.payload;
  if ((slot !== 'preferred' && slot !== 'session') || !isStateName(state) || typeof expiresAt !== 'string') return undefined;
  const at = new Date(expiresAt);
  return Number.isNaN(at.getTime()) ? undefined : { slot, state, expiresAt: at };
}

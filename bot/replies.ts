import { PRODUCT_RULES, STATES, durationLimits, type StateName } from '../presence/model';
import { ERROR_CODES, type PresenceError } from '../presence/errors';
import type { ClearPart, PartFailure, PresenceOutcome, SetPart } from '../presence/service';
import { card, heading, helpCard, presenceActions, text, type AdaptiveCard } from './cards';
import { formatDuration, formatEnd } from './format';
import type { BotMessages } from './messages';
import type { ParseError } from './parse';

/** What the bot sends: a sentence (the plain-text fallback) and, usually, a card. */
export interface Reply {
  readonly text: string;
  readonly card?: AdaptiveCard;
}

export interface ReplyContext {
  readonly m: BotMessages;
  readonly now: Date;
  readonly timeZone?: string;
  readonly locale?: string;
}

export function outcomeReply(outcome: PresenceOutcome, ctx: ReplyContext): Reply {
  const { m } = ctx;
  const end = (at: Date) => formatEnd(at, ctx.now, ctx.timeZone, ctx.locale);
  switch (outcome.kind) {
    case 'set': {
      const label = m.stateLabel[outcome.state];
      const lines = [
        m.until(end(outcome.expiresAt)),
        ...(outcome.usedDefault ? [m.defaultDuration(formatDuration(outcome.expiresAt.getTime() - ctx.now.getTime(), m))] : []),
        ...(outcome.statusMessage ? [m.statusMessage(outcome.statusMessage)] : []),
        ...(outcome.shadowedBy ? [m.shadowed(label, m.availabilityLabel(outcome.shadowedBy.availability, outcome.shadowedBy.activity))] : []),
        ...(outcome.partial ? [partialLine(m, outcome.partial, m.notDone.set)] : []),
        ...(outcome.storeFailure ? [m.notRecorded(outcome.storeFailure.correlationId)] : []),
      ];
      const title = m.setTitle(label);
      return {
        text: [title, ...lines].join(' '),
        card: card([heading(title, STATES[outcome.state].availability), ...lines.map((l, i) => text(l, i === 0 ? { weight: 'Bolder' } : { isSubtle: i > 0 }))],
          presenceActions(m, { state: outcome.state, until: outcome.expiresAt })),
      };
    }
    case 'cleared': {
      const title = outcome.partial ? m.resetPartly : m.resetDone;
      const lines = [
        title,
        ...(outcome.partial ? [partialLine(m, outcome.partial, m.notDone.cleared)] : []),
        ...(outcome.storeFailure ? [m.notRecorded(outcome.storeFailure.correlationId)] : []),
      ];
      return { text: lines.join(' '), card: card([heading(title), ...lines.slice(1).map((l) => text(l))], presenceActions(m)) };
    }
    case 'forgotten':
      return { text: m.forgotten(outcome.records) };
    case 'read': {
      const { presence } = outcome;
      const label = m.availabilityLabel(presence.availability, presence.activity);
      const now = m.statusNow(label, m.sourceLabel[presence.source]);
      const set = [outcome.preferred, outcome.session].filter((s) => s !== undefined);
      const lines = [
        ...(presence.statusMessage ? [m.statusMessage(presence.statusMessage)] : []),
        ...(outcome.storeFailure
          ? [m.recordUnreadable(outcome.storeFailure.correlationId)]
          : set.length ? set.map((s) => m.statusAppSet(m.stateLabel[s.state], end(s.expiresAt))) : [m.statusNothingSet]),
      ];
      const latest = outcome.preferred ?? outcome.session;
      return {
        text: [now, ...lines].join(' '),
        card: card([heading(now, presence.availability), ...lines.map((l) => text(l))], presenceActions(m, latest && { state: latest.state, until: latest.expiresAt })),
      };
    }
  }
}

/** What did not happen, in one sentence, with the references of the failures that were not the user's doing. */
function partialLine<P extends SetPart | ClearPart>(m: BotMessages, failures: readonly PartFailure<P>[], notDone: Record<P, string>): string {
  const references = failures.filter((f) => !ERROR_CODES[f.code].expected).map((f) => f.correlationId);
  return m.partial(m.list(failures.map((f) => notDone[f.part])), references.length ? m.list(references) : undefined);
}

export function parseErrorReply(error: ParseError, m: BotMessages): Reply {
  switch (error.code) {
    case 'unknown_command': {
      // A near miss gets its suggestion alone; the help card is for text that is no command at all.
      if (error.suggestion) return { text: m.didYouMean(error.suggestion) };
      return { text: m.unknownCommand, card: helpCard(m, m.unknownCommand) };
    }
    case 'bad_duration':
      return { text: m.badDuration(m.stateLabel[error.state]) };
    case 'duration_out_of_range':
      return { text: rangeText(error.state, m) };
    case 'status_message_too_long':
      return { text: m.statusMessageTooLong(PRODUCT_RULES.statusMessageMaxLength) };
    case 'end_time_passed':
      return { text: m.endTimePassed(m.stateLabel[error.state]) };
    case 'unknown_state':
      return { text: m.unknownState(error.typed) };
  }
}

export function rangeText(state: StateName, m: BotMessages): string {
  const { minMs, maxMs } = durationLimits(state);
  return m.durationOutOfRange(m.stateLabel[state], formatDuration(minMs, m), formatDuration(maxMs, m));
}

export function errorReply(err: PresenceError, m: BotMessages, correlationId: string): Reply {
  const sentence = m.errors[err.code]({ retryAfterSeconds: err.retryAfterSeconds, field: err.field });
  const full = err.unexpected ? `${sentence} ${m.correlation(correlationId)}` : sentence;
  return { text: full };
}

export function helpReply(m: BotMessages): Reply {
  return { text: m.help.title, card: helpCard(m) };
}

export function welcomeReply(m: BotMessages): Reply {
  return { text: m.welcome.title, card: helpCard(m, `${m.welcome.title} ${m.welcome.intro}`) };
}

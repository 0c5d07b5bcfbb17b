import { CardFactory, type Activity } from 'botbuilder';
import { PRODUCT_RULES, STATES, durationLimits, type StateName } from '../presence/model';
import { ERROR_CODES, type PresenceError } from '../presence/errors';
import { shortestReminded } from '../presence/reminders';
import type { PlannedStatus } from '../presence/ledger';
import type { ClearPart, PartFailure, PresenceOutcome, SetPart } from '../presence/service';
import type { TimerNotice } from '../presence/timers';
import { card, heading, helpCard, presenceActions, reminderCard, submit, text, type AdaptiveCard, type AdaptiveElement } from './cards';
import { formatDuration, formatEnd, formatSpan } from './format';
import type { Language } from '../i18n/languages';
import type { BotMessages } from './messages';
import type { ParseError } from './parse';

/**
 * What the bot sends: one message. `text` is what the user reads: the message's text alone, or, with a card, the
 * activity's summary (notifications, the feed) and the card's fallback text, while the card says it in full.
 */
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

/**
 * One message: the card with the sentences as its summary, or the sentences alone (never both, which shows two
 * bubbles). `lang` is the catalog's language, set on the card so Teams renders its dates and text in it.
 */
export function replyActivity(reply: Reply, lang: Language): Partial<Activity> {
  return reply.card ? { summary: reply.text, attachments: [CardFactory.adaptiveCard({ ...reply.card, lang })] } : { text: reply.text };
}

/** A reply that is a card: its fallback text is what the user reads in a notification or without the card. */
export function cardReply(c: AdaptiveCard): Reply {
  return { text: c.fallbackText, card: c };
}

/** A card of a heading and sentences (the first one stressed); the sentences are also its fallback text. */
function sentencesCard(title: AdaptiveElement, sentences: readonly string[], actions: AdaptiveElement[]): Reply {
  return cardReply(card(sentences.join(' '), [title, ...sentences.map((l, i) => text(l, i === 0 ? { weight: 'Bolder' } : {}))], actions));
}

export function outcomeReply(outcome: PresenceOutcome, ctx: ReplyContext): Reply {
  const { m } = ctx;
  const end = (at: Date) => formatEnd(at, ctx.now, ctx.timeZone, ctx.locale);
  const span = (p: PlannedStatus) => formatSpan(p.startAt, p.endAt, ctx.now, ctx.timeZone, ctx.locale);
  switch (outcome.kind) {
    case 'set': {
      const label = m.stateLabel[outcome.state];
      const when = end(outcome.expiresAt);
      const notes = [
        ...(outcome.usedDefault ? [m.defaultDuration(formatDuration(outcome.expiresAt.getTime() - ctx.now.getTime(), m))] : []),
        ...(outcome.statusMessage ? [m.statusMessage(outcome.statusMessage)] : []),
        ...(outcome.comesBack ? [m.comesBack(m.stateLabel[outcome.comesBack.state], end(outcome.comesBack.expiresAt))] : []),
        ...(outcome.partial ? [partialLine(m, outcome.partial, m.notDone.set)] : []),
        ...(outcome.storeFailure ? [m.notRecorded(outcome.storeFailure.correlationId)] : []),
      ];
      const actions = presenceActions(m, ctx.now, outcome);
      const { shadowedBy } = outcome;
      if (shadowedBy) {
        // The heading says what people see; the explanation and the Reset button follow.
        const shown = m.availabilityLabel(shadowedBy.availability, shadowedBy.activity);
        return sentencesCard(heading(m.peopleSee(shown), shadowedBy.availability), [m.shadowed(label, when, shown), ...notes], actions);
      }
      return sentencesCard(heading(label, STATES[outcome.state].availability), [m.statusSet(label, when), ...notes], actions);
    }
    case 'cleared': {
      const { now } = outcome;
      const lines = [
        outcome.partial ? m.resetPartly : m.resetDone,
        ...(now ? [m.resetShows(m.availabilityLabel(now.presence.availability, now.presence.activity))] : []),
        ...(outcome.partial ? [partialLine(m, outcome.partial, m.notDone.cleared)] : []),
        ...(outcome.storeFailure ? [m.notRecorded(outcome.storeFailure.correlationId)] : []),
      ];
      return sentencesCard(heading(m.resetTitle), lines, presenceActions(m, ctx.now));
    }
    case 'forgotten':
      return { text: m.forgotten(outcome.records) };
    case 'planned':
      return plansReply(
        outcome.planned,
        ctx,
        outcome.added && {
          id: outcome.added.id,
          sentences: [
            m.plans.added(m.stateLabel[outcome.added.state], span(outcome.added)),
            ...(outcome.added.statusMessage ? [m.statusMessage(outcome.added.statusMessage)] : []),
          ],
        },
      );
    case 'unplanned': {
      const { cancelled } = outcome;
      if (!cancelled) return { text: m.plans.nothingToCancel };
      return plansReply(outcome.planned, ctx, { id: cancelled.id, sentences: [m.plans.cancelled(m.stateLabel[cancelled.state], span(cancelled))] });
    }
    case 'reminders':
      return {
        text: outcome.leadMs === null ? m.remindersOff : m.remindersOn(formatDuration(outcome.leadMs, m), formatDuration(shortestReminded(outcome.leadMs), m)),
      };
    case 'read': {
      const { presence } = outcome;
      const label = m.availabilityLabel(presence.availability, presence.activity);
      const set = [outcome.preferred, outcome.session].filter((s) => s !== undefined);
      const lines = [
        m.statusNow(label, m.sourceLabel[presence.source]),
        ...(presence.statusMessage ? [m.statusMessage(presence.statusMessage)] : []),
        ...(outcome.storeFailure
          ? [m.recordUnreadable(outcome.storeFailure.correlationId)]
          : set.length
            ? set.map((s) => m.statusAppSet(m.stateLabel[s.state], end(s.expiresAt)))
            : [m.statusNothingSet]),
        ...[outcome.comesBack?.preferred, outcome.comesBack?.session].flatMap((s) => (s ? [m.comesBack(m.stateLabel[s.state], end(s.expiresAt))] : [])),
        ...(outcome.planned?.[0] ? [m.plans.next(m.stateLabel[outcome.planned[0].state], span(outcome.planned[0]), outcome.planned.length - 1)] : []),
      ];
      return sentencesCard(heading(label, presence.availability), lines, presenceActions(m, ctx.now, outcome.preferred ?? outcome.session));
    }
  }
}

/**
 * What is planned, each with a cancel button (at most 5: a card's buttons must fit). After a change (`lead`: the
 * plan added or cancelled, in sentences), the others follow under "Also planned".
 */
function plansReply(planned: readonly PlannedStatus[], ctx: ReplyContext, lead?: { id: string; sentences: readonly string[] }): Reply {
  const { m } = ctx;
  const others = planned.filter((p) => p.id !== lead?.id);
  const items = others.map((p) => m.plans.item(m.stateLabel[p.state], formatSpan(p.startAt, p.endAt, ctx.now, ctx.timeZone, ctx.locale), p.statusMessage));
  const intro = lead ? [...lead.sentences, ...(others.length ? [m.plans.others] : [])] : planned.length ? [] : [m.plans.none];
  const body = [heading(m.plans.title), ...intro.map((l, i) => text(l, i === 0 ? { weight: 'Bolder' } : {})), ...items.map((l) => text(l))];
  const buttons = planned
    .slice(0, 5)
    .map((p) =>
      submit(m.plans.cancelButton(m.stateLabel[p.state], formatEnd(p.startAt, ctx.now, ctx.timeZone, ctx.locale)), { type: 'cancelScheduled', id: p.id }),
    );
  return cardReply(card([...intro, ...items].join(' '), body, buttons));
}

/** What did not happen, in one sentence, with the references of the failures that were not the user's doing. */
function partialLine<P extends SetPart | ClearPart>(m: BotMessages, failures: readonly PartFailure<P>[], notDone: Record<P, string>): string {
  const references = failures.filter((f) => !ERROR_CODES[f.code].expected).map((f) => f.correlationId);
  return m.partial(m.list(failures.map((f) => notDone[f.part])), references.length ? m.list(references) : undefined);
}

export function parseErrorReply(error: ParseError, m: BotMessages): Reply {
  switch (error.code) {
    case 'unknown_command': {
      // A near miss gets its suggestion, as a button that runs it; the help card is for text that is no command at all.
      if (error.suggestion) {
        const question = m.didYouMean(error.suggestion);
        return cardReply(card(question, [text(question)], [submit(error.suggestion, { type: 'run', text: error.suggestion })]));
      }
      return cardReply(helpCard(m, m.unknownCommand));
    }
    case 'bad_duration':
      return { text: error.unread ? m.badDurationPart(m.stateLabel[error.state], error.unread) : m.badDuration(m.stateLabel[error.state]) };
    case 'duration_out_of_range':
      return { text: rangeText(error.state, m) };
    case 'status_message_too_long':
      return { text: m.statusMessageTooLong(PRODUCT_RULES.statusMessageMaxLength) };
    case 'end_time_passed':
      return { text: m.endTimePassed(m.stateLabel[error.state]) };
    case 'unknown_state':
      return { text: m.unknownState(error.typed) };
    case 'bad_reminder':
      return { text: m.badReminder(formatDuration(error.minMs, m), formatDuration(error.maxMs, m)) };
    case 'bad_schedule':
      return { text: m.badSchedule(m.stateLabel[error.state]) };
    case 'schedule_passed':
      return { text: m.schedulePassed(m.stateLabel[error.state]) };
    case 'schedule_too_far':
      return { text: m.scheduleTooFar(m.stateLabel[error.state], formatDuration(error.maxMs, m)) };
  }
}

function rangeText(state: StateName, m: BotMessages): string {
  const { minMs, maxMs } = durationLimits(state);
  return m.durationOutOfRange(m.stateLabel[state], formatDuration(minMs, m), formatDuration(maxMs, m));
}

export function errorReply(err: PresenceError, m: BotMessages, correlationId: string): Reply {
  const sentence = m.errors[err.code]({ retryAfterSeconds: err.retryAfterSeconds, field: err.field });
  const full = err.unexpected ? `${sentence} ${m.correlation(correlationId)}` : sentence;
  return { text: full };
}

/** The proactive reminder: what ends, when (in the user's zone), and how soon. */
export function reminderReply(state: StateName, expiresAt: Date, ctx: ReplyContext): Reply {
  const { m } = ctx;
  const sentence = m.reminder.text(
    m.stateLabel[state],
    formatEnd(expiresAt, ctx.now, ctx.timeZone, ctx.locale),
    formatDuration(expiresAt.getTime() - ctx.now.getTime(), m),
  );
  return cardReply(reminderCard(m, state, sentence));
}

/**
 * What a timer could not do. Signed out: a card that says why, with a button whose click is a turn (and so signs
 * the user in again). A failure: the sentence and the reference the log has.
 */
export function timerNoticeReply(notice: TimerNotice, m: BotMessages): Reply {
  if (notice.kind === 'signedOut') {
    // The button is an ordinary turn ("status"): with no Graph token at hand, it goes through sign-in.
    const { title, text: sentence, button } = m.timers.signedOut;
    return cardReply(card(sentence, [heading(title), text(sentence)], [submit(button, { type: 'status' })]));
  }
  const { state, timer } = notice;
  const sentence = timer === 'start' || !state ? m.timers.failed.start : m.timers.failed[timer](m.stateLabel[state]);
  return { text: `${sentence} ${m.correlation(notice.correlationId)}` };
}

/**
 * "+1 hour" past the state's limit: nothing changed; one button sets the longest allowed, from when it is clicked.
 * `limitMs`: the limit the service applied (a session's is Graph's 4 hours where no timer renews it), else the state's.
 */
export function extendLimitReply(state: StateName, limitMs: number | undefined, m: BotMessages): Reply {
  const maxMs = limitMs ?? durationLimits(state).maxMs;
  const max = formatDuration(maxMs, m);
  const sentence = m.extendPastLimit(m.stateLabel[state], max);
  return cardReply(card(sentence, [text(sentence)], [submit(m.buttons.longest(max), { type: 'extend', state, byMs: maxMs, upToLimit: true })]));
}

export function helpReply(m: BotMessages): Reply {
  return cardReply(helpCard(m));
}

export function welcomeReply(m: BotMessages): Reply {
  return cardReply(helpCard(m, `${m.welcome.title} ${m.welcome.intro}`));
}

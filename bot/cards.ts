import type { StateName } from '../presence/model';
import { STATES, durationLimits, isStateName } from '../presence/model';
import type { BotMessages } from './messages';

/**
 * What a card button sends back (Action.Submit data). Parsed strictly: it comes from the client. A button carries
 * an intent, resolved when it is clicked, never a time computed when the card was drawn.
 */
export type CardAction =
  | { readonly type: 'set'; readonly state: StateName }
  /** "+1 hour": the end of `state` as set when clicked, moved by `byMs`; `upToLimit` takes the longest allowed instead of a refusal. */
  | { readonly type: 'extend'; readonly state: StateName; readonly byMs: number; readonly upToLimit?: boolean }
  /** "Until end of day": `state` until 17:00 of the day it is clicked, in the user's zone. */
  | { readonly type: 'extendToEndOfDay'; readonly state: StateName }
  /** "Let it end": nothing changes; the reply says so. */
  | { readonly type: 'letEnd'; readonly state: StateName }
  /** A suggested command ("did you mean"), parsed when clicked as if typed. */
  | { readonly type: 'run'; readonly text: string }
  /** Cancels one planned status. */
  | { readonly type: 'cancelScheduled'; readonly id: string }
  | { readonly type: 'listSchedule' }
  | { readonly type: 'reset' }
  | { readonly type: 'status' }
  | { readonly type: 'help' };

const ACTION_KEY = 'presenceAction';
const HOUR = 3_600_000;
const MAX_RUN_TEXT = 400;

export function readCardAction(value: unknown): CardAction | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const action = (value as Record<string, unknown>)[ACTION_KEY];
  if (typeof action !== 'object' || action === null) return undefined;
  const { type, state, until, byMs, upToLimit, text, id } = action as Record<string, unknown>;
  if (type === 'reset' || type === 'status' || type === 'help' || type === 'listSchedule') return { type };
  if (type === 'cancelScheduled') return typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) ? { type, id } : undefined;
  if (type === 'run') return typeof text === 'string' && text.length <= MAX_RUN_TEXT ? { type, text } : undefined;
  if (!isStateName(state)) return undefined;
  if (type === 'extendToEndOfDay' || type === 'letEnd') return { type, state };
  if (type === 'extend') {
    if (typeof byMs !== 'number' || !Number.isInteger(byMs) || byMs <= 0 || (upToLimit !== undefined && typeof upToLimit !== 'boolean')) return undefined;
    return { type, state, byMs, ...(upToLimit ? { upToLimit } : {}) };
  }
  if (type !== 'set') return undefined;
  if (until === undefined) return { type, state };
  // Cards sent before buttons carried intents had "+1 hour" as a set with a fixed end: it meant one more hour.
  return typeof until === 'string' && !Number.isNaN(Date.parse(until)) ? { type: 'extend', state, byMs: HOUR } : undefined;
}

export type AdaptiveElement = Record<string, unknown>;
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
  /** What a client that cannot draw the card shows instead; also the message's summary (bot/replies.ts `cardReply`). */
  fallbackText: string;
}

/** Teams status colours, as Adaptive Card text colours; the label always says it in words too. */
const COLOR: Record<string, string> = {
  Available: 'Good',
  AvailableIdle: 'Good',
  Busy: 'Attention',
  BusyIdle: 'Attention',
  DoNotDisturb: 'Attention',
  BeRightBack: 'Warning',
  Away: 'Warning',
  Offline: 'Default',
};

export function card(fallbackText: string, body: AdaptiveElement[], actions: AdaptiveElement[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
    fallbackText,
  };
}

export const text = (value: string, extra: AdaptiveElement = {}): AdaptiveElement => ({ type: 'TextBlock', text: value, wrap: true, ...extra });

export function heading(value: string, availability?: string): AdaptiveElement {
  return text(value, { size: 'Large', weight: 'Bolder', style: 'heading', ...(availability ? { color: COLOR[availability] ?? 'Default' } : {}) });
}

export function submit(title: string, action: CardAction): AdaptiveElement {
  return { type: 'Action.Submit', title, data: { [ACTION_KEY]: action } };
}

/**
 * The buttons under a presence card: reset, "+1 hour" for a status that ends where one more hour stays within
 * its limit (not for one left to Teams' 7-day default), and the common states.
 */
export function presenceActions(m: BotMessages, now: Date, running?: { state: StateName; expiresAt: Date }): AdaptiveElement[] {
  const extendable = running && running.expiresAt.getTime() + HOUR - now.getTime() <= durationLimits(running.state).maxMs;
  return [
    submit(m.buttons.reset, { type: 'reset' }),
    ...(running && extendable ? [submit(m.buttons.extend, { type: 'extend', state: running.state, byMs: HOUR })] : []),
    submit(m.buttons.available, { type: 'set', state: 'Available' }),
    submit(m.buttons.busy, { type: 'set', state: 'Busy' }),
    submit(m.buttons.dnd, { type: 'set', state: 'DoNotDisturb' }),
  ];
}

export function helpCard(m: BotMessages, lead?: string): AdaptiveCard {
  return card(
    [lead ?? m.help.title, m.help.intro].join(' '),
    [
      ...(lead ? [text(lead, { weight: 'Bolder' })] : []),
      heading(m.help.title),
      text(m.help.intro),
      { type: 'FactSet', facts: m.help.examples.map(([title, value]) => ({ title, value })) },
      text(m.help.durations, { isSubtle: true }),
      text(m.help.footer, { isSubtle: true, size: 'Small' }),
    ],
    [submit(m.buttons.status, { type: 'status' }), submit(m.buttons.dnd, { type: 'set', state: 'DoNotDisturb' }), submit(m.buttons.reset, { type: 'reset' })],
  );
}

/**
 * The reminder before a timed status ends: what ends and when, and what to do about it. Each button is an intent,
 * worked out when it is clicked (a click an hour later still adds to the end as it is then).
 */
export function reminderCard(m: BotMessages, state: StateName, sentence: string): AdaptiveCard {
  return card(
    sentence,
    [heading(m.reminder.title(m.stateLabel[state]), STATES[state].availability), text(sentence, { weight: 'Bolder' })],
    [
      submit(m.buttons.plus30, { type: 'extend', state, byMs: HOUR / 2 }),
      submit(m.buttons.extend, { type: 'extend', state, byMs: HOUR }),
      submit(m.buttons.untilEndOfDay, { type: 'extendToEndOfDay', state }),
      submit(m.buttons.letItEnd, { type: 'letEnd', state }),
    ],
  );
}

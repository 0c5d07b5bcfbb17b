import type { StateName } from '../presence/model';
import { isStateName } from '../presence/model';
import type { BotMessages } from './messages';

/** What a card button sends back (Action.Submit data). Parsed strictly: it comes from the client. */
export type CardAction =
  | { readonly type: 'set'; readonly state: StateName; readonly until?: string }
  | { readonly type: 'reset' }
  | { readonly type: 'status' }
  | { readonly type: 'help' };

const ACTION_KEY = 'presenceAction';

export function readCardAction(value: unknown): CardAction | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const action = (value as Record<string, unknown>)[ACTION_KEY];
  if (typeof action !== 'object' || action === null) return undefined;
  const { type, state, until } = action as Record<string, unknown>;
  if (type === 'reset' || type === 'status' || type === 'help') return { type };
  if (type !== 'set' || !isStateName(state)) return undefined;
  if (until === undefined) return { type, state };
  return typeof until === 'string' && !Number.isNaN(Date.parse(until)) ? { type, state, until } : undefined;
}

export type AdaptiveElement = Record<string, unknown>;
export interface AdaptiveCard { type: 'AdaptiveCard'; $schema: string; version: '1.5'; body: AdaptiveElement[]; actions?: AdaptiveElement[]; msteams?: { width: 'Full' } }

/** Teams status colours, as Adaptive Card text colours; the label always says it in words too. */
const COLOR: Record<string, string> = { Available: 'Good', AvailableIdle: 'Good', Busy: 'Attention', BusyIdle: 'Attention', DoNotDisturb: 'Attention', BeRightBack: 'Warning', Away: 'Warning', Offline: 'Default' };

export function card(body: AdaptiveElement[], actions: AdaptiveElement[] = []): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, ...(actions.length ? { actions } : {}) };
}

export const text = (value: string, extra: AdaptiveElement = {}): AdaptiveElement => ({ type: 'TextBlock', text: value, wrap: true, ...extra });

export function heading(value: string, availability?: string): AdaptiveElement {
  return text(value, { size: 'Large', weight: 'Bolder', style: 'heading', ...(availability ? { color: COLOR[availability] ?? 'Default' } : {}) });
}

export function submit(title: string, action: CardAction): AdaptiveElement {
  return { type: 'Action.Submit', title, data: { [ACTION_KEY]: action } };
}

/** The buttons under a presence card: reset, +1 hour (when something ends), and the common states. */
export function presenceActions(m: BotMessages, extend?: { state: StateName; until: Date }): AdaptiveElement[] {
  return [
    submit(m.buttons.reset, { type: 'reset' }),
    ...(extend ? [submit(m.buttons.extend, { type: 'set', state: extend.state, until: new Date(extend.until.getTime() + 3_600_000).toISOString() })] : []),
    submit(m.buttons.available, { type: 'set', state: 'Available' }),
    submit(m.buttons.busy, { type: 'set', state: 'Busy' }),
    submit(m.buttons.dnd, { type: 'set', state: 'DoNotDisturb' }),
  ];
}

export function helpCard(m: BotMessages, lead?: string): AdaptiveCard {
  return card(
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

/**
 * The parser tables' vocabulary, shared by each language's table (test/bot/parse-<language>.test.ts): a row is a text,
 * an optional clock and zone, and the exact ParseResult expected.
 */
import type { BotCommand, ParseError, ParseResult } from '../../bot/parse';
import type { CommandKey } from '../../bot/words/catalog';
import type { StateName } from '../../presence/model';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
const PREFERRED = { minMs: MIN, maxMs: 7 * DAY };
const SESSION = { minMs: 5 * MIN, maxMs: DAY };

export const command = (c: BotCommand): ParseResult => ({ ok: true, command: c });
export const set = (state: StateName, durationMs?: number, statusMessage?: string): ParseResult =>
  command({ type: 'set', state, ...(durationMs !== undefined && { durationMs }), ...(statusMessage !== undefined && { statusMessage }) });
export const plan = (state: StateName, startAt: string, endAt: string, statusMessage?: string): ParseResult =>
  command({ type: 'schedule', state, startAt: new Date(startAt), endAt: new Date(endAt), ...(statusMessage !== undefined && { statusMessage }) });
export const is = (type: 'reset' | 'status' | 'help' | 'forget' | 'listSchedule' | 'cancelScheduled'): ParseResult => command({ type });
export const remind = (leadMs?: number | null): ParseResult => command(leadMs === undefined ? { type: 'remind' } : { type: 'remind', leadMs });
const fail = (error: ParseError): ParseResult => ({ ok: false, error });
export const unknown = (suggestion?: string) => fail(suggestion === undefined ? { code: 'unknown_command' } : { code: 'unknown_command', suggestion });
/** `unread`: the words the parser names as not understood, as typed. */
export const badDuration = (state: StateName, unread?: string) =>
  fail(unread === undefined ? { code: 'bad_duration', state } : { code: 'bad_duration', state, unread });
export const outOfRange = (state: StateName) =>
  fail({ code: 'duration_out_of_range', state, ...(['InACall', 'InAConferenceCall', 'Presenting'].includes(state) ? SESSION : PREFERRED) });
export const passed = (state: StateName) => fail({ code: 'end_time_passed', state });
export const unknownState = (typed: string) => fail({ code: 'unknown_state', typed });
export const badSchedule = (state: StateName) => fail({ code: 'bad_schedule', state });
export const schedulePassed = (state: StateName) => fail({ code: 'schedule_passed', state });
export const tooFar = (state: StateName) => fail({ code: 'schedule_too_far', state, maxMs: 7 * DAY });
export const badReminder = fail({ code: 'bad_reminder', minMs: MIN, maxMs: HOUR });

export interface Row {
  readonly text: string;
  readonly want: ParseResult;
  readonly now?: string;
  readonly timeZone?: string;
}
export const row = (text: string, want: ParseResult, context: { now?: string; timeZone?: string } = {}): Row => ({ text, want, ...context });

/** The command each word list key stands for, as the parser returns it for the bare word (a missing key is a type error). */
const COMMAND_OF: Readonly<Record<CommandKey, BotCommand>> = {
  dnd: { type: 'set', state: 'DoNotDisturb' },
  busy: { type: 'set', state: 'Busy' },
  available: { type: 'set', state: 'Available' },
  brb: { type: 'set', state: 'BeRightBack' },
  away: { type: 'set', state: 'Away' },
  offline: { type: 'set', state: 'AppearOffline' },
  call: { type: 'set', state: 'InACall' },
  conference: { type: 'set', state: 'InAConferenceCall' },
  presenting: { type: 'set', state: 'Presenting' },
  reset: { type: 'reset' },
  status: { type: 'status' },
  remind: { type: 'remind' },
  'forget me': { type: 'forget' },
  schedule: { type: 'listSchedule' },
  cancel: { type: 'cancelScheduled' },
  help: { type: 'help' },
};

export const commandOf = (key: CommandKey): BotCommand => COMMAND_OF[key];

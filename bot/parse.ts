/**
 * The chat command parser: what a person typed to the bot, as a command or a coded error. It says
 * nothing to the user itself; bot/messages.ts turns codes into sentences.
 */
import { PRODUCT_RULES, durationLimits, type StateName } from '../presence/model';
import { readDuration } from './duration-text';

export type BotCommand =
  | { type: 'set'; state: StateName; durationMs?: number; statusMessage?: string }
  | { type: 'reset' }
  | { type: 'status' }
  /** Delete what the app stored about the sender. */
  | { type: 'forget' }
  | { type: 'help' };

export type ParseError =
  /** Not a command; `suggestion` is the canonical command word of a near miss ("dnf" → "dnd"). */
  | { code: 'unknown_command'; suggestion?: string }
  /** A state command followed by something that is neither a duration, an end time nor a quoted message. */
  | { code: 'bad_duration'; state: StateName }
  /** Zero, negative, too short or too long for the state (durationLimits). */
  | { code: 'duration_out_of_range'; state: StateName; minMs: number; maxMs: number }
  | { code: 'status_message_too_long'; state: StateName; maxLength: number };

export type ParseResult = { ok: true; command: BotCommand } | { ok: false; error: ParseError };

export interface ParseContext {
  readonly now: Date;
  /** The user's IANA time zone (the activity's localTimezone); UTC when absent or unknown. */
  readonly timeZone?: string;
}

/**
 * Every command with the words that ask for it, lower case; `words[0]` is the canonical form (the
 * title in the manifest's commandLists and the "did you mean" suggestion). Descriptions come from
 * the message catalog: stateLabel[state] for a set command.
 */
export type CommandWords =
  | { readonly type: 'set'; readonly state: StateName; readonly words: readonly [string, ...string[]] }
  | {
      readonly type: 'reset' | 'status' | 'forget' | 'help';
      readonly words: readonly [string, ...string[]];
      /** False: not in the manifest's command menu, which holds at most 12 (Teams schema v1.29); help lists it. */
      readonly menu?: false;
    };

export const COMMAND_WORDS: readonly CommandWords[] = [
  { type: 'set', state: 'DoNotDisturb', words: ['dnd', 'do not disturb'] },
  { type: 'set', state: 'Busy', words: ['busy'] },
  { type: 'set', state: 'Available', words: ['available', 'online', 'free'] },
  { type: 'set', state: 'BeRightBack', words: ['brb', 'be right back'] },
  { type: 'set', state: 'Away', words: ['away', 'appear away'] },
  { type: 'set', state: 'AppearOffline', words: ['offline', 'appear offline'] },
  { type: 'set', state: 'InACall', words: ['call', 'in a call'] },
  { type: 'set', state: 'InAConferenceCall', words: ['conference', 'conference call', 'in a conference call'] },
  { type: 'set', state: 'Presenting', words: ['presenting'] },
  { type: 'reset', words: ['reset', 'clear'] },
  { type: 'status', words: ['status'] },
  { type: 'forget', words: ['forget me', 'delete my data'], menu: false },
  { type: 'help', words: ['help', '?'] },
];

/** Each phrase as words, longest first, so "conference call 1h" is not read as "conference" + "call 1h". */
const PHRASES = COMMAND_WORDS.flatMap((entry) => entry.words.map((w) => ({ entry, words: w.split(' ') })))
  .sort((a, b) => b.words.length - a.words.length);

/** Words that may follow reset or status ("reset my status please", "status now"); anything else is suspicious. */
const FILLER = new Set(['please', 'pls', 'plz', 'now', 'my', 'me', 'the', 'it', 'all', 'everything', 'status', 'presence',
  'current', 'currently', 'again', 'to', 'normal', 'back', 'thanks', 'thank', 'you']);

const OPEN_QUOTE = /["“”„«]/;
const CLOSE_QUOTE = /["“”»]/;

export function parseCommand(text: string, context: ParseContext): ParseResult {
  const { before, message, after } = splitQuoted(text.replace(/^(?:\s*<at\b[^>]*>[\s\S]*?<\/at>)+/i, ''));
  const head = splitGlued(words(before)).filter((w, i) => i === 0 || w !== '?');
  const tail = words(after).filter((w) => w !== '?');
  if (!head.length && !tail.length && message === undefined) return ok({ type: 'help' });
  const phrase = PHRASES.find((p) => p.words.every((w, i) => head[i] === w));
  if (!phrase) return fail(unknownCommand(head));
  const rest = [...head.slice(phrase.words.length), ...tail];
  const { entry } = phrase;
  switch (entry.type) {
    case 'help':
      return ok({ type: 'help' });
    case 'reset':
    case 'status':
    case 'forget':
      return message === undefined && rest.every((w) => FILLER.has(w)) ? ok({ type: entry.type }) : fail({ code: 'unknown_command' });
    case 'set':
      return parseSet(entry.state, rest, message, context);
  }
}

function parseSet(state: StateName, rest: readonly string[], message: string | undefined, context: ParseContext): ParseResult {
  let durationMs: number | undefined;
  if (rest.length) {
    durationMs = readDuration(rest, context);
    if (durationMs === undefined) return fail({ code: 'bad_duration', state });
    const { minMs, maxMs } = durationLimits(state);
    if (!(durationMs >= minMs && durationMs <= maxMs)) return fail({ code: 'duration_out_of_range', state, minMs, maxMs });
  }
  const maxLength = PRODUCT_RULES.statusMessageMaxLength;
  if (message !== undefined && message.length > maxLength) return fail({ code: 'status_message_too_long', state, maxLength });
  return ok({ type: 'set', state, ...(durationMs !== undefined && { durationMs }), ...(message !== undefined && { statusMessage: message }) });
}

/** The first quoted text is the status message, case kept; a missing closing quote runs to the end. */
function splitQuoted(text: string): { before: string; message?: string; after: string } {
  const open = text.search(OPEN_QUOTE);
  if (open < 0) return { before: text, after: '' };
  const inside = text.slice(open + 1);
  const close = inside.search(CLOSE_QUOTE);
  const message = (close < 0 ? inside : inside.slice(0, close)).trim();
  return { before: text.slice(0, open), ...(message && { message }), after: close < 0 ? '' : inside.slice(close + 1) };
}

/** Lower-case words without trailing punctuation; "p.m." reads as "pm", a run of "?" as "?". */
function words(text: string): string[] {
  return text.toLowerCase().replace(/[\u200b\ufeff]/g, '').split(/[\s,]+/)
    .map((w) => (/^\?+$/.test(w) ? '?' : w.replace(/[.!?;:]+$/, '').replace(/([ap])\.m$/, '$1m')))
    .filter((w) => w !== '');
}

/** "dnd8h" reads as "dnd 8h". */
function splitGlued(head: string[]): string[] {
  const m = /^([a-z]+)(\d.*)$/.exec(head[0] ?? '');
  return m?.[1] && m[2] && PHRASES.some((p) => p.words.length === 1 && p.words[0] === m[1]) ? [m[1], m[2], ...head.slice(1)] : head;
}

/**
 * A near miss of a command word suggests it: edit distance up to 1 when the shorter of the two has 3-4
 * characters, up to 2 from 5 on, none below 3. Between equally near words, the one that starts like
 * the typed text wins ("ofline": offline, not online).
 */
function unknownCommand(head: readonly string[]): ParseError {
  let best: { suggestion: string; distance: number; prefix: number } | undefined;
  for (const entry of COMMAND_WORDS) {
    for (const word of entry.words) {
      for (let n = 1; n <= word.split(' ').length; n++) {
        const typed = head.slice(0, n).join(' ');
        const shorter = Math.min(typed.length, word.length);
        const limit = shorter <= 2 ? 0 : shorter <= 4 ? 1 : 2;
        if (Math.abs(typed.length - word.length) > limit) continue;
        const distance = editDistance(typed, word);
        const prefix = commonPrefix(typed, word);
        if (distance > limit || (best && (distance > best.distance || (distance === best.distance && prefix <= best.prefix)))) continue;
        best = { suggestion: entry.words[0], distance, prefix };
      }
    }
  }
  return best ? { code: 'unknown_command', suggestion: best.suggestion } : { code: 'unknown_command' };
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

/** Levenshtein distance where swapping two neighbouring letters counts as one edit ("stauts"). */
function editDistance(a: string, b: string): number {
  let older: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (older[j - 2] ?? 0) + 1);
      row.push(d);
    }
    older = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

const ok = (command: BotCommand): ParseResult => ({ ok: true, command });
const fail = (error: ParseError): ParseResult => ({ ok: false, error });

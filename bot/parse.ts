/**
 * The chat command parser: what a person typed to the bot, as a command or a coded error. It says
 * nothing to the user itself; bot/messages.ts turns codes into sentences.
 */
import { DEFAULT_REMINDER_LEAD_MS, PRODUCT_RULES, REMINDER_LEAD, SCHEDULE_AHEAD_MAX_MS, durationLimits, type StateName } from '../presence/model';
import { DEFAULT_LANGUAGE, othersThan, type Language } from '../i18n/languages';
import { endsBareNumber, readDuration, readSchedule, startsDuration, startsSchedule, wholeSeconds } from './duration-text';
import { splitQuoted } from './quotes';
import { wordsOf, type LanguageWords } from './words';
import { fold, halfWidth } from './words/translate';

export type BotCommand =
  | { type: 'set'; state: StateName; durationMs?: number; statusMessage?: string }
  /** From a card's "+1 hour" (never typed): see PresenceRequest's extend. */
  | { type: 'extend'; state: StateName; byMs: number; upToLimit?: boolean }
  /** From a reminder's "Until end of day" (17:00 today in the user's zone, worked out when clicked). */
  | { type: 'extendUntil'; state: StateName; at: Date }
  /** From a reminder's "Let it end": nothing to do but say so. */
  | { type: 'letEnd'; state: StateName }
  | { type: 'reset' }
  | { type: 'status' }
  /** "remind 5m" / "remind off": the reminder before a timed status ends; without `leadMs`, what it is now. null: off. */
  | { type: 'remind'; leadMs?: number | null }
  /** Delete what the app stored about the sender. */
  | { type: 'forget' }
  /** A status planned ahead ("dnd tomorrow 9-11"): from `startAt` to `endAt`, both in the future when parsed. */
  | { type: 'schedule'; state: StateName; startAt: Date; endAt: Date; statusMessage?: string }
  /** "schedule", "what's planned": the statuses planned ahead. */
  | { type: 'listSchedule' }
  /** "cancel" (typed: no `id`, the next planned status) or a card's button for one planned status. */
  | { type: 'cancelScheduled'; id?: string }
  | { type: 'help' };

export type ParseError =
  /**
   * Not a command. For a near miss, `suggestion` is the text with the missed words replaced by the canonical
   * command word ("dnf 8h" → "dnd 8h"), or that word alone when the corrected text is still no command.
   */
  | { code: 'unknown_command'; suggestion?: string }
  /**
   * A state command followed by something that is neither a duration, an end time nor a quoted message. `unread`:
   * the words not understood, as typed, at most 40 characters; absent when they cannot be shown as typed (a reading
   * through another language's words).
   */
  | { code: 'bad_duration'; state: StateName; unread?: string }
  /** Zero, negative, too short or too long for the state (durationLimits). */
  | { code: 'duration_out_of_range'; state: StateName; minMs: number; maxMs: number }
  | { code: 'status_message_too_long'; state: StateName; maxLength: number }
  /** A named time of today that has passed ("till eod" at 18:00). */
  | { code: 'end_time_passed'; state: StateName }
  /** "set me to …" with something that is no state; `typed` is that part, lower case, at most 40 characters. */
  | { code: 'unknown_state'; typed: string }
  /** "remind" followed by something that is neither off nor a lead time within REMINDER_LEAD. */
  | { code: 'bad_reminder'; minMs: number; maxMs: number }
  /**
   * Words after a state that start like a planned status ("from 2pm", "9-11", "2pm to …") but do not read as one,
   * or a range that ends when or before it starts ("4-2", "dnd 3pm-2pm").
   */
  | { code: 'bad_schedule'; state: StateName }
  /** A range of today that has ended ("busy 9-11" at noon): the user probably meant tomorrow. */
  | { code: 'schedule_passed'; state: StateName }
  /** A planned status that starts more than `maxMs` (SCHEDULE_AHEAD_MAX_MS) from now. */
  | { code: 'schedule_too_far'; state: StateName; maxMs: number };

export type ParseResult = { ok: true; command: BotCommand } | { ok: false; error: ParseError };

export interface ParseContext {
  readonly now: Date;
  /** The user's IANA time zone (the activity's localTimezone); UTC when absent or unknown. */
  readonly timeZone?: string;
  /** The user's language (the activity's locale): its words are read first. English when absent. */
  readonly language?: Language;
}

/**
 * Every command with the words that ask for it, lower case; `words[0]` is the canonical form (the
 * title in the manifest's commandLists and the "did you mean" suggestion). Descriptions come from
 * the message catalog: stateLabel[state] for a set command.
 */
export type CommandWords =
  | { readonly type: 'set'; readonly state: StateName; readonly words: readonly [string, ...string[]] }
  | {
      readonly type: 'reset' | 'status' | 'remind' | 'forget' | 'listSchedule' | 'cancelScheduled' | 'help';
      readonly words: readonly [string, ...string[]];
      /** False: not in the manifest's command menu, which holds at most 12 (Teams schema v1.29); help lists it. */
      readonly menu?: false;
    };

export const COMMAND_WORDS: readonly CommandWords[] = [
  { type: 'set', state: 'DoNotDisturb', words: ['dnd', 'do not disturb', 'focus', 'focusing'] },
  { type: 'set', state: 'Busy', words: ['busy', 'in a meeting', 'meeting'] },
  { type: 'set', state: 'Available', words: ['available', 'online', 'free'] },
  { type: 'set', state: 'BeRightBack', words: ['brb', 'be right back'] },
  // Lunch is Away without a duration (Teams' default applies), like "away": how long lunch lasts is the user's to say.
  { type: 'set', state: 'Away', words: ['away', 'appear away', 'out to lunch', 'at lunch', 'lunch', 'gone for lunch', 'gone to lunch', 'lunch break'] },
  { type: 'set', state: 'AppearOffline', words: ['offline', 'appear offline'] },
  { type: 'set', state: 'InACall', words: ['call', 'in a call', 'on a call'] },
  { type: 'set', state: 'InAConferenceCall', words: ['conference', 'conference call', 'in a conference call'] },
  { type: 'set', state: 'Presenting', words: ['presenting'] },
  { type: 'reset', words: ['reset', 'clear'] },
  { type: 'status', words: ['status', 'my status', "what's my status", 'what’s my status', 'whats my status', 'what is my status'] },
  { type: 'remind', words: ['remind', 'reminder', 'reminders', 'remind me'], menu: false },
  { type: 'forget', words: ['forget me', 'delete my data'], menu: false },
  { type: 'listSchedule', words: ['schedule', 'scheduled', 'my schedule', 'planned', "what's planned", 'what’s planned', 'whats planned'], menu: false },
  // "cancel next" says what "cancel" does: the next planned status (a card's button names one by id).
  { type: 'cancelScheduled', words: ['cancel', 'cancel next'], menu: false },
  { type: 'help', words: ['help', '?'] },
];

/** Each phrase as words, longest first, so "conference call 1h" is not read as "conference" + "call 1h". */
const PHRASES = COMMAND_WORDS.flatMap((entry) => entry.words.map((w) => ({ entry, words: w.split(' ') }))).sort((a, b) => b.words.length - a.words.length);

/** Words that may follow reset or status ("reset my status please", "status now"); anything else is suspicious. */
const FILLER = new Set([
  'please',
  'pls',
  'plz',
  'now',
  'my',
  'me',
  'the',
  'it',
  'all',
  'everything',
  'status',
  'presence',
  'current',
  'currently',
  'again',
  'to',
  'normal',
  'back',
  'thanks',
  'thank',
  'you',
]);

/**
 * Words that open a request to set a status ("set me to away", "set my status to busy", "make me dnd 1h",
 * "i'm in a meeting", "can you go offline"): LEAD_START may begin one, then any LEAD words follow.
 */
const LEAD_START = new Set([
  'set',
  'make',
  'change',
  'switch',
  'put',
  'mark',
  'turn',
  'go',
  'please',
  'pls',
  'plz',
  'can',
  'could',
  'would',
  "i'm",
  'i’m',
  'im',
  'i',
]);
const LEAD = new Set([...LEAD_START, 'you', 'me', 'my', 'myself', 'status', 'presence', 'to', 'as', 'on', 'into', 'am', 'now', 'be']);
/** Politeness after a set command ("dnd 8h please"), dropped before reading the duration. */
const POLITE = new Set(['please', 'pls', 'plz', 'thanks', 'thx', 'ty', 'thank', 'you']);

/** An emoji before or after the words stands for a state when no command word is typed ("⛔ 30m", "🟢"). */
const EMOJI_STATES = new Map<string, StateName>([
  ['⛔', 'DoNotDisturb'],
  ['🔴', 'DoNotDisturb'],
  ['🔕', 'DoNotDisturb'],
  ['🟢', 'Available'],
  ['✅', 'Available'],
  ['🟡', 'Away'],
]);
/** Runs of emoji (with skin tones, joiners, flags, tags) and spaces at the start or the end of the text. */
const EMOJI_RUN = String.raw`(?:[\p{Extended_Pictographic}\p{Regional_Indicator}\u{E0020}-\u{E007F}\s]|\p{Emoji_Modifier}|\uFE0F|\u200D)+`;
const EMOJI_CHAR = String.raw`[\p{Extended_Pictographic}\p{Regional_Indicator}\u{E0020}-\u{E007F}\s\p{Emoji_Modifier}\uFE0F\u200D]`;
/** The run at the end starts where no such character is before it: tried once per run, not at each of its characters (linear). */
const EMOJI_EDGES = new RegExp(`^${EMOJI_RUN}|(?<!${EMOJI_CHAR})${EMOJI_RUN}$`, 'gu');

/** A word as typed, normalized (see `words`), with where it is in the text it came from. */
interface Token {
  readonly word: string;
  readonly at: number;
  readonly end: number;
}

/**
 * The command in the text, read in the user's language first, then in the others (English commands work in every
 * language, since people copy them from help pages); ambiguity resolves towards the user's language. When none
 * reads it, the error is the user's language's, with a "did you mean" in that language where one is near.
 */
export function parseCommand(text: string, context: ParseContext): ParseResult {
  const language = context.language ?? DEFAULT_LANGUAGE;
  const mine = parseIn(language, text, context);
  // A command read in the user's language with something wrong after it ("dnd 2 xyz") is theirs to correct.
  if (mine.ok || mine.error.code !== 'unknown_command') return mine;
  for (const other of othersThan(language)) {
    const words = wordsOf(other);
    const english = words ? words.translate(text) : text;
    // None of that language's words in it: its reading is the plain English one, which is read as English's own.
    if (words && english === text) continue;
    const theirs = parse(english, context, false);
    if (theirs.ok) return typedMessageIn(theirs.command, text, words);
  }
  if (mine.error.code !== 'unknown_command' || mine.error.suggestion !== undefined || language === DEFAULT_LANGUAGE) return mine;
  // A near miss of an English command word ("dnf 8h") is still worth suggesting, but not for a word of the user's
  // own language typed right ("cancelar tudo" is no near miss of "cancel").
  const own = wordsOf(language);
  if (own && closestWord(text.trim().split(/\s+/).map(fold), own.nearVocabulary)?.distance === 0) return mine;
  const english = parse(text, context, true);
  return !english.ok && english.error.code === 'unknown_command' && english.error.suggestion !== undefined ? english : mine;
}

/**
 * The command with its unquoted status message as typed: the parser cut it from the English reading, where a word
 * of it may have been read as English ("работаю до завтра" as "работаю until tomorrow"). The message is the end of
 * the words before any quote: the typed words whose own reading is the message's reading.
 */
function typedMessageIn(command: BotCommand, text: string, words: LanguageWords | undefined): ParseResult {
  if (!words || !('statusMessage' in command) || command.statusMessage === undefined || text.includes(command.statusMessage)) return ok(command);
  const { translate } = words;
  const spaced = (s: string) => s.replace(/\s+/g, ' ').trim();
  const read = spaced(command.statusMessage);
  const { before } = splitQuoted(halfWidth(text));
  const starts = [...before.matchAll(/\S+/g)].map((m) => m.index);
  for (let i = starts.length - 1; i >= 0; i--) {
    const typed = before.slice(starts[i]).trim();
    if (spaced(translate(typed)) !== read) continue;
    const maxLength = PRODUCT_RULES.statusMessageMaxLength;
    return typed.length > maxLength ? fail({ code: 'status_message_too_long', state: command.state, maxLength }) : ok({ ...command, statusMessage: typed });
  }
  return ok(command);
}

/** The text in one language: its words turned into the parser's English, a near miss of its own command words suggested. */
function parseIn(language: Language, text: string, context: ParseContext): ParseResult {
  const words = wordsOf(language);
  if (!words) return parse(text, context, true);
  const result = parse(words.translate(text), context, false);
  if (result.ok) return typedMessageIn(result.command, text, words);
  // The unread words are those of the English reading: shown only when they are also what the user typed.
  if (result.error.code === 'bad_duration' && result.error.unread !== undefined && !text.includes(result.error.unread))
    return fail({ code: 'bad_duration', state: result.error.state });
  if (result.error.code !== 'unknown_command') return result;
  const typed = text.trim().split(/\s+/);
  const near = closestWord(typed.map(fold), words.nearVocabulary);
  // A command word typed right with words after it that do not read ("reset 8h") is no near miss.
  if (!near || near.distance === 0) return result;
  const corrected = [near.suggestion, ...typed.slice(near.words)].join(' ');
  return fail({ code: 'unknown_command', suggestion: parse(words.translate(corrected), context, false).ok ? corrected : near.suggestion });
}

/** `suggest`: whether a near miss is corrected and the correction parsed (once: a correction is not corrected again). */
function parse(text: string, context: ParseContext, suggest: boolean): ParseResult {
  const unmentioned = text.replace(/^(?:\s*<at\b[^>]*>[\s\S]*?<\/at>)+/i, '').replace(/[\u200b\ufeff]/g, '');
  let emojiState: StateName | undefined;
  const plain = unmentioned.replace(EMOJI_EDGES, (run) => {
    emojiState ??= [...run].map((c) => EMOJI_STATES.get(c)).find((s) => s !== undefined);
    return ' ';
  });
  const { before, message, after } = splitQuoted(plain);
  const headTokens = splitGlued(tokens(before)).filter((t, i) => i === 0 || t.word !== '?');
  const tail = tokens(after).filter((t) => t.word !== '?');
  const head = headTokens.map((t) => t.word);
  if (!head.length && !tail.length && message === undefined) {
    if (emojiState) return parseSet(emojiState, [], undefined, context, before);
    return unmentioned.trim() === '' ? ok({ type: 'help' }) : fail({ code: 'unknown_command' });
  }
  const lead = leadLength(head);
  const found = findPhrase(head, lead);
  if (!found) {
    if (emojiState && lead === 0) return parseSet(emojiState, [...headTokens, ...tail], message, context, before);
    const typed = head.slice(lead);
    const near = suggest ? nearMiss(typed) : undefined;
    if (!near) return fail(lead > 0 && typed.length ? { code: 'unknown_state', typed: typed.join(' ').slice(0, 40) } : { code: 'unknown_command' });
    const first = headTokens[lead];
    const last = headTokens[lead + near.words - 1];
    const corrected = first && last ? `${plain.slice(0, first.at)}${near.suggestion}${plain.slice(last.end)}`.replace(/\s+/g, ' ').trim() : near.suggestion;
    return fail({ code: 'unknown_command', suggestion: parse(corrected, context, false).ok ? corrected : near.suggestion });
  }
  const { phrase, start } = found;
  const rest = [...headTokens.slice(start + phrase.words.length), ...tail];
  const { entry } = phrase;
  switch (entry.type) {
    case 'help':
      return ok({ type: 'help' });
    case 'reset':
    case 'status':
    case 'forget':
    case 'listSchedule':
      return message === undefined && rest.every((t) => FILLER.has(t.word)) ? ok({ type: entry.type }) : fail({ code: 'unknown_command' });
    case 'cancelScheduled':
      // Politeness only: "cancel all" or "cancel everything" must not cancel just the next one.
      return message === undefined && rest.every((t) => POLITE.has(t.word)) ? ok({ type: 'cancelScheduled' }) : fail({ code: 'unknown_command' });
    case 'remind':
      return message === undefined
        ? parseRemind(
            rest.map((t) => t.word).filter((w) => !FILLER.has(w)),
            context,
          )
        : fail(BAD_REMINDER);
    case 'set':
      return parseSet(entry.state, rest, message, context, before);
  }
}

const BAD_REMINDER: ParseError = { code: 'bad_reminder', ...REMINDER_LEAD };
const OFF = new Set(['off', 'none', 'never', 'no', 'stop']);
const END_TIME_WORDS = new Set(['until', 'till', 'til', 'to', 'by', 'at', 'today', 'tomorrow', 'tonight', 'next', 'noon', 'midnight', 'eod']);

/** "remind" alone asks; "remind off"; "remind on" (the default); "remind 5m" / "remind me 5 minutes before". */
function parseRemind(words: readonly string[], context: ParseContext): ParseResult {
  const [first] = words;
  if (first === undefined) return ok({ type: 'remind' });
  if (words.length === 1 && OFF.has(first)) return ok({ type: 'remind', leadMs: null });
  if (words.length === 1 && first === 'on') return ok({ type: 'remind', leadMs: DEFAULT_REMINDER_LEAD_MS });
  const span = words[words.length - 1] === 'before' ? words.slice(0, -1) : words;
  // A lead is a span ("5m", "10 minutes"), never an end time ("until 5pm").
  const reading = startsDuration(span[0] ?? '') && !END_TIME_WORDS.has(span[0] ?? '') ? readDuration(span, context) : undefined;
  return typeof reading === 'number' && reading >= REMINDER_LEAD.minMs && reading <= REMINDER_LEAD.maxMs
    ? ok({ type: 'remind', leadMs: reading })
    : fail(BAD_REMINDER);
}

/** How many leading words are LEAD words of a request ("set my status to"), or 0 when it does not start like one. */
function leadLength(head: readonly string[]): number {
  if (!LEAD_START.has(head[0] ?? '')) return 0;
  let n = 0;
  while (n < head.length && LEAD.has(head[n] ?? '')) n++;
  return n;
}

/**
 * The command phrase after the lead words. When none starts there, the last lead word may belong to a
 * state phrase ("set me to be right back", "i'm on a call"); only a state may follow a lead that way.
 */
function findPhrase(head: readonly string[], lead: number): { phrase: (typeof PHRASES)[number]; start: number } | undefined {
  const at = (start: number) => PHRASES.find((p) => p.words.every((w, i) => head[start + i] === w));
  const phrase = at(lead);
  if (phrase) return { phrase, start: lead };
  const back = lead > 0 ? at(lead - 1) : undefined;
  return back?.entry.type === 'set' ? { phrase: back, start: lead - 1 } : undefined;
}

/**
 * A state with what follows its word: the longest run of words that reads as a duration, then unquoted
 * words as the status message, as typed ("dnd 8h Deep work"). Words with no duration before them, or
 * that could start another duration ("dnd 2h until 5pm"), or beside a quoted message, are a bad duration.
 * Words that start like a planned status ("tomorrow 9-11", "from 2pm for 1h") are read as one instead.
 */
function parseSet(state: StateName, restTokens: readonly Token[], quoted: string | undefined, context: ParseContext, source: string): ParseResult {
  let rest = restTokens;
  while (rest.length && POLITE.has(rest[rest.length - 1]?.word ?? '')) rest = rest.slice(0, -1);
  const words = rest.map((t) => t.word);
  if (startsSchedule(words)) return parseSchedule(state, rest, quoted, context, source);
  let durationMs: number | undefined;
  let message = quoted;
  if (words.length) {
    let used = Math.min(words.length, 8);
    let reading = readDuration(words.slice(0, used), context);
    while (reading === undefined && --used > 0) reading = readDuration(words.slice(0, used), context);
    if (reading === undefined) return fail(badDuration(state, rest, source));
    if (reading === 'past') return fail({ code: 'end_time_passed', state });
    const unread = rest.slice(used);
    // A bare number is minutes, and a word after it that is nearly a unit ("8 hous", "30 mintues", "90 seconds") is a
    // typo to point out, not a status message to set: "dnd 8 hous" must never be Do not disturb for 8 minutes.
    if (endsBareNumber(words.slice(0, used)) && nearlyUnit(unread[0]?.word ?? '')) return fail(badDuration(state, rest, source));
    const after = messageAfter(unread, quoted, context, source);
    // Another duration after this one ("2h until 5pm") makes the whole of it unreadable; other words ("focus"
    // beside a quoted message) are the part to point out.
    if (after === null) return fail(badDuration(state, unread.length && !startsDuration(unread[0]?.word ?? '') ? unread : rest, source));
    message = after;
    durationMs = reading;
    const { minMs, maxMs } = durationLimits(state);
    if (!(durationMs >= minMs && durationMs <= maxMs)) return fail({ code: 'duration_out_of_range', state, minMs, maxMs });
  }
  return withMessage(state, message, { type: 'set', state, ...(durationMs !== undefined && { durationMs }) });
}

/**
 * A status planned ahead, with a status message as for parseSet. A range of today that has begun but not ended
 * ("busy 14:00-16:00" at 15:00) is a status set now until its end, which is what the user means by it.
 */
function parseSchedule(state: StateName, rest: readonly Token[], quoted: string | undefined, context: ParseContext, source: string): ParseResult {
  const words = rest.map((t) => t.word);
  const bad = fail({ code: 'bad_schedule', state });
  // Twelve words hold the longest phrasing ("next monday from 9:30 am until 11:45 am") with room to spare.
  let used = Math.min(words.length, 12);
  let reading = readSchedule(words.slice(0, used), context);
  while (reading === undefined && --used > 0) reading = readSchedule(words.slice(0, used), context);
  const after = rest.slice(used);
  // Words that could go on with the range are no message either ("2pm to 5pm to 6pm", "9-11 from 2pm").
  const goesOn = ['from', 'to'].includes(after[0]?.word ?? '') || startsSchedule(after.map((t) => t.word));
  const message = reading && !goesOn ? messageAfter(after, quoted, context, source) : null;
  if (!reading || message === null || reading.endMs <= reading.startMs) return bad;
  const { startMs, endMs } = reading;
  const nowMs = context.now.getTime();
  if (endMs <= nowMs) return fail({ code: 'schedule_passed', state });
  if (startMs - nowMs > SCHEDULE_AHEAD_MAX_MS) return fail({ code: 'schedule_too_far', state, maxMs: SCHEDULE_AHEAD_MAX_MS });
  const begun = startMs <= nowMs;
  const durationMs = begun ? wholeSeconds(endMs - nowMs) : endMs - startMs;
  const { minMs, maxMs } = durationLimits(state);
  if (!(durationMs >= minMs && durationMs <= maxMs)) return fail({ code: 'duration_out_of_range', state, minMs, maxMs });
  return withMessage(
    state,
    message,
    begun ? { type: 'set', state, durationMs } : { type: 'schedule', state, startAt: new Date(startMs), endAt: new Date(endMs) },
  );
}

/**
 * The unquoted words after a duration or a schedule as the status message, as typed; the quoted message when
 * there are none. Null when there are both, or when the words could start another duration.
 */
function messageAfter(after: readonly Token[], quoted: string | undefined, context: ParseContext, source: string): string | undefined | null {
  const [first] = after;
  const last = after[after.length - 1];
  if (!first || !last) return quoted;
  const words = after.map((t) => t.word);
  if (quoted !== undefined || startsDuration(first.word) || readDuration(words, context) !== undefined) return null;
  return source.slice(first.at, last.end);
}

/** The bad duration with the words it could not read, as typed in `source`. */
function badDuration(state: StateName, unread: readonly Token[], source: string): ParseError {
  const first = unread[0];
  const last = unread[unread.length - 1];
  const typed = first && last ? source.slice(first.at, last.end).replace(/\s+/g, ' ').slice(0, 40) : '';
  return typed ? { code: 'bad_duration', state, unread: typed } : { code: 'bad_duration', state };
}

/**
 * The units a word after a bare number may be a typo of (within closestWord's distances: "hous", "mintues"), with
 * seconds (too short for any status) and "o'clock" (a clock time where no end time was read).
 */
const UNIT_VOCABULARY = [
  'minutes',
  'minute',
  'mins',
  'min',
  'hours',
  'hour',
  'hrs',
  'days',
  'day',
  'weeks',
  'week',
  'seconds',
  'second',
  'secs',
  'sec',
  "o'clock",
  'oclock',
].map((w) => [w, w] as const);
const nearlyUnit = (word: string) => word !== '' && closestWord([word], UNIT_VOCABULARY) !== undefined;

/** The command with its status message, or the error for a message that is too long. */
function withMessage(state: StateName, message: string | undefined, command: Extract<BotCommand, { type: 'set' | 'schedule' }>): ParseResult {
  const maxLength = PRODUCT_RULES.statusMessageMaxLength;
  if (message !== undefined && message.length > maxLength) return fail({ code: 'status_message_too_long', state, maxLength });
  return ok(message === undefined ? command : { ...command, statusMessage: message });
}

/** Lower-case words without trailing punctuation; "p.m." reads as "pm", a run of "?" as "?". */
function tokens(text: string): Token[] {
  return [...text.matchAll(/[^\s,]+/g)]
    .map((m) => {
      const w = m[0].toLowerCase();
      return { word: /^\?+$/.test(w) ? '?' : w.replace(/[.!?;:]+$/, '').replace(/([ap])\.m$/, '$1m'), at: m.index, end: m.index + w.length };
    })
    .filter((t) => t.word !== '');
}

/** "dnd8h" reads as "dnd 8h". */
function splitGlued(head: Token[]): Token[] {
  const [first, ...others] = head;
  const m = /^([a-z]+)(\d.*)$/.exec(first?.word ?? '');
  if (!first || !m?.[1] || !m[2] || !PHRASES.some((p) => p.words.length === 1 && p.words[0] === m[1])) return head;
  const split = first.at + m[1].length;
  return [{ word: m[1], at: first.at, end: split }, { word: m[2], at: split, end: first.end }, ...others];
}

/** Every command word with the word a near miss of it suggests (its command's canonical word). */
const ENGLISH_VOCABULARY: readonly (readonly [string, string])[] = COMMAND_WORDS.flatMap((entry) => entry.words.map((w) => [w, entry.words[0]] as const));

function nearMiss(head: readonly string[]): { suggestion: string; words: number } | undefined {
  return closestWord(head, ENGLISH_VOCABULARY);
}

/**
 * The vocabulary word the first words of `head` nearly are, with the suggestion it stands for and how many words
 * it took: edit distance up to 1 when the shorter of the two has 3-4 characters, up to 2 from 5 on, none below 3.
 * Between equally near words, the one that starts like the typed text wins ("ofline": offline, not online).
 */
function closestWord(
  head: readonly string[],
  vocabulary: readonly (readonly [string, string])[],
): { suggestion: string; words: number; distance: number } | undefined {
  let best: { suggestion: string; words: number; distance: number; prefix: number } | undefined;
  for (const [word, suggestion] of vocabulary) {
    for (let n = 1; n <= word.split(' ').length; n++) {
      // The length first, so a long word typed (a 30,000-character paste) is never joined for each vocabulary word.
      const parts = head.slice(0, n);
      const typedLength = parts.reduce((sum, w) => sum + w.length, Math.max(0, parts.length - 1));
      const shorter = Math.min(typedLength, word.length);
      const limit = shorter <= 2 ? 0 : shorter <= 4 ? 1 : 2;
      if (Math.abs(typedLength - word.length) > limit) continue;
      const typed = parts.join(' ');
      const distance = editDistance(typed, word);
      const prefix = commonPrefix(typed, word);
      if (distance > limit || (best && (distance > best.distance || (distance === best.distance && prefix <= best.prefix)))) continue;
      best = { suggestion, words: n, distance, prefix };
    }
  }
  return best;
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

/**
 * A language's words for the chat parser. The parser (bot/parse.ts) reads English; a language's words turn
 * what its speakers type into the English it reads ("não perturbe até 17h" → "dnd until 17:00"), so the
 * grammar of durations, end times and planned statuses is written once. Text inside quotes is never touched.
 */

/** The canonical English word of each command (COMMAND_WORDS' words[0]), the key of its words in a language. */
export type CommandKey =
  | 'dnd'
  | 'busy'
  | 'available'
  | 'brb'
  | 'away'
  | 'offline'
  | 'call'
  | 'conference'
  | 'presenting'
  | 'reset'
  | 'status'
  | 'remind'
  | 'forget me'
  | 'schedule'
  | 'cancel'
  | 'help';

export interface ParserWords {
  /**
   * Each command's words in this language, the words Teams shows first. `[0]` is the canonical one: the manifest's
   * command title in this language and the word a "did you mean" suggests. Accents are optional when typed.
   */
  readonly commands: Readonly<Record<CommandKey, readonly [string, ...string[]]>>;
  /**
   * Other words and phrases, to the English the parser reads: units ("horas" → "hours"), days ("amanhã" →
   * "tomorrow"), "até" → "until". Matched as whole words (in scripts written with spaces), any case, accents
   * optional; the longest match wins.
   */
  readonly words: readonly (readonly [string, string])[];
  /**
   * Rewrites applied first, in order, for what word-for-word cannot read: word order ("17時まで" → "until 17:00"),
   * clock forms ("até 17h" → "until 17:00"). Each pattern needs the `g` flag; `u` and `i` as it needs.
   */
  readonly rewrites?: readonly (readonly [RegExp, string])[];
}

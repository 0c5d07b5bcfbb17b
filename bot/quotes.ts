/**
 * Where the status message is in what was typed: the first quoted text. The parser (parse.ts) takes it as the
 * message, as typed; a language's words (words/translate.ts) leave it as typed and read what is around it.
 */
/** Double quotes as typed in each language: "…", “…”, „…“, «…», and Japanese 「…」 and 『…』. */
const OPEN_QUOTE = /["“”„«「『]/;
const CLOSE_QUOTE = /["“”»」』]/;
/**
 * A single-quoted message: the quotes at the edges of words, so "'til 5pm", "i'm" and "‘Don’t call’"
 * hold no closing quote but the last. At most 302 characters inside: a longer one is too long for a status
 * message anyway, and the bound keeps the search linear on long texts.
 */
const SINGLE_QUOTED = /(^|\s)['‘]([^\s'‘’][^\n]{0,300}?[^\s'‘’]|[^\s'‘’])['’](?=$|[\s.,!?;:])/;

/**
 * The first quoted text is the status message, case kept; a missing closing double quote runs to the end.
 * Single quotes ('focus', ‘focus’) count only when they close, since they double as apostrophes.
 */
export function splitQuoted(text: string): { before: string; message?: string; after: string } {
  const open = text.search(OPEN_QUOTE);
  const single = SINGLE_QUOTED.exec(text);
  if (single && (open < 0 || single.index < open)) {
    const start = single.index + (single[1] ?? '').length;
    return { before: text.slice(0, start), message: single[2] ?? '', after: text.slice(start + (single[2] ?? '').length + 2) };
  }
  if (open < 0) return { before: text, after: '' };
  const inside = text.slice(open + 1);
  const close = inside.search(CLOSE_QUOTE);
  const message = (close < 0 ? inside : inside.slice(0, close)).trim();
  return { before: text.slice(0, open), ...(message && { message }), after: close < 0 ? '' : inside.slice(close + 1) };
}

/**
 * A language's words (ParserWords) applied to a text: what its speaker typed, in the English bot/parse.ts reads.
 * Compiled once per language into one pattern, so a command costs one pass whatever the size of the lists. The quoted
 * status message (bot/quotes.ts) is kept as typed; the words before and after it are read.
 */
import { splitQuoted } from '../quotes';
import type { CommandKey, ParserWords } from './catalog';

/** Letters of scripts written with spaces between words: a phrase with one at an edge matches whole words only. */
const SPACED = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\d]/u;

export interface CompiledWords {
  readonly translate: (text: string) => string;
  /** Each localized command word with the English key it stands for: the "did you mean" vocabulary. */
  readonly vocabulary: readonly (readonly [string, CommandKey])[];
}

/**
 * Lower case without diacritics, one UTF-16 unit for one (so "Não" and "nao" meet, ё is е, ç is c), so that a match
 * in the folded text is at the same place in the text as typed.
 */
export function fold(text: string): string {
  let out = '';
  for (const c of text) {
    const lower = c.toLowerCase();
    const base = lower.normalize('NFD').replace(/\p{M}+/gu, '');
    out += base.length === c.length ? base : lower.length === c.length ? lower : c;
  }
  return out;
}

/**
 * Full-width digits, Latin letters and signs (２時間, １７：００) as ASCII, the ideographic space as a space, and
 * half-width katakana (ｵﾌﾗｲﾝ, ﾘｾｯﾄ, with their sound marks) as the full-width katakana the word lists hold.
 */
export function halfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .replace(/[\uFF61-\uFF9F]+/g, (run) => run.normalize('NFKC'));
}

/** The most of a text, outside its quoted message, that a language's words read. */
const MAX_READ = 400;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The folded phrases as one pattern, longest first: those of scripts written with spaces as whole words (one
 * boundary check around all of them, not one per phrase: the pattern is tried at every position of the text),
 * the others (Japanese) anywhere; any run of spaces between words.
 */
function phrasesPattern(phrases: readonly string[]): RegExp {
  const body = (phrase: string) => phrase.split(' ').map(escape).join('\\s+');
  const spaced = phrases.filter((p) => SPACED.test(p[0] ?? '') && SPACED.test(p[p.length - 1] ?? ''));
  const others = phrases.filter((p) => !spaced.includes(p));
  const edge = (p: string, at: 'start' | 'end') =>
    SPACED.test((at === 'start' ? p[0] : p[p.length - 1]) ?? '') ? (at === 'start' ? '(?<![\\p{L}\\p{N}])' : '(?![\\p{L}\\p{N}])') : '';
  const parts = [
    ...(spaced.length ? [`(?<![\\p{L}\\p{N}])(?:${spaced.map(body).join('|')})(?![\\p{L}\\p{N}])`] : []),
    ...others.map((p) => `${edge(p, 'start')}${body(p)}${edge(p, 'end')}`),
  ];
  return new RegExp(parts.join('|') || '(?!)', 'gu');
}

export function compileWords(words: ParserWords): CompiledWords {
  const vocabulary = (Object.entries(words.commands) as [CommandKey, readonly string[]][]).flatMap(([key, list]) => list.map((w) => [w, key] as const));
  const pairs: (readonly [string, string])[] = [...vocabulary, ...words.words];
  const english = new Map(pairs.map(([from, to]) => [fold(from).replace(/\s+/g, ' '), to]));
  const sorted = [...english.keys()].sort((a, b) => b.length - a.length);
  const pattern = phrasesPattern(sorted);
  const rewrites = words.rewrites ?? [];
  const translate = (text: string): string => {
    const plain = halfWidth(text);
    const { before, after } = splitQuoted(plain);
    // Longer is no command in any language (a status message is at most 280 characters, and quoted it is not read):
    // left as typed, for the English parser to refuse, and no rewrite ever sees a long text.
    if (before.length + after.length > MAX_READ) return text;
    const quoted = plain.slice(before.length, plain.length - after.length);
    const read = (part: string) => {
      // One space for each run: a rewrite's look-behind then never scans a long run of them.
      let out = part.replace(/\s{2,}/g, ' ');
      for (const [re, to] of rewrites) out = out.replace(re, to);
      return replaceFolded(out, pattern, english).replace(/[ \t]{2,}/g, ' ');
    };
    return quoted ? `${read(before).trimStart()}${quoted}${read(after).trimEnd()}` : read(before).trim();
  };
  return { translate, vocabulary };
}

/** Each match of the pattern in the folded text replaced, in the text as typed, by its English (padded with spaces: Japanese has none). */
function replaceFolded(text: string, pattern: RegExp, english: ReadonlyMap<string, string>): string {
  const folded = fold(text);
  let out = '';
  let at = 0;
  for (const match of folded.matchAll(pattern)) {
    out += `${text.slice(at, match.index)} ${english.get(match[0].replace(/\s+/g, ' ')) ?? match[0]} `;
    at = match.index + match[0].length;
  }
  return out + text.slice(at);
}

/**
 * The parser's words by language (bot/words/<language>.ts); English is the parser's own. A language missing here
 * is a type error. Each list is compiled on first use.
 */
import type { Language } from '../../i18n/languages';
import type { ParserWords } from './catalog';
import { ja } from './ja';
import { ptBR } from './pt-BR';
import { ru } from './ru';
import { compileWords, fold, type CompiledWords } from './translate';

export const PARSER_WORDS: Readonly<Record<Exclude<Language, 'en'>, ParserWords>> = { 'pt-BR': ptBR, ja, ru };

export interface LanguageWords extends CompiledWords {
  /** Each command word, folded, with the canonical word of its command in this language: what a near miss suggests. */
  readonly nearVocabulary: readonly (readonly [string, string])[];
}

const compiled = new Map<Language, LanguageWords>();

export function wordsOf(language: Language): LanguageWords | undefined {
  if (language === 'en') return undefined;
  let words = compiled.get(language);
  if (!words) {
    const list = PARSER_WORDS[language];
    const nearVocabulary = Object.values(list.commands).flatMap((all) => all.map((w) => [fold(w), all[0]] as const));
    words = { ...compileWords(list), nearVocabulary };
    compiled.set(language, words);
  }
  return words;
}

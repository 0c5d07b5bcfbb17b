/**
 * The tab's catalogs, one per language, and the pick by Teams' locale (i18n/languages.ts: pt-PT to pt-BR,
 * unknown to English). All four are in the bundle (a few KB gzipped): the page needs no second request to
 * speak the user's language. A language missing here is a type error.
 */
import { languageOf, type Language } from '../../../i18n/languages';
import type { TabMessages } from './catalog';
import { en } from './en';
import { ja } from './ja';
import { ptBR } from './pt-BR';
import { ru } from './ru';

export type { CountdownParts, DurationChoice, TabErrorCode, TabMessages } from './catalog';
export { en } from './en';

export const TAB_CATALOGS: Readonly<Record<Language, TabMessages>> = { en, 'pt-BR': ptBR, ja, ru };

export function messagesFor(locale?: string): TabMessages {
  return TAB_CATALOGS[languageOf(locale)];
}

/**
 * The bot's catalogs, one per language, and the pick by the activity's locale (i18n/languages.ts: pt-PT to
 * pt-BR, unknown to English). A language missing here is a type error.
 */
import { languageOf, type Language } from '../../i18n/languages';
import type { BotMessages } from './catalog';
import { en } from './en';
import { ja } from './ja';
import { ptBR } from './pt-BR';
import { ru } from './ru';

export type { BotMessages } from './catalog';
export { en } from './en';

export const BOT_CATALOGS: Readonly<Record<Language, BotMessages>> = { en, 'pt-BR': ptBR, ja, ru };

export function messagesFor(locale?: string): BotMessages {
  return BOT_CATALOGS[languageOf(locale)];
}

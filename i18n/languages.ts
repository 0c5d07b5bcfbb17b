/**
 * The languages this app speaks and how a locale from Teams picks one. Framework-free: the bot, the tab's page
 * and the parser use it. Adding a language: add its tag here, then the catalogs and word lists that the type
 * checker asks for (README, "Adding a language").
 */
export const LANGUAGES = ['en', 'pt-BR', 'ja', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The default, and the fallback for a locale this app does not speak. */
export const DEFAULT_LANGUAGE: Language = 'en';

/** By primary subtag: pt-PT and pt fall back to pt-BR, en-GB to en. */
const BY_PRIMARY: ReadonlyMap<string, Language> = new Map(LANGUAGES.map((tag) => [tag.split('-')[0]?.toLowerCase() ?? tag, tag]));

/**
 * The language for a locale as Teams sends it ("pt-BR", "pt-pt", "ja-JP", "ru", "en-GB", even "pt_BR"):
 * its primary subtag decides; anything else, or nothing, is English.
 */
export function languageOf(locale: string | undefined): Language {
  return spoken(locale) ?? DEFAULT_LANGUAGE;
}

/** The language of the locale when this app speaks it; undefined for any other (no fallback). */
function spoken(locale: string | undefined): Language | undefined {
  const primary = locale ? /^([a-z]{2,3})(?:[-_]|$)/i.exec(locale.trim())?.[1]?.toLowerCase() : undefined;
  return primary ? BY_PRIMARY.get(primary) : undefined;
}

/** Every other language after `first`: the order the parser tries them in when `first`'s words do not read. */
export function othersThan(first: Language): Language[] {
  return LANGUAGES.filter((language) => language !== first);
}

/**
 * The locale dates are written in: the user's own ("pt-PT", "en-GB": their clock and order) when its language is
 * the catalog's, else the catalog's, so a French user's English sentences do not hold French dates.
 */
export function dateLocale(locale: string | undefined, catalog: Language): string {
  return locale && spoken(locale) === catalog && /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(locale) ? locale : catalog;
}

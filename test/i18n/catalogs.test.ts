/**
 * The catalogs, every language against English: the same keys (the types already demand it, this catches a
 * language that copies English's object), every value the English sentence shows also shown in each language,
 * and sentences really translated. Functions are called with marked arguments: a marker (or number) that English
 * puts in its sentence must be in the translation too.
 */
import assert from 'node:assert/strict';
import { BOT_CATALOGS } from '../../bot/messages';
import { LANGUAGES, dateLocale, languageOf } from '../../i18n/languages';
import { TAB_CATALOGS } from '../../tab/page/messages';

type Value = unknown;

/** Arguments for a catalog function by its path: numbers, lists and objects where the catalog takes them, marked strings elsewhere. */
function argumentsFor(path: string, arity: number): unknown[] {
  const key = path.split('.').slice(-1)[0] ?? '';
  if (path.startsWith('durations.') || ['statusMessageTooLong', 'forgotten', 'messageHint', 'messageTooLong'].includes(key)) return [47];
  if (key === 'list') return [['⟦a⟧', '⟦b⟧', '⟦c⟧']];
  if (path.startsWith('errors.')) return [{ retryAfterSeconds: 47, field: '⟦field⟧' }];
  if (key === 'countdown') return [{ days: 0, hours: 3, minutes: 25, seconds: 9 }];
  if (key === 'reminderLead') return ['⟦lead⟧', true];
  if (path === 'plans.next') return ['⟦0⟧', '⟦1⟧', 47];
  return Array.from({ length: Math.max(arity, 3) }, (_, i) => `⟦${i}⟧`);
}

/** Every leaf of a catalog: its path and its text, functions called (each errors entry also with its field variants). */
function leaves(value: Value, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') {
    const call = (args: unknown[]) => String((value as (...a: unknown[]) => unknown)(...args));
    const out: [string, string][] = [[path, call(argumentsFor(path, value.length))]];
    if (path === 'errors.invalid_request')
      for (const field of ['startAt', 'timers', 'planned', undefined]) out.push([`${path}(${field})`, call([{ retryAfterSeconds: 47, field }])]);
    if (path.endsWith('countdown'))
      for (const parts of [
        { days: 2, hours: 3, minutes: 0, seconds: 0 },
        { days: 0, hours: 0, minutes: 4, seconds: 9 },
        { days: 0, hours: 0, minutes: 0, seconds: 9 },
      ])
        out.push([`${path}(${JSON.stringify(parts)})`, call([parts])]);
    if (path.startsWith('durations.')) for (const n of [1, 2, 5, 21, 22]) out.push([`${path}(${n})`, call([n])]);
    return out;
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [[path, String(value)]];
}

const MARK = /⟦[^⟧]+⟧|\b47\b/g;

for (const [name, catalogs] of [
  ['bot', BOT_CATALOGS],
  ['tab', TAB_CATALOGS],
] as const) {
  describe(`${name} catalogs`, () => {
    const english = new Map(leaves(catalogs.en));
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      const catalog = catalogs[language];
      const theirs = new Map(leaves(catalog));

      it(`${language}: is its own catalog, with lang ${language} and every key English has`, () => {
        assert.notEqual(catalog, catalogs.en);
        assert.equal(catalog.lang, language);
        const missing = [...english.keys()].filter((k) => !theirs.has(k));
        assert.deepEqual(missing, []);
      });

      it(`${language}: shows every value English shows (placeholders)`, () => {
        const wrong: string[] = [];
        for (const [path, text] of english) {
          const want = new Set(text.match(MARK) ?? []);
          const got = theirs.get(path) ?? '';
          for (const mark of want) if (!got.includes(mark)) wrong.push(`${path}: ${mark} missing in ${JSON.stringify(got)}`);
        }
        assert.deepEqual(wrong, []);
      });

      it(`${language}: is translated (at most a few short words, such as "Status", the same as English)`, () => {
        const same = [...english].filter(([path, text]) => path !== 'lang' && theirs.get(path) === text && text.length > 12);
        assert.deepEqual(
          same.map(([path]) => path),
          [],
        );
      });
    }
  });
}

describe('languageOf and dateLocale', () => {
  it('negotiates: pt-PT and pt fall back to pt-BR, en-GB to en, unknown and missing to en', () => {
    const cases: [string | undefined, string][] = [
      ['pt-BR', 'pt-BR'],
      ['pt-br', 'pt-BR'],
      ['pt_BR', 'pt-BR'],
      ['pt-PT', 'pt-BR'],
      ['pt', 'pt-BR'],
      ['ja-JP', 'ja'],
      ['ja', 'ja'],
      ['ru-RU', 'ru'],
      ['ru', 'ru'],
      ['en-GB', 'en'],
      ['en-US', 'en'],
      ['de-DE', 'en'],
      ['zz', 'en'],
      ['', 'en'],
      [undefined, 'en'],
      ['not a locale', 'en'],
    ];
    for (const [locale, want] of cases) assert.equal(languageOf(locale), want, String(locale));
  });

  it("writes dates in the user's own locale when it is the catalog's language, else in the catalog's", () => {
    assert.equal(dateLocale('pt-PT', 'pt-BR'), 'pt-PT');
    assert.equal(dateLocale('en-GB', 'en'), 'en-GB');
    assert.equal(dateLocale('fr-FR', 'en'), 'en');
    assert.equal(dateLocale(undefined, 'ja'), 'ja');
    assert.equal(dateLocale('x y', 'en'), 'en');
  });
});

/**
 * The Teams app manifest (manifest/manifest.json) and its localization files: the offline JSON
 * schemas bundled in @microsoft/app-manifest, the bot's real commands, SSO and domains, and the env
 * files that fill its placeholders.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { COMMAND_WORDS, parseCommand } from '../../bot/parse';
import { PARSER_WORDS } from '../../bot/words';
import type { CommandKey } from '../../bot/words/catalog';
import { LANGUAGES, languageOf } from '../../i18n/languages';
import { en } from '../../bot/messages';
import { loadConfig } from '../../server/config';
import { ACCENT } from '../../scripts/icons';
import {
  bundledSchemaPath,
  fillPlaceholders,
  localizationFiles,
  placeholdersIn,
  validateLocalization,
  validateManifestSchema,
  type ManifestShape,
} from '../../scripts/package-app';
import { ENVIRONMENTS, SAMPLE, envFile, json, sampleValues, readText } from './helpers';

const SCHEMA_URL = 'https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json';
const LOCALIZATION_SCHEMA_URL = 'https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.Localization.schema.json';

const manifestText = readText('manifest/manifest.json');
const template = JSON.parse(manifestText) as ManifestShape & {
  accentColor?: string;
  name?: { short: string; full?: string };
  description?: { short: string; full: string };
};
const TEMPLATE = 'localization.template.json';
const locFiles = localizationFiles(template);
/** The listed localization files and the template new languages start from. */
const locTexts = new Map([...locFiles, TEMPLATE].map((f) => [f, readText(`manifest/${f}`)]));
const values = sampleValues(manifestText);
const filled = JSON.parse(fillPlaceholders(manifestText, values, 'manifest.json')) as ManifestShape;
const bot = template.bots?.[0];
const commands = bot?.commandLists?.flatMap((list) => list.commands ?? []) ?? [];
const NOW = new Date('2026-01-15T15:00:00Z');

describe('Teams app manifest', () => {
  it('is on the v1.29 schema, which @microsoft/app-manifest bundles (validation never fetches it)', () => {
    assert.equal(template.$schema, SCHEMA_URL);
    assert.equal(template.manifestVersion, '1.29');
    assert.ok(existsSync(bundledSchemaPath(SCHEMA_URL)), 'bundled manifest schema');
    assert.ok(existsSync(bundledSchemaPath(LOCALIZATION_SCHEMA_URL)), 'bundled localization schema');
  });

  it('validates against the offline schema once its placeholders are filled', async () => {
    assert.deepEqual(await validateManifestSchema(filled), []);
  });

  it('a schema violation is reported, so the validation is not vacuous', async () => {
    const broken = { ...filled, manifestVersion: '1.29', bots: [{ ...filled.bots?.[0], scopes: ['everywhere'] }] } as ManifestShape;
    assert.notDeepEqual(await validateManifestSchema(broken), []);
  });

  it('validates every localization file, and the template for new languages, against the offline localization schema', () => {
    for (const [file, body] of locTexts) {
      assert.deepEqual(placeholdersIn(body), [], `${file}: the toolkit packages localization files without filling placeholders`);
      assert.deepEqual(validateLocalization(JSON.parse(body) as unknown, '1.29', file), [], file);
    }
    assert.notDeepEqual(
      validateLocalization({ 'name.short': 'x', 'description.short': 'y', 'description.full': 'z', 'staticTabs[99].name': 'no such tab' }, '1.29', 'bad.json'),
      [],
    );
  });

  it('keeps English in manifest.json (localizationInfo: en), where the toolkit fills the placeholders', () => {
    assert.deepEqual(template.localizationInfo, {
      defaultLanguageTag: 'en',
      ...(template.localizationInfo?.additionalLanguages ? { additionalLanguages: template.localizationInfo.additionalLanguages } : {}),
    });
  });

  it('the template for a new language has every localizable string, in English, as the manifest says it', () => {
    const strings = JSON.parse(locTexts.get(TEMPLATE) ?? '{}') as Record<string, string>;
    const plain = (s?: string) => s?.replace(/\$\{\{\w+\}\}/g, '');
    const expected: Record<string, string | undefined> = {
      'name.short': plain(template.name?.short),
      'name.full': template.name?.full,
      'description.short': template.description?.short,
      'description.full': template.description?.full,
    };
    template.staticTabs?.forEach((tab, i) => {
      if (tab.name) expected[`staticTabs[${i}].name`] = tab.name;
    });
    bot?.commandLists?.forEach((list, l) =>
      list.commands?.forEach((c, i) => {
        expected[`bots[0].commandLists[${l}].commands[${i}].title`] = c.title;
        expected[`bots[0].commandLists[${l}].commands[${i}].description`] = c.description;
      }),
    );
    const { $schema, ...rest } = strings;
    assert.equal($schema, LOCALIZATION_SCHEMA_URL);
    assert.deepEqual(rest, expected);
  });

  it("lists every language the app speaks, each file with the template's keys", () => {
    const listed = (template.localizationInfo?.additionalLanguages ?? []).map((l) => l.languageTag);
    assert.deepEqual(
      listed,
      LANGUAGES.filter((l) => l !== 'en'),
    );
    const english = JSON.parse(locTexts.get(TEMPLATE) ?? '{}') as Record<string, string>;
    for (const { languageTag, file } of template.localizationInfo?.additionalLanguages ?? []) {
      const strings = JSON.parse(locTexts.get(file) ?? '{}') as Record<string, string>;
      assert.deepEqual(Object.keys(strings).sort(), Object.keys(english).sort(), `${languageTag}: same keys as ${TEMPLATE}`);
      // Names and command words may be the same ("Presence", "status"); every description is translated.
      for (const [key, value] of Object.entries(strings))
        if (/description/.test(key)) assert.notEqual(value, english[key], `${languageTag}: ${key} is translated`);
    }
  });

  it("each language's command titles are its canonical words, and a click on one (its title sent as text) is that command", () => {
    for (const { languageTag, file } of template.localizationInfo?.additionalLanguages ?? []) {
      const language = languageOf(languageTag);
      const strings = JSON.parse(locTexts.get(file) ?? '{}') as Record<string, string>;
      commands.forEach(({ title: englishTitle }, i) => {
        const title = strings[`bots[0].commandLists[0].commands[${i}].title`] ?? '';
        const words = language === 'en' ? undefined : PARSER_WORDS[language].commands[englishTitle as CommandKey];
        assert.equal(title, words?.[0], `${languageTag}: command ${i} (${englishTitle}) is titled with its canonical word`);
        assert.deepEqual(parseCommand(title, { now: NOW, language }), parseCommand(englishTitle, { now: NOW }), `${languageTag}: "${title}"`);
      });
    }
  });

  describe('bot commands (commandLists) and the parser (COMMAND_WORDS)', () => {
    it('every command title parses to the command it stands for', () => {
      for (const { title } of commands) {
        const parsed = parseCommand(title, { now: NOW });
        assert.ok(parsed.ok, `"${title}" does not parse`);
        const entry = COMMAND_WORDS.find((e) => e.words[0] === title);
        assert.ok(entry, `"${title}" is not a canonical command word (words[0] of COMMAND_WORDS)`);
        assert.equal(parsed.command.type, entry.type, title);
        if (entry.type === 'set') assert.equal(parsed.command.type === 'set' && parsed.command.state, entry.state, title);
      }
    });

    it('every command and every state the parser knows has exactly one entry, but those kept out of the 12-entry menu', () => {
      const titles = commands.map((c) => c.title);
      assert.equal(new Set(titles).size, titles.length, 'no duplicates');
      assert.deepEqual(
        [...titles].sort(),
        COMMAND_WORDS.filter((e) => e.type === 'set' || e.menu !== false)
          .map((e) => e.words[0])
          .sort(),
      );
      for (const entry of COMMAND_WORDS.filter((e) => e.type !== 'set' && e.menu === false)) {
        assert.ok(
          en.help.examples.some(([example]) => example === entry.words[0]),
          `${entry.words[0]} is in the help card instead`,
        );
      }
    });

    it("descriptions come from the message catalog (the state's label, the help examples)", () => {
      for (const entry of COMMAND_WORDS.filter((e) => e.type === 'set' || e.menu !== false)) {
        const command = commands.find((c) => c.title === entry.words[0]);
        const description = command?.description ?? '';
        if (entry.type === 'set') assert.ok(description.startsWith(en.stateLabel[entry.state]), `${entry.words[0]}: "${description}"`);
        else if (entry.type === 'help') assert.ok(description.length > 0);
        else assert.equal(description, en.help.examples.find(([example]) => example === entry.words[0])?.[1], entry.words[0]);
      }
    });

    it('offers the commands where the bot is installed: personal and group chats (Teams bot SSO does not work in channels)', () => {
      assert.deepEqual(bot?.scopes, ['personal', 'groupChat']);
      for (const list of bot?.commandLists ?? []) for (const scope of list.scopes ?? []) assert.ok(bot?.scopes?.includes(scope), scope);
    });
  });

  describe('SSO and domains', () => {
    it("webApplicationInfo is the Entra app and its resource is the server's Application ID URI formula", () => {
      assert.deepEqual(template.webApplicationInfo, { id: '${{AAD_APP_CLIENT_ID}}', resource: 'api://${{BOT_DOMAIN}}/botid-${{AAD_APP_CLIENT_ID}}' });
      const config = loadConfig({
        BOT_ID: SAMPLE.AAD_APP_CLIENT_ID,
        BOT_DOMAIN: SAMPLE.BOT_DOMAIN,
        BOT_PASSWORD: 'unused',
        AZURE_STORAGE_TABLE_URL: 'https://presencedata.table.core.windows.net',
      });
      assert.equal(config.mode, 'production');
      assert.equal(filled.webApplicationInfo?.resource, config.mode === 'production' ? config.applicationIdUri : '');
    });

    it("the bot is ${{BOT_ID}}: the Azure Bot's Microsoft App ID (the managed identity in Azure, the Entra app locally)", () => {
      assert.equal(bot?.botId, '${{BOT_ID}}');
    });

    it("validDomains hold the app's domain and token.botframework.com; the personal tab is /tab/ on that domain", () => {
      assert.deepEqual(template.validDomains, ['${{BOT_DOMAIN}}', 'token.botframework.com']);
      const tab = template.staticTabs?.find((t) => t.contentUrl);
      assert.equal(tab?.contentUrl, 'https://${{BOT_DOMAIN}}/tab/');
      assert.deepEqual(tab?.scopes, ['personal']);
      assert.ok(
        template.staticTabs?.some((t) => t.entityId === 'conversations'),
        'the bot chat is a tab of the personal app',
      );
    });

    it("the accent color is the color icon's background", () => {
      assert.equal(template.accentColor, ACCENT);
    });
  });

  it('every placeholder in manifest/ has a variable in each env file', () => {
    const names = placeholdersIn(manifestText);
    assert.ok(names.length > 0);
    for (const env of ENVIRONMENTS) {
      const vars = envFile(env);
      const missing = names.filter((n) => !(n in vars));
      assert.deepEqual(missing, [], `env/.env.${env} lacks ${missing.join(', ')}`);
    }
  });

  it('commits no secret-looking value in the env files', () => {
    for (const env of ENVIRONMENTS) {
      for (const [name, value] of Object.entries(envFile(env))) {
        assert.ok(!/SECRET|PASSWORD/.test(name), `env/.env.${env}: ${name} belongs in env/.env.${env}.user`);
        if (/_ID$/.test(name)) assert.equal(value, '', `env/.env.${env}: ${name} is written by provision, not committed`);
      }
    }
    assert.ok(json<Record<string, unknown>>(`manifest/${TEMPLATE}`));
  });
});

/**
 * The bot in each language, through botbuilder's real TestAdapter against the real service and the sandbox Graph
 * emulator: the activity's locale picks the catalog and the words read first; the card says its `lang`; English
 * commands and button clicks (codes, not words) work whatever the language.
 */
import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { BOT_CATALOGS } from '../../bot/messages';
import { PresenceBot } from '../../bot/presence-bot';
import { IssuedSso } from '../../bot/sso';
import type { Language } from '../../i18n/languages';
import { silentLogger } from '../../presence/log';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SANDBOX_USER_ID, cardText, personalChat, said } from '../support/connector';
import { storageEnv } from '../support/storage';

const textOf = (a: Partial<Activity>) => `${said(a)}\n${cardText(a)}`;
const cardOf = (a: Partial<Activity>) => a.attachments?.[0]?.content as { lang?: string; actions?: { title: string }[] } | undefined;

interface Case {
  readonly language: Language;
  readonly locale: string;
  /** "Busy for 2 hours", as its speakers type it. */
  readonly busy2h: string;
  /** A near miss of Busy, and the suggestion it gets. */
  readonly typo: readonly [string, string];
}

const CASES: readonly Case[] = [
  { language: 'pt-BR', locale: 'pt-BR', busy2h: 'ocupado 2 horas', typo: ['ocupdo 2h', 'ocupado 2h'] },
  { language: 'ja', locale: 'ja-JP', busy2h: '取り込み中 2時間', typo: ['取り込み忠 2時間', '取り込み中 2時間'] },
  { language: 'ru', locale: 'ru-RU', busy2h: 'занят 2 часа', typo: ['зант 2 часа', 'занят 2 часа'] },
];

describe('bot turns in each language (TestAdapter)', () => {
  let app: RunningApp;
  before(async () => {
    app = await startServer(loadConfig({ PORT: '0', ...(await storageEnv()) }), { logger: silentLogger });
  });
  after(async () => app.close());
  beforeEach(() => app.sandbox?.emulator.reset());

  const adapter = (locale: string, withoutLocale = false) => {
    const issuer = app.sandbox;
    if (!issuer) throw new Error('sandbox expected');
    const bot = new PresenceBot({
      service: app.service,
      sso: new IssuedSso((who) => issuer.issuer.issueSsoToken(who)),
      consentUrl: () => 'http://127.0.0.1/consent',
      logger: silentLogger,
    });
    return new TestAdapter(
      async (context) => {
        // TestAdapter gives every activity a locale; Teams' install event has none.
        if (withoutLocale) context.activity.locale = undefined;
        await bot.run(context);
      },
      { ...personalChat({ timeZone: 'America/Sao_Paulo' }), locale },
    );
  };
  const availability = () => app.sandbox?.emulator.getPresence(SANDBOX_USER_ID).availability;

  for (const { language, locale, busy2h, typo } of CASES) {
    const m = BOT_CATALOGS[language];
    describe(language, () => {
      it(`"${busy2h}" sets Busy for 2 hours and answers in ${language}, with the card's lang`, async () => {
        await adapter(locale)
          .send(busy2h)
          .assertReply((reply) => {
            const sentence = m.statusSet(m.stateLabel.Busy, '@').split('@')[0] ?? '';
            assert.ok(textOf(reply).includes(sentence), `${JSON.stringify(sentence)} in ${textOf(reply)}`);
            assert.equal(cardOf(reply)?.lang, language);
            assert.ok(
              cardOf(reply)?.actions?.some((a) => a.title === m.buttons.reset),
              'the buttons are in the language too',
            );
          })
          .startTest();
        assert.equal(availability(), 'Busy');
      });

      it(`an English command ("dnd 8h") works and is answered in ${language}`, async () => {
        await adapter(locale)
          .send('dnd 8h')
          .assertReply((reply) => assert.ok(textOf(reply).includes(m.stateLabel.DoNotDisturb), textOf(reply)))
          .startTest();
        assert.equal(availability(), 'DoNotDisturb');
      });

      it(`a button click (a code, no words) works in ${language}`, async () => {
        await adapter(locale)
          .send({ type: 'message', value: { presenceAction: { type: 'set', state: 'Away' } } })
          .assertReply((reply) => assert.ok(textOf(reply).includes(m.stateLabel.Away), textOf(reply)))
          .startTest();
        assert.equal(availability(), 'Away');
      });

      it(`a near miss gets a "did you mean" in ${language}, with a button that runs it`, async () => {
        const [typed, suggestion] = typo;
        await adapter(locale)
          .send(typed)
          .assertReply((reply) => {
            assert.equal(said(reply), m.didYouMean(suggestion));
            assert.deepEqual(
              cardOf(reply)?.actions?.map((a) => a.title),
              [suggestion],
            );
          })
          .startTest();
        assert.equal(availability(), 'Available', 'nothing was set');
      });

      it(`help is in ${language}`, async () => {
        await adapter(locale)
          .send('help')
          .assertReply((reply) => assert.ok(textOf(reply).includes(m.help.title), textOf(reply)))
          .startTest();
      });
    });
  }

  it("greets on install in the clientInfo entity's locale when the event has no locale of its own, else in English", async () => {
    const install = (entities: Record<string, unknown>[]) =>
      ({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'Presence' }], entities }) as unknown as Partial<Activity>;
    await adapter('ru-RU', true)
      .send(install([{ type: 'clientInfo', locale: 'pt-BR', country: 'BR', timezone: 'America/Sao_Paulo' }]))
      .assertReply((reply) => assert.ok(textOf(reply).includes(BOT_CATALOGS['pt-BR'].welcome.title), textOf(reply)))
      .send(install([]))
      .assertReply((reply) => assert.ok(textOf(reply).includes(BOT_CATALOGS.en.welcome.title), textOf(reply)))
      .startTest();
  });

  it('a locale this app does not speak (fr-FR) gets English, pt-PT gets Brazilian Portuguese', async () => {
    await adapter('fr-FR')
      .send('busy 30m')
      .assertReply((reply) => assert.match(textOf(reply), /Your status is Busy until/))
      .startTest();
    await adapter('pt-PT')
      .send('ocupado 30 min')
      .assertReply((reply) => assert.equal(cardOf(reply)?.lang, 'pt-BR'))
      .startTest();
  });
});

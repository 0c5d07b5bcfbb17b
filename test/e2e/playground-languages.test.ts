/**
 * The real Microsoft 365 Agents Playground in each language, in headless Chromium, as `npm run playground -- --locale
 * pt-BR` runs it: the Playground writes en-US into what it sends, so a relay on loopback (scripts/locale-relay.ts)
 * writes the locale instead. The greeting is in that language, a command typed in it sets the status in the Graph
 * emulator, and the card answers in it. Screenshots go to test-output/ (docs/playground-<locale>.png are copies of them).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BOT_CATALOGS } from '../../bot/messages';
import type { Language } from '../../i18n/languages';
import { SANDBOX_USER } from '../../sandbox';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { launchChromium, requireChromium, type ChromiumSession } from '../support/chromium';
import { PLAYGROUND_USER, botReplies, openChat, sendMessage, startPlayground, waitForBotReply, type Playground } from '../support/playground';
import { storageEnv } from '../support/storage';

const OUTPUT_DIR = resolve(__dirname, '../../test-output');

const CASES: readonly { readonly locale: string; readonly language: Language; readonly busy2h: string }[] = [
  { locale: 'pt-BR', language: 'pt-BR', busy2h: 'ocupado 2h' },
  { locale: 'ja-JP', language: 'ja', busy2h: '取り込み中 2時間' },
  { locale: 'ru-RU', language: 'ru', busy2h: 'занят 2 часа' },
];

describe('Agents Playground in each language (headless Chromium)', function () {
  this.timeout(90_000);
  let app: RunningApp | undefined;
  let chromiumPath: string;

  before(async function () {
    chromiumPath = requireChromium(this);
    app = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', ...(await storageEnv()) }));
    mkdirSync(OUTPUT_DIR, { recursive: true });
  });
  after(async () => app?.close());

  for (const { locale, language, busy2h } of CASES) {
    const m = BOT_CATALOGS[language];
    it(`${locale}: greets in ${language}; "${busy2h}" sets Busy for 2 hours in the emulator and the card says it in ${language}`, async () => {
      let playground: Playground | undefined;
      let browser: ChromiumSession | undefined;
      try {
        app?.sandbox?.emulator.reset();
        const user = { ...PLAYGROUND_USER, aadObjectId: SANDBOX_USER.userId, tenantId: SANDBOX_USER.tenantId };
        playground = await startPlayground({ botEndpoint: `${app?.url ?? ''}/api/messages`, timeZone: 'America/Sao_Paulo', user, locale });
        browser = await launchChromium({ executablePath: chromiumPath });
        const { page } = browser;
        await openChat(page, playground.url);
        const [welcome] = await botReplies(page);
        assert.ok(welcome?.text.includes(m.welcome.title), `the greeting in ${language}: ${welcome?.text ?? ''}`);
        const start = Date.now();
        const mark = await sendMessage(page, busy2h);
        const sentence = m.statusSet(m.stateLabel.Busy, '@').split('@')[0] ?? '';
        const reply = await waitForBotReply(page, (r) => r.text.includes(sentence), { since: mark, timeoutMs: 20_000 });
        assert.ok(reply.cardText?.includes(m.buttons.reset), 'the buttons are in the language');
        const state = (await (await fetch(`${app?.url ?? ''}/sandbox/graph/_state/users/${encodeURIComponent(SANDBOX_USER.userId)}`)).json()) as {
          preferredPresence: { availability: string; expiresAt: string } | null;
        };
        assert.equal(state.preferredPresence?.availability, 'Busy');
        const ends = Date.parse(state.preferredPresence?.expiresAt ?? '');
        assert.ok(Math.abs(ends - (start + 2 * 3_600_000)) < 60_000, `ends 2 hours from now: ${state.preferredPresence?.expiresAt ?? ''}`);
        await page.screenshot({ path: join(OUTPUT_DIR, `playground-${locale}.png`), fullPage: true });
      } finally {
        await browser?.close().catch(() => undefined);
        await playground?.stop().catch(() => undefined);
      }
    });
  }
});

/**
 * The tab in each language, in headless Chromium through the sandbox Teams host with its locale picked: the page
 * draws itself in the language Teams' context names (its `lang`, its words, its dates), a click sets the status and
 * is announced in that language, the layout holds at a phone's width with long Portuguese and Russian labels and
 * with Japanese, and axe finds nothing. Screenshots in test-output/tab/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Language } from '../../i18n/languages';
import { TAB_CATALOGS } from '../../tab/page/messages';
import { requireChromium } from '../support/chromium';
import { SCREENSHOTS, axe, freshUserId, startTabUi, type HostPage, type TabUi } from './harness';

const CASES: readonly (readonly [Language, string])[] = [
  ['pt-BR', 'pt-BR'],
  ['ja', 'ja-JP'],
  ['ru', 'ru-RU'],
  ['pt-BR', 'pt-PT'],
];

describe('personal tab in each language (headless Chromium)', function () {
  this.timeout(30_000);
  let ui: TabUi;
  let host: HostPage | undefined;

  before(async function () {
    const chromiumPath = requireChromium(this);
    ui = await startTabUi(chromiumPath);
  });
  after(async () => {
    await ui?.close();
  });
  afterEach(async function () {
    const problems = host?.problems ?? [];
    await host?.close();
    host = undefined;
    if (this.currentTest?.state === 'passed') assert.deepEqual(problems, [], 'no console errors, page errors or CSP violations');
  });

  for (const [language, locale] of CASES) {
    const m = TAB_CATALOGS[language];
    it(`${locale}: drawn in ${language} (lang, heading, buttons), Busy set and announced in it, no overflow at a phone's width, axe-clean`, async () => {
      const userId = freshUserId();
      host = await ui.open({ userId, locale, width: 'phone', viewport: { width: 420, height: 1900 } });
      await host.ready();
      const frame = await host.frame();
      assert.equal(await frame.evaluate(() => document.documentElement.lang), language);
      assert.equal(await frame.evaluate(() => document.title), m.documentTitle);
      await host.tab.getByRole('heading', { name: m.heading, exact: true }).waitFor();
      for (const state of ['Available', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Away', 'AppearOffline'] as const) {
        const box = await host.tab.getByRole('button', { name: m.stateLabel[state], exact: true }).boundingBox();
        assert.ok(box && box.height <= 44, `${m.stateLabel[state]} stays on one line`);
      }
      const said = await host.press(m.stateLabel.Busy);
      const before = m.announce.set(m.stateLabel.Busy, '@').split('@')[0] ?? '';
      assert.ok(said.startsWith(before), `${JSON.stringify(said)} starts with ${JSON.stringify(before)}`);
      assert.equal(host.snapshot().presence.availability, 'Busy');
      await host.page.mouse.move(0, 0);
      const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling');
      const results = await axe(frame);
      assert.deepEqual(
        results.violations.map((v) => `${v.id}: ${v.help}`),
        [],
      );
      await frame.evaluate(() => window.scrollTo(0, 0));
      await host.page.screenshot({ path: join(SCREENSHOTS, `phone-${locale}.png`) });
    });
  }
});

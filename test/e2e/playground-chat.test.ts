/**
 * A conversation in the real Microsoft 365 Agents Playground, in headless Chromium, as a person has it: each reply
 * is one bubble (the welcome too), "+1 hour" and "did you mean" are buttons that work when clicked, and a hidden
 * call says what people see. Screenshots go to test-output/ (docs/playground-*.png are copies of them).
 *
 * Needs /usr/bin/chromium (or CHROMIUM_PATH); without it the suite is skipped with a warning (REQUIRE_CHROMIUM=1
 * turns that into a failure).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { SANDBOX_USER } from '../../sandbox';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { launchChromium, requireChromium, type ChromiumSession } from '../support/chromium';
import { PLAYGROUND_USER, botReplies, openChat, sendMessage, startPlayground, waitForBotReply, type BotReply, type Playground } from '../support/playground';
import { storageEnv } from '../support/storage';

const OUTPUT_DIR = resolve(__dirname, '../../test-output');
const HOUR = 3_600_000;
/** Long enough for a second bubble of the same reply to arrive, were there one (replies arrive within ~50 ms here). */
const SECOND_BUBBLE_MS = 750;

describe('Agents Playground: a conversation (headless Chromium)', function () {
  this.timeout(90_000);

  let app: RunningApp | undefined;
  let playground: Playground | undefined;
  let browser: ChromiumSession | undefined;
  let page: Page;

  before(async function () {
    const chromiumPath = requireChromium(this);
    const user = { ...PLAYGROUND_USER, aadObjectId: SANDBOX_USER.userId, tenantId: SANDBOX_USER.tenantId };
    app = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', ...(await storageEnv()) }));
    playground = await startPlayground({ botEndpoint: `${app.url}/api/messages`, timeZone: 'America/New_York', user });
    browser = await launchChromium({ executablePath: chromiumPath });
    page = browser.page;
    mkdirSync(OUTPUT_DIR, { recursive: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && browser)
      await browser.page.screenshot({ path: join(OUTPUT_DIR, 'playground-chat-failure.png'), fullPage: true }).catch(() => undefined);
  });

  after(async function () {
    this.timeout(20_000);
    await browser?.close().catch(() => undefined);
    await playground?.stop().catch(() => undefined);
    await app?.close();
  });

  const preferredEnd = async (): Promise<number> => {
    const res = await fetch(`${app?.url ?? ''}/sandbox/graph/_state/users/${encodeURIComponent(SANDBOX_USER.userId)}`);
    const state = (await res.json()) as { preferredPresence: { expiresAt: string } | null };
    return Date.parse(state.preferredPresence?.expiresAt ?? '');
  };
  /** The one bubble that answers what was sent at `mark`: fails if a second one arrives. */
  const oneReply = async (mark: number, match: string): Promise<BotReply> => {
    const reply = await waitForBotReply(page, (r) => r.text.includes(match), { since: mark, timeoutMs: 20_000 });
    await delay(SECOND_BUBBLE_MS);
    const since = (await botReplies(page)).filter((r) => r.index >= mark);
    assert.equal(since.length, 1, `one bubble per reply, got:\n${since.map((r) => r.text).join('\n---\n')}`);
    return reply;
  };
  const say = async (text: string, match: string) => oneReply(await sendMessage(page, text), match);
  const click = async (reply: BotReply, button: string, match: string) => {
    const mark = (await botReplies(page)).length;
    await reply.locator.getByRole('button', { name: button }).click();
    return oneReply(mark, match);
  };
  const near = (actual: number, expected: number, what: string) =>
    assert.ok(Math.abs(actual - expected) < 60_000, `${what}: ${new Date(actual).toISOString()} vs ${new Date(expected).toISOString()}`);

  it('greets once, in one bubble', async () => {
    await openChat(page, playground?.url ?? '');
    const all = await botReplies(page);
    assert.equal(all.length, 1, all.map((r) => r.text).join('\n---\n'));
    assert.match(all[0]?.text ?? '', /Hi! I set your Teams status for you/);
    assert.equal((all[0]?.text.match(/Hi! I set your Teams status for you/g) ?? []).length, 1, 'the greeting is said once');
  });

  it('"dnd 1h" then "+1 hour" twice: one bubble each, the end moves by an hour per click', async () => {
    const start = Date.now();
    const dnd = await say('dnd 1h "deep work"', 'Your status is Do not disturb until');
    assert.match(dnd.cardText ?? '', /Status message: "deep work"/);
    await page.screenshot({ path: join(OUTPUT_DIR, 'playground-dnd-1h.png'), fullPage: true });
    await click(dnd, '+1 hour', 'Your status is Do not disturb until');
    near(await preferredEnd(), start + 2 * HOUR, 'after one click');
    await click(dnd, '+1 hour', 'Your status is Do not disturb until');
    near(await preferredEnd(), start + 3 * HOUR, 'after two clicks on the same card');
  });

  it('a near miss asks "did you mean", and its button runs the suggestion', async () => {
    const question = await say('dnf 30m', 'Did you mean "dnd 30m"?');
    const clicked = Date.now();
    await click(question, 'dnd 30m', 'Your status is Do not disturb until');
    near(await preferredEnd(), clicked + HOUR / 2, 'dnd 30m from the click');
    await page.screenshot({ path: join(OUTPUT_DIR, 'playground-did-you-mean.png'), fullPage: true });
  });

  it('a call hidden by Appear offline says what people see, and Reset is the first button', async () => {
    await say('offline 2h', 'Your status is Appear offline until');
    const call = await say('call 30m', 'People see Appear offline');
    assert.match(call.cardText ?? '', /In a call is set until .+, but people see Appear offline/);
    await page.screenshot({ path: join(OUTPUT_DIR, 'playground-hidden-call.png'), fullPage: true });
    await click(call, 'Reset', 'Your status follows your Teams activity again.');
  });

  // Last: it moves the sandbox clock, which the tests above measure against.
  it('"dnd 15m" with "remind 5m": the clock advanced 10 minutes, the reminder card arrives by itself; "+30 minutes" ends it 45 minutes after the start', async () => {
    const sandbox = app?.sandbox;
    assert.ok(sandbox);
    await say('remind 5m', "I'll remind you 5 minutes before");
    const start = sandbox.emulator.now();
    await say('dnd 15m', 'Your status is Do not disturb until');
    const mark = (await botReplies(page)).length;
    const res = await fetch(`${app?.url ?? ''}/sandbox/graph/_clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"advance":"PT10M"}',
    });
    assert.equal(res.status, 200);
    const reminder = await oneReply(mark, 'Do not disturb ends soon');
    assert.match(reminder.text, /Do not disturb ends at .+, in 5 minutes\./);
    await page.screenshot({ path: join(OUTPUT_DIR, 'playground-reminder.png'), fullPage: true });
    await click(reminder, '+30 minutes', 'Your status is Do not disturb until');
    near(await preferredEnd(), start + 45 * 60_000, 'ends 45 minutes after the start');
  });

  const advance = async (duration: string) => {
    const res = await fetch(`${app?.url ?? ''}/sandbox/graph/_clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: duration }),
    });
    assert.equal(res.status, 200);
  };

  it('"busy 3h", "dnd 1h": the reply says Busy comes back; an hour later "status" shows Busy again', async () => {
    await say('remind off', 'Reminders are off');
    await say('busy 3h', 'Your status is Busy until');
    const dnd = await say('dnd 1h', 'Your status is Do not disturb until');
    assert.match(dnd.text, /Then Busy comes back until/);
    await advance('PT61M');
    await delay(2500);
    const status = await say('status', 'Your status is');
    assert.match(status.text, /Your status is Busy, set by this app\./);
    await page.screenshot({ path: join(OUTPUT_DIR, 'playground-comes-back.png'), fullPage: true });
  });

  it('"dnd tomorrow 9-11": planned, listed by "schedule" with its cancel button, which cancels it', async () => {
    await say('reset', 'Status reset');
    const planned = await say('dnd tomorrow 9-11 "deep work"', 'Do not disturb is planned for');
    assert.match(planned.text, /Do not disturb is planned for \w{3},\s\w{3}\s\d+,\s9:00\s–\s11:00\sAM E[SD]T\./);
    const list = await say('schedule', 'Planned');
    await page.screenshot({ path: join(OUTPUT_DIR, 'playground-schedule.png'), fullPage: true });
    const cancel = await list.locator.getByRole('button', { name: /^Cancel Do not disturb/ }).textContent();
    assert.ok(cancel);
    const done = await click(list, cancel.trim(), 'Cancelled: Do not disturb');
    assert.match(done.text, /Cancelled: Do not disturb, \w{3},\s\w{3}\s\d+,\s9:00\s–\s11:00\sAM E[SD]T\./);
    assert.match((await say('schedule', 'Planned')).text, /Nothing is planned/);
  });
});

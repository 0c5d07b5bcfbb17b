/**
 * End to end: the real Microsoft 365 Agents Playground web page, in headless Chromium, chatting with our app in
 * sandbox mode. Types "dnd 8h", sees the bot's card, and checks the sandbox Graph now holds Do not disturb.
 *
 * Needs /usr/bin/chromium (apt-get install -y chromium) or CHROMIUM_PATH; without it the suite is skipped with a
 * warning (REQUIRE_CHROMIUM=1 turns that into a failure). Only loopback traffic: the page's CDN fonts are blocked.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SANDBOX_USER } from '../../sandbox';
import { launchChromium, requireChromium, type ChromiumSession } from '../support/chromium';
import { PLAYGROUND_USER, openChat, sendMessage, startPlayground, waitForBotReply, type Playground } from '../support/playground';
import { storageEnv } from '../support/storage';

const OUTPUT_DIR = resolve(__dirname, '../../test-output');
/** Not the host's zone (UTC here), so the reply's end time proves the bot used the activity's localTimezone. */
const USER_TIME_ZONE = 'Europe/Paris';
const EIGHT_HOURS_MS = 8 * 3_600_000;

/** "h:mm AM" and the short zone name of `at` in `timeZone`, as en-US writes them. */
function wallClock(at: Date, timeZone: string): { minutesOfDay: number; zoneName: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return { minutesOfDay: (Number(part('hour')) % 24) * 60 + Number(part('minute')), zoneName: part('timeZoneName') };
}

/** The end time in the reply ("until 5:34 PM GMT+1" or "until Tue, Nov 24, 1:34 AM GMT+1") as minutes of the day. */
function endTimeIn(text: string): { minutesOfDay: number; zoneName: string } | undefined {
  const match = /until (?:[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, )?(\d{1,2}):(\d{2})\s*([AP]M)\s*([^\s.]+)/.exec(text);
  if (!match) return undefined;
  const [, hour = '', minute = '', half = '', zoneName = ''] = match;
  return { minutesOfDay: ((Number(hour) % 12) + (half === 'PM' ? 12 : 0)) * 60 + Number(minute), zoneName };
}

describe('Agents Playground end to end (headless Chromium)', function () {
  this.timeout(60_000);

  let chromiumPath: string;
  let app: RunningApp | undefined;
  let playground: Playground | undefined;
  let browser: ChromiumSession | undefined;

  before(function () {
    chromiumPath = requireChromium(this);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && browser) {
      mkdirSync(OUTPUT_DIR, { recursive: true });
      await browser.page.screenshot({ path: join(OUTPUT_DIR, 'playground-failure.png'), fullPage: true }).catch(() => undefined);
    }
  });

  after(async function () {
    this.timeout(20_000);
    await browser?.close().catch(() => undefined);
    await playground?.stop().catch(() => undefined);
    await app?.close();
  });

  it('"dnd 8h" in the chat sets Do not disturb for 8 hours and shows the end time', async function () {
    // The Playground's built-in IDs are not GUIDs; the harness pins it to the sandbox user's.
    const user = { ...PLAYGROUND_USER, aadObjectId: SANDBOX_USER.userId, tenantId: SANDBOX_USER.tenantId };

    app = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'warn', ...(await storageEnv()) }));
    playground = await startPlayground({ botEndpoint: `${app.url}/api/messages`, timeZone: USER_TIME_ZONE, user });
    browser = await launchChromium({ executablePath: chromiumPath });
    const { page } = browser;

    await openChat(page, playground.url);
    const before = Date.now();
    const mark = await sendMessage(page, 'dnd 8h');
    const reply = await waitForBotReply(page, (r) => r.cardText?.includes('Your status is Do not disturb until') ?? false, { since: mark, timeoutMs: 20_000 });
    const after = Date.now();

    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, 'playground-dnd.png'), fullPage: true });

    // The card: the state, and when it ends, in the user's zone (Europe/Paris, from the activity's localTimezone).
    const cardText = reply.cardText ?? '';
    assert.match(cardText, /Do not disturb/);
    const end = endTimeIn(cardText);
    assert.ok(end, `no end time ("until h:mm AM/PM zone") in the card:\n${cardText}`);
    const earliest = wallClock(new Date(before + EIGHT_HOURS_MS - 60_000), USER_TIME_ZONE);
    const latest = wallClock(new Date(after + EIGHT_HOURS_MS + 60_000), USER_TIME_ZONE);
    const inWindow = (m: number) =>
      earliest.minutesOfDay <= latest.minutesOfDay
        ? m >= earliest.minutesOfDay && m <= latest.minutesOfDay
        : m >= earliest.minutesOfDay || m <= latest.minutesOfDay;
    assert.ok(inWindow(end.minutesOfDay), `end time in the card is not now + 8 h in ${USER_TIME_ZONE}:\n${cardText}`);
    assert.equal(end.zoneName, latest.zoneName, `the end time should be in ${USER_TIME_ZONE} (${latest.zoneName})`);
    await reply.locator.getByRole('button', { name: 'Reset' }).waitFor({ state: 'visible', timeout: 5_000 });

    // The sandbox Graph: the user's preferred presence is now Do not disturb, for 8 hours.
    const res = await fetch(`${app.url}/sandbox/graph/_state/users/${encodeURIComponent(SANDBOX_USER.userId)}`);
    assert.equal(res.status, 200);
    const state = (await res.json()) as { preferredPresence: { availability: string; activity: string; expiresAt: string } | null };
    assert.ok(state.preferredPresence, `no preferred presence in the sandbox: ${JSON.stringify(state)}`);
    assert.equal(state.preferredPresence.availability, 'DoNotDisturb');
    const expiresAt = Date.parse(state.preferredPresence.expiresAt);
    assert.ok(
      expiresAt >= before + EIGHT_HOURS_MS - 60_000 && expiresAt <= after + EIGHT_HOURS_MS + 60_000,
      `expiresAt ${state.preferredPresence.expiresAt} is not about 8 h from now`,
    );

    assert.ok(
      browser.blockedRequests.every((url) => !url.startsWith('http://127.') && !url.startsWith('http://localhost')),
      'only non-loopback requests are blocked',
    );
  });
});

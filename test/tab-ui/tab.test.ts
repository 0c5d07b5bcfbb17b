import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Frame } from 'playwright-core';
import type { PlansView, SetView } from '../../tab/api/contract';
import { requireChromium } from '../support/chromium';
import { SCREENSHOTS, TENANT_ID, axe, freshUserId, near, startTabUi, type HostOptions, type HostPage, type TabUi } from './harness';

const HOUR = 3_600_000;

const PREFERRED = [
  ['Available', 'Available', 'Available'],
  ['Busy', 'Busy', 'Busy'],
  ['Do not disturb', 'DoNotDisturb', 'DoNotDisturb'],
  ['Be right back', 'BeRightBack', 'BeRightBack'],
  ['Appear away', 'Away', 'Away'],
  ['Appear offline', 'Offline', 'OffWork'],
] as const;
const SESSION = [
  ['In a call', 'Busy', 'InACall'],
  ['In a conference call', 'Busy', 'InAConferenceCall'],
  ['Presenting', 'DoNotDisturb', 'Presenting'],
] as const;

/** An instant as an `<input type="datetime-local">` value in the page's time zone. */
async function localValue(frame: Frame, epoch: number): Promise<string> {
  const parts = await frame.evaluate((ms) => {
    const t = new Date(ms);
    return [t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes()];
  }, epoch);
  const [y, mo, d, h, mi] = parts.map((n) => String(n).padStart(2, '0'));
  return `${y ?? ''}-${mo ?? ''}-${d ?? ''}T${h ?? ''}:${mi ?? ''}`;
}

function describeViolations(results: AxeResults): string {
  return results.violations.map((v) => `${v.id} (${v.impact ?? ''}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`).join('\n');
}

/** The personal tab in headless Chromium through the sandbox Teams host, against the real app. */
describe('personal tab in the sandbox Teams host (headless Chromium)', function () {
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

  const open = async (options: HostOptions = {}) => {
    host = await ui.open(options);
    await host.ready();
    return host;
  };

  it('loads through the Teams protocol: current presence, who set it, every button usable, within budget', async () => {
    const h = await open();
    const tab = h.tab;
    assert.equal(await tab.locator('.now-label').textContent(), 'Available');
    assert.equal(await tab.locator('.now-source').textContent(), 'Set by Teams from your activity');
    for (const [label] of [...PREFERRED, ...SESSION]) {
      assert.equal(await tab.getByRole('button', { name: label, exact: true }).getAttribute('aria-disabled'), 'false', label);
    }
    assert.equal(await tab.getByRole('button', { name: 'Available', exact: true }).getAttribute('aria-current'), 'true');
    // The host page tells it went through teams-js: initialize, getContext, getAuthToken, notifySuccess.
    const log = (await h.page.locator('#host-log').textContent()) ?? '';
    for (const func of ['initialize', 'getContext', 'authentication.getAuthToken', 'registerHandler'])
      assert.match(log, new RegExp(`tab ← ${func.replace('.', '\\.')}`));
    assert.equal(await h.page.locator('#host-status').textContent(), 'App ready');
    assert.ok(ui.build.gzipBytes <= 60 * 1024, `page JS ${ui.build.gzipBytes} bytes gzipped`);
    await h.page.screenshot({ path: join(SCREENSHOTS, 'default.png') });
  });

  it('each preferred-status button sets that preferred presence', async () => {
    const h = await open();
    for (const [label, availability, activity] of PREFERRED) {
      const said = await h.press(label);
      assert.match(said, new RegExp(`^${label} is set until `), label);
      const snap = h.snapshot();
      assert.deepEqual(
        snap.preferredPresence && { availability: snap.preferredPresence.availability, activity: snap.preferredPresence.activity },
        { availability, activity },
        label,
      );
      assert.equal(await h.tab.getByRole('button', { name: label, exact: true }).getAttribute('aria-current'), 'true', label);
      assert.equal(await h.tab.locator('.now-source').textContent(), 'Set by this app as your preferred status');
    }
    assert.equal(await h.tab.locator('.now-label').textContent(), 'Appear offline');
  });

  it("each session button sets this app's presence session, and says when a preferred status hides it", async () => {
    const h = await open();
    for (const [label, availability, activity] of SESSION) {
      assert.match(await h.press(label), new RegExp(`^${label} is set until `), label);
      const app = h.snapshot().sessions.find((s) => s.kind === 'application');
      assert.deepEqual(app && { availability: app.availability, activity: app.activity }, { availability, activity }, label);
      assert.equal(await h.tab.locator('.now-label').textContent(), label);
      assert.equal(await h.tab.locator('.now-source').textContent(), 'Set by this app for a call or presentation');
      assert.ok(near(app?.expiresAt ?? '', Date.now() + HOUR), `${label} for the default 1 hour`);
    }
    // A live countdown: under an hour left it counts seconds, without a reload.
    const before = await h.tab.locator('.countdown').textContent();
    assert.match(before ?? '', /^(1 h 0 min|59 min \d+ s) left$/);
    await (await h.frame()).waitForFunction((b) => document.querySelector('.countdown')?.textContent !== b, before, { timeout: 5_000 });
    await h.press('Appear offline');
    assert.match(await h.press('In a call'), /In a call is set, but people see Appear offline: your preferred status outranks it/);
    assert.match((await h.tab.locator('.now-also').textContent()) ?? '', /This app also set In a call until/);
  });

  it('duration picker: Do not disturb for 2 hours ends 2 hours from now, shown in local time with a countdown', async () => {
    const h = await open({ timezoneId: 'Asia/Kolkata', viewport: { width: 1100, height: 1200 } });
    await h.chooseDuration('2 hours');
    const started = Date.now();
    assert.match(await h.press('Do not disturb'), /^Do not disturb is set until /);
    const preferred = h.snapshot().preferredPresence;
    assert.equal(preferred?.availability, 'DoNotDisturb');
    assert.ok(preferred && near(preferred.expiresAt, started + 2 * HOUR), `expires ${preferred?.expiresAt}`);
    const frame = await h.frame();
    // After 22:00 in Kolkata the end is tomorrow, which the page says with the weekday.
    const local = await frame.evaluate((iso) => {
      const end = new Date(iso);
      const today = end.toDateString() === new Date().toDateString();
      return new Intl.DateTimeFormat('en-US', { ...(today ? {} : { weekday: 'short' }), hour: 'numeric', minute: '2-digit' }).format(end);
    }, preferred?.expiresAt ?? '');
    assert.equal(await h.tab.locator('.ends-at').textContent(), `Ends ${local}`);
    assert.match((await h.tab.locator('.countdown').textContent()) ?? '', /^(1 h 59 min|2 h 0 min) left$/);
    await h.page.mouse.move(0, 0);
    await h.page.screenshot({ path: join(SCREENSHOTS, 'dnd-2-hours.png') });
  });

  it('duration picker: custom duration, an end time, and today, each as the request says', async () => {
    const h = await open();
    const frame = await h.frame();

    await h.chooseDuration('Custom duration');
    await h.tab.getByLabel('Hours', { exact: true }).fill('1');
    await h.tab.getByLabel('Minutes', { exact: true }).fill('30');
    let started = Date.now();
    await h.press('Busy');
    assert.ok(near(h.snapshot().preferredPresence?.expiresAt ?? '', started + 1.5 * HOUR), 'custom 1 h 30 min');

    await h.chooseDuration('Until a time');
    const { value, epoch } = await frame.evaluate(() => {
      const d = new Date(Date.now() + 3 * 3_600_000 + 17 * 60_000);
      d.setSeconds(0, 0);
      const parts = [d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()].map((n) => String(n).padStart(2, '0'));
      return { value: `${d.getFullYear()}-${parts[0]}-${parts[1]}T${parts[2]}:${parts[3]}`, epoch: d.getTime() };
    });
    await h.tab.getByLabel('Ends at').fill(value);
    await h.press('Appear away');
    assert.ok(near(h.snapshot().preferredPresence?.expiresAt ?? '', epoch, 5_000), 'until the chosen local time');

    await h.chooseDuration('Today');
    const endOfToday = await frame.evaluate(() => {
      const now = new Date();
      return new Date(now.getFullYear(), now.getMonth(), now.getDate(), 23, 59).getTime();
    });
    started = Date.now();
    if (endOfToday - started > 2 * 60_000) {
      await h.press('Be right back');
      assert.ok(near(h.snapshot().preferredPresence?.expiresAt ?? '', endOfToday, 5_000), 'today ends at 11:59 PM local time');
    }
  });

  it('refuses what the service would refuse, names the limits, and changes nothing', async () => {
    const h = await open();
    await h.chooseDuration('Custom duration');
    await h.tab.getByLabel('Hours', { exact: true }).fill('25');
    await h.tab.getByLabel('Minutes', { exact: true }).fill('0');
    assert.equal(await h.press('In a call'), 'In a call can be set for 5 minutes to 1 day. Nothing was changed.');
    await h.tab.getByLabel('Hours', { exact: true }).fill('0');
    assert.equal(await h.press('Busy'), 'Enter how long, at least 1 minute. Nothing was changed.');
    assert.equal(h.snapshot().preferredPresence, null);
    assert.equal(
      h.snapshot().sessions.some((s) => s.kind === 'application'),
      false,
    );
  });

  it('a status message goes with the status and is shown', async () => {
    const h = await open();
    await h.chooseDuration('30 minutes');
    await h.tab.getByLabel('Status message (optional)').fill('deep work');
    assert.equal(await h.press('Do not disturb'), (await h.tab.locator('.bar-success').textContent()) ?? '');
    assert.match((await h.tab.locator('.bar-success').textContent()) ?? '', /with the status message “deep work”/);
    assert.equal(h.snapshot().statusMessage?.content, 'deep work');
    assert.equal(await h.tab.locator('.now-message').textContent(), '“deep work”');
  });

  it('Reset status clears the preferred status and the session: Teams shows the activity again', async () => {
    const h = await open();
    await h.press('Busy');
    await h.press('In a call');
    assert.equal(await h.press('Reset status'), 'Status reset. Teams shows your activity again.');
    const snap = h.snapshot();
    assert.equal(snap.preferredPresence, null);
    assert.deepEqual(
      snap.sessions.map((s) => s.kind),
      ['teamsClient'],
    );
    assert.equal(await h.tab.locator('.now-label').textContent(), 'Available');
    assert.equal(await h.tab.locator('.now-source').textContent(), 'Set by Teams from your activity');
  });

  it('refreshes every minute: a change made elsewhere (the bot, another device) shows up and is announced', async () => {
    const h = await ui.open({});
    host = h;
    await h.page.clock.install();
    await h.page.reload();
    await h.ready();
    const { token } = (await (
      await fetch(`${ui.app.url}/sandbox/identity/_sso`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: h.userId, tenantId: TENANT_ID }),
      })
    ).json()) as { token: string };
    const res = await fetch(`${ui.app.url}/api/presence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'BeRightBack', durationMinutes: 15 }),
    });
    assert.equal(res.status, 200);
    assert.equal(await h.tab.locator('.now-label').textContent(), 'Available');
    await h.page.clock.runFor(61_000);
    await h.tab.locator('.now-label', { hasText: 'Be right back' }).waitFor();
    // The announcement lands on the next animation frame, which runs on the (installed) clock too.
    await h.page.clock.runFor(100);
    await h.tab.locator('.bar-success', { hasText: 'Your status is now Be right back.' }).waitFor();
  });

  it('other failures get a clear message, a reference, and Try again; the page stays usable', async () => {
    const h = await open();
    let failures = 1;
    await h.page.route('**/api/presence', async (route) => {
      if (route.request().method() === 'POST' && failures-- > 0) {
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'graph_unavailable', message: 'Graph said 503 <script>', correlationId: 'c0ffee-42' } }),
        });
      } else await route.fallback();
    });
    assert.equal(await h.press('Busy'), 'Teams isn’t answering right now, so nothing was changed. Try again in a minute.');
    assert.equal(await h.tab.locator('.alert-detail').textContent(), 'If it keeps happening, give your admin this reference: c0ffee-42');
    assert.equal(h.snapshot().preferredPresence, null);
    assert.match(await h.press('Try again'), /^Busy is set until /);
    assert.equal(h.snapshot().preferredPresence?.availability, 'Busy');
    assert.equal(await h.tab.locator('.alert-text').textContent(), '');
  });

  it('throttling says how long to wait', async () => {
    const h = await open();
    await h.page.route('**/api/presence', async (route) => {
      if (route.request().method() === 'DELETE')
        await route.fulfill({
          status: 429,
          contentType: 'application/json',
          headers: { 'retry-after': '12' },
          body: JSON.stringify({ error: { code: 'throttled', message: 'slow down', retryAfterSeconds: 12 } }),
        });
      else await route.fallback();
    });
    assert.equal(await h.press('Reset status'), 'Teams is busy right now. Try again in 12 seconds.');
  });

  it('consent: without permission the tab offers it, opens the consent page through Teams, and retries when it closes', async () => {
    const userId = freshUserId();
    ui.app.sandbox?.issuer.setConsent(userId, false);
    host = await ui.open({ userId });
    const h = host;
    const grant = h.tab.getByRole('button', { name: 'Grant permission' });
    await grant.waitFor();
    assert.match((await h.tab.locator('.alert-text').textContent()) ?? '', /needs your permission to read and write your presence/);
    assert.equal(await h.tab.locator('.now-label').textContent(), 'Your status can’t be shown right now.');
    await h.page.screenshot({ path: join(SCREENSHOTS, 'consent.png') });
    const popupOpened = h.page.waitForEvent('popup');
    await grant.click();
    const popup = await popupOpened;
    await popup.waitForURL(/\/sandbox\/identity\/consent\?userId=/);
    assert.equal(new URL(popup.url()).searchParams.get('userId'), userId);
    await popup.getByRole('button', { name: 'Accept' }).click();
    await popup.getByText('Permission granted').waitFor();
    await popup.close();
    await h.tab.locator('.now-label', { hasText: 'Available' }).waitFor();
    assert.equal(await h.tab.getByRole('button', { name: 'Grant permission' }).isVisible(), false);
    assert.match(await h.press('Do not disturb'), /^Do not disturb is set until /);
    assert.equal(h.snapshot().preferredPresence?.availability, 'DoNotDisturb');
  });

  it('consent: auth-end tells Teams it succeeded (notifySuccess); the host closes the window and the tab retries the change', async () => {
    const userId = freshUserId();
    const h = await open({ userId });
    // Consent withdrawn after the tab loaded, before the user's first change: the POST meets it.
    ui.app.sandbox?.issuer.setConsent(userId, false);
    ui.app.tokens.evict({ userId, tenantId: TENANT_ID });
    await h.chooseDuration('1 hour');
    assert.match(await h.press('Busy'), /needs your permission/);
    const popupOpened = h.page.waitForEvent('popup');
    await h.tab.getByRole('button', { name: 'Grant permission' }).click();
    const popup = await popupOpened;
    await popup.getByRole('button', { name: 'Accept' }).click();
    await popup.getByText('Permission granted').waitFor();
    // Entra would now redirect to auth-end with the code and the state auth-start kept (the sandbox consent page has no redirect).
    const state = await popup.evaluate(() => sessionStorage.getItem('presence.consent.state'));
    assert.ok(state, 'auth-start kept a state value');
    const closed = popup.waitForEvent('close');
    await popup.goto(`${ui.app.url}/tab/auth-end.html#code=sandbox-code&state=${encodeURIComponent(state)}`);
    await closed;
    await h.tab.locator('.bar-success', { hasText: /^Busy is set until / }).waitFor();
    assert.equal(h.snapshot().preferredPresence?.availability, 'Busy');
    assert.match((await h.page.locator('#host-log').textContent()) ?? '', /auth window ← authentication\.authenticate\.success/);
  });

  it('consent in production: auth-start sends the user to Entra with prompt=consent, and nowhere else', async () => {
    const h = await open();
    const page = await h.context.newPage();
    let authorize: URL | undefined;
    await page.route('https://login.microsoftonline.com/**', async (route) => {
      authorize = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Entra</title>' });
    });
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const clientId = '11111111-2222-4333-8444-555555555555';
    const query = new URLSearchParams({ authority: 'https://login.microsoftonline.com', tenant, clientId, userId: h.userId, loginHint: 'alex@contoso.com' });
    await page.goto(`${ui.app.url}/tab/auth-start.html?${query.toString()}`);
    await page.waitForURL(/login\.microsoftonline\.com/);
    assert.ok(authorize);
    assert.equal(authorize.pathname, `/${tenant}/oauth2/v2.0/authorize`);
    const p = authorize.searchParams;
    assert.equal(p.get('client_id'), clientId);
    assert.equal(p.get('prompt'), 'consent');
    assert.equal(p.get('scope'), 'https://graph.microsoft.com/Presence.ReadWrite');
    assert.equal(p.get('redirect_uri'), `${ui.app.url}/tab/auth-end.html`);
    assert.equal(p.get('response_mode'), 'fragment');
    assert.equal(p.get('login_hint'), 'alex@contoso.com');
    assert.equal(p.get('code_challenge_method'), 'S256');
    assert.match(p.get('state') ?? '', /^[\w-]{40,}$/);

    const evil = new URLSearchParams({ authority: 'https://evil.example', tenant, clientId, userId: h.userId });
    await page.goto(`${ui.app.url}/tab/auth-start.html?${evil.toString()}`);
    await page.getByText('This permission link isn’t valid.', { exact: false }).waitFor();
    assert.match(page.url(), /\/tab\/auth-start\.html/);
    await page.close();
  });

  it('outside Teams the tab says where to open it, and changes nothing', async () => {
    const h = await open();
    const page = await h.context.newPage();
    await page.goto(`${ui.app.url}/tab/`);
    await page.getByText('Open this page from the Presence app in Microsoft Teams.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Busy', exact: true }).getAttribute('aria-disabled'), 'true');
    await page.getByRole('button', { name: 'Busy', exact: true }).click({ force: true });
    assert.equal(h.snapshot().preferredPresence, null);
    await page.close();
  });

  it('follows the Teams theme: dark from the context, high contrast on a live theme change (screenshots)', async () => {
    const h = await open({ theme: 'dark', viewport: { width: 1100, height: 1200 } });
    const frame = await h.frame();
    assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.equal(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(20, 20, 20)');
    await h.press('Do not disturb');
    await h.page.mouse.move(0, 0);
    await h.page.screenshot({ path: join(SCREENSHOTS, 'dark.png') });
    await h.page.locator('select[name=theme]').selectOption('contrast');
    await frame.waitForFunction(() => document.documentElement.dataset.theme === 'contrast');
    assert.equal(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(0, 0, 0)');
    assert.equal(await frame.evaluate(() => getComputedStyle(document.body).color), 'rgb(255, 255, 255)');
    await h.page.screenshot({ path: join(SCREENSHOTS, 'contrast.png') });
  });

  it("works at a phone's width", async () => {
    // Tall enough that the host's iframe shows the whole tab for the screenshot.
    const h = await open({ width: 'phone', viewport: { width: 420, height: 1720 } });
    const frame = await h.frame();
    assert.equal(await frame.evaluate(() => window.innerWidth <= 360), true);
    await h.press('Be right back');
    await h.page.mouse.move(0, 0);
    const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling');
    const box = await h.tab.getByRole('button', { name: 'Do not disturb', exact: true }).boundingBox();
    assert.ok(box && box.height <= 44, 'state labels stay on one line');
    await frame.evaluate(() => window.scrollTo(0, 0));
    await h.page.screenshot({ path: join(SCREENSHOTS, 'phone.png') });
  });

  it('keyboard only: pick 2 hours, type a message, set Do not disturb, then reset; focus always visible', async () => {
    const h = await open();
    const frame = await h.frame();
    const focused = () =>
      frame.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        const target = el.matches('.chip input') ? (el.nextElementSibling as HTMLElement) : el;
        const style = getComputedStyle(target);
        return {
          name: el.getAttribute('aria-label') ?? el.closest('label')?.textContent ?? el.textContent ?? '',
          tag: el.tagName,
          id: el.id,
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
        };
      });
    const tabTo = async (match: (f: { name: string; tag: string; id: string }) => boolean, limit = 40) => {
      for (let i = 0; i < limit; i++) {
        await h.page.keyboard.press('Tab');
        const f = await focused();
        if (f && match(f)) return f;
      }
      throw new Error('never reached by Tab');
    };
    const radio = await tabTo((f) => f.tag === 'INPUT' && f.id.startsWith('duration-'));
    assert.equal(radio.id, 'duration-h1', 'the checked choice takes the focus');
    assert.match(radio.outline, /^solid [2-9]/, 'visible focus on the duration choice');
    await h.page.keyboard.press('ArrowRight');
    assert.equal((await focused())?.id, 'duration-h2');
    await h.page.keyboard.press('Tab');
    assert.equal((await focused())?.id, 'status-message');
    await h.page.keyboard.type('heads down');
    const dnd = await tabTo((f) => f.name === 'Do not disturb', 5);
    assert.match(dnd.outline, /^solid [2-9]/, 'visible focus on the button');
    await h.page.keyboard.press('Enter');
    await h.tab.locator('.bar-success', { hasText: /^Do not disturb is set until .*heads down/ }).waitFor();
    const preferred = h.snapshot().preferredPresence;
    assert.equal(preferred?.availability, 'DoNotDisturb');
    assert.ok(preferred && near(preferred.expiresAt, Date.now() + 2 * HOUR));
    await tabTo((f) => f.name === 'Reset status', 12);
    await h.page.keyboard.press('Space');
    await h.tab.locator('.bar-success', { hasText: 'Status reset.' }).waitFor();
    assert.equal(h.snapshot().preferredPresence, null);
  });

  /** A sandbox SSO token for the user, to call the tab's API as the tab would. */
  const apiCall = async (userId: string, method: string, path: string, body?: unknown): Promise<unknown> => {
    const token = await ui.app.sandbox?.issuer.issueSsoToken({ userId, tenantId: TENANT_ID });
    const res = await fetch(`${ui.app.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json();
  };
  const plannedOf = async (userId: string) => ((await apiCall(userId, 'GET', '/api/plans')) as PlansView).planned;

  it('planned statuses: plan one through the form (next full hour, for an hour), see it listed, cancel it by keyboard; axe-clean', async () => {
    const userId = freshUserId();
    // Something to come back, for the screenshot (docs/tab-planned.png is a copy of it).
    await apiCall(userId, 'POST', '/api/presence', { state: 'Busy', durationMinutes: 180 });
    await apiCall(userId, 'POST', '/api/presence', { state: 'DoNotDisturb', durationMinutes: 60, statusMessage: 'deep work' });
    const h = await open({ userId, viewport: { width: 1100, height: 1620 } });
    const frame = await h.frame();
    await h.tab.getByText('Nothing is planned.').waitFor();
    const start = h.tab.getByLabel('Start', { exact: true });
    const end = h.tab.getByLabel('End', { exact: true });
    // The defaults, in the browser's time zone (America/Los_Angeles).
    const next = await frame.evaluate(() => {
      const d = new Date();
      d.setMinutes(0, 0, 0);
      d.setHours(d.getHours() + 1);
      return d.getTime();
    });
    const hour = { start: next, startLocal: await localValue(frame, next), endLocal: await localValue(frame, next + HOUR) };
    assert.equal(await start.inputValue(), hour.startLocal);
    assert.equal(await end.inputValue(), hour.endLocal);
    await h.tab.getByRole('combobox', { name: 'Status', exact: true }).selectOption({ label: 'Appear away' });
    assert.deepEqual(
      await h.tab.getByRole('combobox', { name: 'Status', exact: true }).locator('option').allTextContents(),
      [...PREFERRED, ...SESSION].map(([label]) => label),
    );
    await h.tab.getByLabel('Message (optional)', { exact: true }).fill('focus time');
    const gets: string[] = [];
    h.page.on('request', (r) => {
      if (r.method() === 'GET' && new URL(r.url()).pathname.startsWith('/api/')) gets.push(r.url());
    });
    const said = await h.press('Plan');
    assert.match(said, /^Appear away is planned from .+ to .+\.$/);
    assert.deepEqual(gets, [], 'the list comes from the answer, not from another read');
    const [plan] = await plannedOf(h.userId);
    assert.deepEqual(plan && { ...plan, id: '' }, {
      id: '',
      state: 'Away',
      startAt: new Date(hour.start).toISOString(),
      endAt: new Date(hour.start + HOUR).toISOString(),
      statusMessage: 'focus time',
    });
    const item = h.tab.locator('.plan-text');
    assert.equal(await item.count(), 1);
    const text = (await item.textContent()) ?? '';
    assert.match(text, /^Appear away: .+ to .+$/);
    assert.equal(said, `Appear away is planned from ${text.slice('Appear away: '.length)}.`);
    assert.equal(await h.tab.getByText('Nothing is planned.').isVisible(), false);
    assert.equal(h.snapshot().preferredPresence?.availability, 'DoNotDisturb', 'nothing planned is set before its start');
    assert.match((await h.tab.locator('.now-back').textContent()) ?? '', /^Then Busy comes back until .+\.$/);
    const results = await axe(frame);
    assert.equal(results.violations.length, 0, describeViolations(results));
    await h.page.mouse.move(0, 0);
    await h.page.screenshot({ path: join(SCREENSHOTS, 'planned.png') });

    // By keyboard: the Cancel button's name says what it cancels.
    const cancel = h.tab.getByRole('button', { name: `Cancel ${text}`, exact: true });
    await cancel.focus();
    await h.page.keyboard.press('Enter');
    await h.tab.locator('.bar-success', { hasText: /^Cancelled: Appear away from .+ to .+\.$/ }).waitFor();
    await h.tab.getByText('Nothing is planned.').waitFor();
    assert.deepEqual(await plannedOf(h.userId), []);
    assert.equal(await frame.evaluate(() => document.activeElement?.id), 'plans-heading', 'the focus is not lost with the button');
  });

  it('planned statuses: the form refuses what the service would, says why, and plans nothing', async () => {
    const h = await open();
    const frame = await h.frame();
    const local = (offsetMs: number) => localValue(frame, Date.now() + offsetMs);
    const state = h.tab.getByRole('combobox', { name: 'Status', exact: true });
    const fill = async (startMs: number, endMs: number) => {
      await h.tab.getByLabel('Start', { exact: true }).fill(await local(startMs));
      await h.tab.getByLabel('End', { exact: true }).fill(await local(endMs));
    };
    await fill(HOUR, 2 * HOUR);
    await h.tab.getByLabel('End', { exact: true }).fill(await local(HOUR));
    assert.equal(await h.press('Plan'), 'Pick an end after the start. Nothing was planned.');
    await fill(-HOUR, HOUR);
    assert.equal(await h.press('Plan'), 'Pick a start in the future, at most 7 days ahead. Nothing was planned.');
    await fill(8 * 24 * HOUR, 8 * 24 * HOUR + HOUR);
    assert.equal(await h.press('Plan'), 'Pick a start in the future, at most 7 days ahead. Nothing was planned.');
    await state.selectOption({ label: 'In a call' });
    await fill(HOUR, HOUR + 2 * 60_000);
    assert.equal(await h.press('Plan'), 'In a call can be planned for 5 minutes to 1 day. Nothing was planned.');
    await state.selectOption({ label: 'Do not disturb' });
    await fill(HOUR, HOUR + 8 * 24 * HOUR);
    assert.equal(await h.press('Plan'), 'Do not disturb can be planned for 1 minute to 7 days. Nothing was planned.');
    assert.deepEqual(await plannedOf(h.userId), []);
    // What only the service can know (20 planned already) gets its own sentence; the list stays as it was.
    await h.page.route('**/api/plans', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'invalid_request', message: 'x', field: 'planned' } }),
      }),
    );
    await fill(HOUR, 2 * HOUR);
    assert.equal(await h.press('Plan'), 'You have planned as many statuses as this app keeps. Cancel one first. Nothing was planned.');
    assert.equal(await h.tab.getByText('Nothing is planned.').isVisible(), true);
    // A new start keeps the span: the end moves with it.
    await fill(HOUR, 3 * HOUR);
    await h.tab.getByLabel('Start', { exact: true }).fill(await local(5 * HOUR));
    assert.equal(await h.tab.getByLabel('End', { exact: true }).inputValue(), await local(7 * HOUR));
  });

  it('"Then Busy comes back until …" under the status after Busy 3 hours, then Do not disturb 1 hour; plans listed at a phone\'s width', async () => {
    const userId = freshUserId();
    const busy = (await apiCall(userId, 'POST', '/api/presence', { state: 'Busy', durationMinutes: 180 })) as SetView;
    await apiCall(userId, 'POST', '/api/presence', { state: 'DoNotDisturb', durationMinutes: 60 });
    const soon = Math.ceil((Date.now() + 2 * HOUR) / HOUR) * HOUR;
    await apiCall(userId, 'POST', '/api/plans', {
      state: 'InAConferenceCall',
      startAt: new Date(soon).toISOString(),
      endAt: new Date(soon + HOUR).toISOString(),
    });
    const h = await open({ userId, width: 'phone', viewport: { width: 420, height: 2150 } });
    const frame = await h.frame();
    assert.equal(await h.tab.locator('.now-label').textContent(), 'Do not disturb');
    const until = await frame.evaluate(
      (iso) => new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' }).format(new Date(iso)),
      busy.set.expiresAt,
    );
    const back = h.tab.locator('.now-back');
    // Busy's end is today or, late in the evening, tomorrow (with the weekday).
    assert.match((await back.textContent()) ?? '', new RegExp(`^Then Busy comes back until (\\w{3} )?${until}\\.$`));
    assert.match((await h.tab.locator('.plan-text').textContent()) ?? '', /^In a conference call: .+ to .+$/);
    const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no horizontal scrolling');
    const results = await axe(frame);
    assert.equal(results.violations.length, 0, describeViolations(results));
    await h.page.mouse.move(0, 0);
    await h.page.screenshot({ path: join(SCREENSHOTS, 'planned-phone.png') });
    // Reset: nothing comes back any more, and the line goes.
    await h.press('Reset status');
    assert.equal(await back.isHidden(), true);
  });

  /** The reminder setting as the tab's API has it for this user (the same record the bot's `remind` reads). */
  const reminderLead = async (userId: string): Promise<unknown> => {
    const token = await ui.app.sandbox?.issuer.issueSsoToken({ userId, tenantId: TENANT_ID });
    const res = await fetch(`${ui.app.url}/api/reminders`, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { leadMinutes: unknown }).leadMinutes;
  };

  it('reminder setting: shows the default, 5 minutes chosen is saved and confirmed, Off too; a lead set in chat is a choice; axe-clean', async () => {
    const h = await open();
    const select = h.tab.getByLabel('Remind me before a status ends');
    await select.waitFor();
    assert.equal(await select.inputValue(), '10');
    assert.deepEqual(await select.locator('option').allTextContents(), ['Off', '5 minutes', '10 minutes (default)', '15 minutes', '30 minutes']);
    await select.selectOption({ label: '5 minutes' });
    await h.tab.locator('.bar-success', { hasText: 'Reminders 5 minutes before the end.' }).waitFor();
    assert.equal(await reminderLead(h.userId), 5);
    const results = await axe(await h.frame());
    assert.equal(results.violations.length, 0, describeViolations(results));
    // By keyboard: focus the select and move to the choice above, Off.
    await select.focus();
    await h.page.keyboard.press('ArrowUp');
    await h.tab.locator('.bar-success', { hasText: 'Reminders are off.' }).waitFor();
    assert.equal(await reminderLead(h.userId), null);
    await h.close();

    const userId = freshUserId();
    const token = await ui.app.sandbox?.issuer.issueSsoToken({ userId, tenantId: TENANT_ID });
    await fetch(`${ui.app.url}/api/reminders`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ leadMinutes: 7 }),
    });
    host = await open({ userId });
    const seven = host.tab.getByLabel('Remind me before a status ends');
    await seven.waitFor();
    assert.equal(await seven.inputValue(), '7');
    assert.deepEqual(await seven.locator('option').allTextContents(), ['Off', '5 minutes', '7 minutes', '10 minutes (default)', '15 minutes', '30 minutes']);
  });

  it('reminder setting: when it cannot be read the row stays hidden and nothing else is affected; a failed change says so and goes back', async () => {
    let failGet = true;
    let gets = 0;
    const h = await open();
    // The first load has read the setting: every read from here on is the route's.
    await h.tab.locator('.reminder-row').waitFor();
    await h.page.route('**/api/reminders', async (route) => {
      const get = route.request().method() === 'GET';
      if (get) gets++;
      if (!get || failGet)
        await route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage_unavailable', message: 'x' } }) });
      else await route.fallback();
    });
    // Loaded again under the route, so the tab's first read of the setting meets it.
    await h.page.reload();
    await h.ready();
    // A change made and shown after the failed read: by then the page has long handled its answer.
    assert.match(await h.press('Busy'), /^Busy is set until /);
    assert.equal(gets, 1);
    assert.equal(await h.tab.locator('.reminder-row').isHidden(), true);
    assert.equal(await h.tab.locator('.alert-text').textContent(), '');

    failGet = false;
    await h.page.reload();
    await h.ready();
    const select = h.tab.getByLabel('Remind me before a status ends');
    await select.waitFor();
    await select.selectOption({ label: '15 minutes' });
    await h.tab.locator('.alert-text', { hasText: 'This app’s storage isn’t answering right now. Try again in a minute.' }).waitFor();
    assert.equal(await select.inputValue(), '10');
    assert.equal(await reminderLead(h.userId), 10);
  });

  it('axe-core finds no violations: default, dark and high contrast, with a result showing, and with the consent prompt', async () => {
    const h = await open({ viewport: { width: 1100, height: 1300 } });
    await h.chooseDuration('Custom duration');
    await h.tab.getByLabel('Status message (optional)').fill('focus');
    await h.press('Busy');
    const frame = await h.frame();
    for (const theme of ['default', 'dark', 'contrast'] as const) {
      await h.page.locator('select[name=theme]').selectOption(theme);
      await frame.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
      const results = await axe(frame);
      assert.equal(results.violations.length, 0, `${theme}:\n${describeViolations(results)}`);
    }
    assert.deepEqual(h.problems, []);
    await h.close();
    const userId = freshUserId();
    ui.app.sandbox?.issuer.setConsent(userId, false);
    host = await ui.open({ userId });
    await host.tab.getByRole('button', { name: 'Grant permission' }).waitFor();
    const results = await axe(await host.frame());
    assert.equal(results.violations.length, 0, describeViolations(results));
  });
});

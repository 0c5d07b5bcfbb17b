/**
 * The personal tab in headless Chromium, through the sandbox Teams host, against the real app
 * (startServer in sandbox mode) with tab/dist freshly built by buildTab().
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Frame, type FrameLocator, type Page } from 'playwright-core';
import { silentLogger } from '../../presence/log';
import type { UserSnapshot } from '../../sandbox/graph/emulator';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { buildTab, type TabBuildResult } from '../../tab/build';
import { CHROMIUM_ARGS, isLoopbackUrl } from '../support/chromium';
import { storageEnv } from '../support/storage';
import type { AxeResults } from 'axe-core';
import { readFileSync } from 'node:fs';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the frame's page (the script injected once per page). */
export async function axe(frame: Frame): Promise<AxeResults> {
  if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(AXE);
  return frame.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, { resultTypes: ['violations'] }),
  );
}

export const TENANT_ID = '00000000-0000-0000-0000-000000000001';
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'tab');

let built: Promise<TabBuildResult> | undefined;
/** One build per test run. */
function buildTabOnce(): Promise<TabBuildResult> {
  built ??= buildTab();
  return built;
}

let nextUser = 1;
/** A fresh sandbox user per test, so no test sees another's presence, ledger or cached tokens. */
export function freshUserId(): string {
  return `00000000-0000-4000-8000-${String(0x7ab000 + nextUser++).padStart(12, '0')}`;
}

export interface HostOptions {
  readonly userId?: string;
  readonly theme?: 'default' | 'dark' | 'contrast';
  readonly locale?: string;
  readonly width?: 'desktop' | 'phone';
  readonly viewport?: { readonly width: number; readonly height: number };
  readonly timezoneId?: string;
}

export interface HostPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** The tab inside the host's iframe. */
  readonly tab: FrameLocator;
  readonly userId: string;
  /** Console errors and page errors from the host, the tab and any popup (known, harmless ones left out). */
  readonly problems: string[];
  frame(): Promise<Frame>;
  snapshot(): UserSnapshot;
  /** Waits until the tab's buttons answer clicks and its first read of the presence has landed. */
  ready(): Promise<void>;
  /** Clicks a state button (or Reset) and waits until the tab has announced the result and refreshed. */
  press(name: string): Promise<string>;
  chooseDuration(label: string): Promise<void>;
  close(): Promise<void>;
}

export interface TabUi {
  readonly app: RunningApp;
  readonly browser: Browser;
  readonly build: TabBuildResult;
  open(options?: HostOptions): Promise<HostPage>;
  close(): Promise<void>;
}

/**
 * Console errors the tab cannot avoid and that do no harm: teams-js' fetch of its valid-domains list
 * (no internet here), favicons, and Chromium's note on each API answer with an error status (the tests
 * that provoke those check what the page says instead).
 */
function harmless(message: ConsoleMessage): boolean {
  const url = message.location().url;
  const text = message.text();
  if (/res\.cdn\.office\.net|favicon\.ico/.test(url)) return true;
  if (/ERR_BLOCKED_BY_CLIENT|ERR_NAME_NOT_RESOLVED/.test(text) && !isLoopbackUrl(url)) return true;
  const path = new URL(url).pathname;
  return (
    text.startsWith('Failed to load resource: the server responded with a status of') &&
    (['/api/presence', '/api/reminders', '/api/plans'].includes(path) || path.startsWith('/api/plans/'))
  );
}

export async function startTabUi(executablePath: string): Promise<TabUi> {
  const build = await buildTabOnce();
  const app = await startServer(loadConfig({ PORT: '0', ...(await storageEnv()) }), { logger: silentLogger });
  const browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const sandbox = app.sandbox;
  if (!sandbox) throw new Error('the tab UI tests need sandbox mode');

  return {
    app,
    browser,
    build,
    async open(options = {}) {
      const userId = options.userId ?? freshUserId();
      const context = await browser.newContext({
        viewport: options.viewport ?? { width: 1100, height: 1000 },
        timezoneId: options.timezoneId ?? 'America/Los_Angeles',
        locale: 'en-US',
      });
      // The page must never reach the internet; tests that stand in for Entra add their own route first.
      await context.route(
        (url) => !isLoopbackUrl(url.href),
        (route) => route.abort('blockedbyclient'),
      );
      const problems: string[] = [];
      const watch = (p: Page) => {
        p.on('console', (m) => {
          if (m.type() === 'error' && !harmless(m)) problems.push(`console: ${m.text()} (${m.location().url})`);
        });
        p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      };
      context.on('page', watch);
      const page = await context.newPage();
      const query = new URLSearchParams({
        userId,
        tenantId: TENANT_ID,
        theme: options.theme ?? 'default',
        locale: options.locale ?? 'en-US',
        width: options.width ?? 'desktop',
      });
      await page.goto(`${app.url}/sandbox/teams?${query.toString()}`);
      const tab = page.frameLocator('#tab');
      const host: HostPage = {
        page,
        context,
        tab,
        userId,
        problems,
        async frame() {
          const handle = await page.locator('#tab').elementHandle();
          const frame = await handle?.contentFrame();
          if (!frame) throw new Error('no tab frame');
          return frame;
        },
        snapshot: () => sandbox.emulator.snapshot(userId),
        async ready() {
          await tab.locator('html[data-ready]').waitFor({ state: 'attached' });
          await tab.locator('.now[aria-busy="false"]').waitFor({ state: 'attached' });
        },
        async press(name) {
          const frame = await host.frame();
          await tab.getByRole('button', { name, exact: true }).click();
          // The click cleared both message bars; done when the tab is no longer busy and has said something.
          // (No named functions inside: tsx would wrap them in a helper the page does not have.)
          await frame.waitForFunction(
            () =>
              document.querySelector('.change')?.getAttribute('aria-busy') !== 'true' &&
              ((document.querySelector('.bar-success')?.textContent ?? '') !== '' || (document.querySelector('.alert-text')?.textContent ?? '') !== ''),
          );
          return (await frame.locator('.alert-text').textContent()) || (await frame.locator('.bar-success').textContent()) || '';
        },
        async chooseDuration(label) {
          await tab.locator('label.chip', { hasText: new RegExp(`^${label}$`) }).click();
        },
        async close() {
          await context.close();
        },
      };
      return host;
    },
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

/** `expected` within `toleranceMs` of `actual`. */
export function near(actual: string | number | Date, expected: number, toleranceMs = 60_000): boolean {
  const ms = actual instanceof Date ? actual.getTime() : typeof actual === 'string' ? Date.parse(actual) : actual;
  return Math.abs(ms - expected) <= toleranceMs;
}

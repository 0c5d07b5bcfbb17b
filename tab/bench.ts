/**
 * The tab's budget, measured (a benchmark, not a test): the page's JavaScript gzipped, and how long
 * after load its buttons answer clicks, over 5 loads of the sandbox Teams host in headless Chromium
 * on localhost. Run: tsx tab/bench.ts
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { silentLogger } from '../presence/log';
import { startServer, type RunningApp } from '../server/app';
import { loadConfig } from '../server/config';
import { buildTab } from './build';

const LOADS = 5;
const BUDGET_GZIP_BYTES = 60 * 1024;
const BUDGET_USABLE_MS = 500;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Load {
  /** From the tab document's navigation start to its buttons answering clicks (performance mark 'tab-usable'). */
  readonly tabMs: number;
  /** From the host page's navigation start: the host, its iframe, the tab and the teams-js handshake. */
  readonly hostMs: number;
  /** From the tab's navigation start to its script running (teams-js evaluated) and to teams-js initialized. */
  readonly scriptMs: number;
  readonly initializedMs: number;
  /** From the tab's navigation start to its first presence shown (getAuthToken, then GET /api/presence answered). */
  readonly presenceMs: number;
}

interface Click {
  readonly button: string;
  readonly graph: number;
  readonly target: number;
  /** Requests to /api/ the click made (1: the change alone, the page showing its answer). */
  readonly apiRequests: number;
}

/** A preferred state, a session state and Reset clicked in the tab, each one's Graph calls and API requests counted. */
async function graphCallsPerClick(app: RunningApp, browser: Browser): Promise<Click[]> {
  const sandbox = app.sandbox;
  if (!sandbox) throw new Error('sandbox expected');
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  let apiRequests = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/presence')) apiRequests++;
  });
  await page.goto(`${app.url}/sandbox/teams?userId=00000000-0000-4000-8000-0000000beaaa`);
  const frame = await (await page.locator('#tab').elementHandle())?.contentFrame();
  if (!frame) throw new Error('no tab frame');
  await frame.waitForSelector('.now[aria-busy="false"]', { state: 'attached' });
  const clicks: Click[] = [];
  for (const [button, target] of [
    ['Busy', 1],
    ['In a call', 2],
    ['Reset status', 3],
  ] as const) {
    const [graphBefore, apiBefore] = [sandbox.graphRequests().length, apiRequests];
    const answered = page.waitForResponse((res) => res.url().includes('/api/presence') && res.request().method() !== 'GET');
    await frame.getByRole('button', { name: button, exact: true }).click();
    await answered;
    // Long enough for a read after the answer to have started, were the page to make one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    clicks.push({ button, graph: sandbox.graphRequests().length - graphBefore, target, apiRequests: apiRequests - apiBefore });
  }
  await context.close();
  return clicks;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const build = await buildTab();
  // Its own memory store: the tab's load time is measured, not the developer's .sandbox data (or its lock).
  const app = await startServer(loadConfig({ PORT: '0', STORAGE: 'memory' }), { logger: silentLogger });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const loads: Load[] = [];
  const clicks: Click[] = [];
  try {
    // One warm-up load (the host script is bundled on first request), then the measured loads, each in a fresh context (cold cache).
    for (let i = 0; i <= LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
      await context.route(
        (url) => !/^(127\.|localhost$)/.test(url.hostname),
        (route) => route.abort('blockedbyclient'),
      );
      const page = await context.newPage();
      await page.goto(`${app.url}/sandbox/teams?userId=00000000-0000-4000-8000-0000000be${String(i).padStart(3, '0')}`);
      const frame = await (await page.locator('#tab').elementHandle())?.contentFrame();
      if (!frame) throw new Error('no tab frame');
      await frame.waitForSelector('html[data-ready]', { state: 'attached' });
      await frame.waitForSelector('.now[aria-busy="false"]', { state: 'attached' });
      const tab = await frame.evaluate(() => ({
        marks: Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
        origin: performance.timeOrigin,
      }));
      const mark = (name: string) => tab.marks[name] ?? Number.NaN;
      const hostOrigin = await page.evaluate(() => performance.timeOrigin);
      if (i > 0) {
        loads.push({
          tabMs: mark('tab-usable'),
          hostMs: tab.origin + mark('tab-usable') - hostOrigin,
          scriptMs: mark('tab-script'),
          initializedMs: mark('tab-initialized'),
          presenceMs: mark('tab-presence'),
        });
      }
      await context.close();
    }
    clicks.push(...(await graphCallsPerClick(app, browser)));
  } finally {
    await browser.close();
    await app.close();
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(`page JavaScript (tab/dist/main.js): ${kb(build.bytes)} minified, ${kb(build.gzipBytes)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)})`);
  console.log(`time to usable buttons, ${LOADS} loads on localhost, headless Chromium:`);
  console.log(
    `  from the tab's load:       median ${ms(median(loads.map((l) => l.tabMs)))}  (${loads.map((l) => ms(l.tabMs)).join(', ')})  budget ${BUDGET_USABLE_MS} ms`,
  );
  console.log(`  from the host page's load: median ${ms(median(loads.map((l) => l.hostMs)))}  (${loads.map((l) => ms(l.hostMs)).join(', ')})`);
  console.log(
    `  of which: script running ${ms(median(loads.map((l) => l.scriptMs)))}, teams-js initialized ${ms(median(loads.map((l) => l.initializedMs)))} (medians, from the tab's load)`,
  );
  console.log(`  first presence shown:      median ${ms(median(loads.map((l) => l.presenceMs)))} from the tab's load`);
  console.log('Graph calls per click (the answer shows what is set: no second read):');
  for (const c of clicks) console.log(`  ${c.button.padEnd(14)} ${c.graph} Graph calls (target ${c.target}), ${c.apiRequests} API request`);
  const ok =
    build.gzipBytes <= BUDGET_GZIP_BYTES &&
    median(loads.map((l) => l.tabMs)) <= BUDGET_USABLE_MS &&
    clicks.every((c) => c.graph === c.target && c.apiRequests === 1);
  console.log(ok ? 'within budget' : 'OVER BUDGET');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

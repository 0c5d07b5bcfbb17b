/**
 * Headless Chromium for browser tests, from the system (Debian's `chromium` package), never downloaded.
 *
 *   before(function () { chromiumPath = requireChromium(this); });   // skips LOUDLY when it is missing
 *   const browser = await launchChromium({ executablePath: chromiumPath });
 *   ... browser.page ...
 *   await browser.close();
 */
import { accessSync, constants as fsConstants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where we look, in order: $CHROMIUM_PATH, then Debian's binary. */
const CHROMIUM_CANDIDATES: readonly string[] = ['/usr/bin/chromium'];

const CHROMIUM_INSTALL_HINT = 'Install it with `apt-get install -y chromium` (or point CHROMIUM_PATH at a Chromium binary).';

/** Headless, no sandbox (containers run as root), no GPU, and no traffic of Chromium's own (updates, sync, QUIC). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium binary to use: $CHROMIUM_PATH if set and executable, else /usr/bin/chromium; undefined when neither is there. */
function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.CHROMIUM_PATH?.trim();
  const candidates = fromEnv ? [fromEnv, ...CHROMIUM_CANDIDATES] : CHROMIUM_CANDIDATES;
  return candidates.find(isExecutable);
}

/**
 * For a mocha `before`/`it` (a `function`, not an arrow): returns the Chromium path, or skips the test(s)
 * with a console.warn saying Chromium is missing and how to install it — never silently.
 * Set REQUIRE_CHROMIUM=1 (e.g. in CI) to fail instead of skipping.
 */
export function requireChromium(ctx: Mocha.Context): string {
  const path = findChromium();
  if (path) return path;
  // In a before() hook the whole suite is skipped, so name the suite; in an it(), the test.
  const runnable = ctx.test;
  const isHook = runnable !== undefined && 'type' in runnable && runnable.type === 'hook';
  const title = (isHook ? runnable.parent?.fullTitle() : runnable?.fullTitle()) ?? 'browser test';
  const looked = [process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH}` : 'CHROMIUM_PATH (unset)', ...CHROMIUM_CANDIDATES].join(', ');
  const message = `Chromium is missing (looked at ${looked}). ${CHROMIUM_INSTALL_HINT}`;
  if (process.env.REQUIRE_CHROMIUM === '1') throw new Error(`${title}: ${message}`);
  console.warn(`\n  ⚠ SKIPPING "${title}": ${message}\n`);
  ctx.skip();
}

export interface LaunchOptions {
  /** Defaults to findChromium(); throws if there is none. */
  readonly executablePath?: string;
  /** Browser time zone and locale (the Playground ignores them for activities; they only affect page rendering). */
  readonly timezoneId?: string;
  readonly locale?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Abort every request that is not to a loopback host (default true): the page must never reach the internet. */
  readonly loopbackOnly?: boolean;
}

export interface ChromiumSession {
  readonly context: BrowserContext;
  /** The context's first tab. */
  readonly page: Page;
  /** Profile directory, a fresh temporary one, removed on close(). */
  readonly userDataDir: string;
  /** Requests aborted because they were not to loopback (e.g. the Playground's web fonts on a CDN). */
  readonly blockedRequests: readonly string[];
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
    return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
  } catch {
    return false;
  }
}

/** Launches headless Chromium with CHROMIUM_ARGS and a fresh temporary --user-data-dir (a persistent context). */
export async function launchChromium(options: LaunchOptions = {}): Promise<ChromiumSession> {
  const executablePath = options.executablePath ?? findChromium();
  if (!executablePath) throw new Error(`Chromium is missing. ${CHROMIUM_INSTALL_HINT}`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timezoneId: options.timezoneId,
      locale: options.locale,
      viewport: options.viewport ?? { width: 1280, height: 900 },
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  const blockedRequests: string[] = [];
  if (options.loopbackOnly ?? true) {
    await context.route(
      (url) => !isLoopbackUrl(url.href),
      async (route) => {
        blockedRequests.push(route.request().url());
        await route.abort('blockedbyclient');
      },
    );
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    userDataDir,
    blockedRequests,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

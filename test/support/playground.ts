/**
 * Microsoft 365 Agents Playground (the `agentsplayground` CLI, @microsoft/m365agentsplayground) for end-to-end
 * tests: start it on a free port pointed at a bot, then drive its web page with Playwright.
 *
 *   const playground = await startPlayground({ botEndpoint: `${app.url}/api/messages` });
 *   await openChat(page, playground.url);
 *   const mark = await sendMessage(page, 'dnd 8h');
 *   const reply = await waitForBotReply(page, /Do not disturb/, { since: mark });
 *   await playground.stop();
 *
 * Facts this relies on (Playground 0.2.28, see the notes in the e2e test):
 * - `-p 0` makes it pick a random free port; it prints `Listening on <port>` on stdout (only when stdout is not a
 *   TTY), *before* it mounts its backend and validates its config, so readiness = that line + GET /_debug/ping → pong.
 * - TEAMSAPPTESTER_BROWSER=none stops it from opening a browser; --disable-telemetry stops usage events (exceptions
 *   still go to Application Insights, which fails harmlessly offline), APPLICATION_INSIGHTS_NO_STATSBEAT=1 stops statsbeat.
 * - It writes its log to ./devTools/m365agentsplayground.log and reads ./.m365agentsplayground.yml from its cwd, so we
 *   run it in a temporary directory.
 * - Its built-in user/tenant IDs are not GUIDs (13 hex digits in the last group: 00000000-0000-0000-0000-0000000000020),
 *   so by default we give it a config file with proper GUIDs (PLAYGROUND_USER).
 * - `localTimezone` in activities is the Playground *process's* time zone (TZ), not the browser's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startLocaleRelay } from '../../scripts/locale-relay';
import { PLAYGROUND_CLI, PLAYGROUND_USER, playgroundConfig, type PlaygroundUser } from '../../scripts/playground';

export { PLAYGROUND_USER, type PlaygroundUser };

/** What the Playground sends when it runs with its built-in config (NOT valid GUIDs: 13 digits in the last group). */
const PLAYGROUND_BUILTIN_USER: PlaygroundUser = {
  id: 'user-id-0',
  name: 'Alex Wilber',
  aadObjectId: '00000000-0000-0000-0000-0000000000020',
  tenantId: '00000000-0000-0000-0000-0000000000001',
};

export type PlaygroundChannel = 'msteams' | 'directline' | 'webchat' | 'emulator' | 'agents';

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  readonly botEndpoint: string;
  /** 0 or absent: a random free port. (If a given port is taken, the CLI silently falls back to a random one.) */
  readonly port?: number;
  readonly channelId?: PlaygroundChannel;
  /** The locale the activities carry (the Playground writes en-US; a relay, scripts/locale-relay.ts, writes this instead). */
  readonly locale?: string;
  /** IANA zone the Playground puts in `localTimezone` (it uses its own process's TZ). Default: inherited TZ. */
  readonly timeZone?: string;
  /** The chatting user; `'builtin'` keeps the Playground's own (malformed-GUID) defaults. Default PLAYGROUND_USER. */
  readonly user?: PlaygroundUser | 'builtin';
  /** Bot display name in the chat (config file only). Default 'Test Bot'. */
  readonly botName?: string;
  readonly readyTimeoutMs?: number;
}

export interface Playground {
  /** The web page, e.g. http://127.0.0.1:41235 */
  readonly url: string;
  readonly port: number;
  readonly user: PlaygroundUser;
  /** The Playground's own log (its console output; the page's log panel is richer). */
  readLog(): string;
  /** Kills the CLI's whole process group and removes its temporary directory. Idempotent. */
  stop(): Promise<void>;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Starts the Playground CLI in its own process group and resolves once its page and backend answer. */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const user = options.user === 'builtin' ? PLAYGROUND_BUILTIN_USER : (options.user ?? PLAYGROUND_USER);
  const workDir = mkdtempSync(join(tmpdir(), 'agents-playground-'));
  const logFile = join(workDir, 'playground.log');
  if (options.user !== 'builtin') writeFileSync(join(workDir, '.m365agentsplayground.yml'), playgroundConfig(user, options.botName ?? 'Test Bot'));

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'http_proxy',
    'https_proxy',
    'BOT_ENDPOINT',
    'TEAMSAPPTESTER_PORT',
    'M365_AGENTS_PLAYGROUND_CONFIG_PATH',
    'TEAMS_APP_TEST_TOOL_CONFIG_PATH',
    'M365_AGENTS_PLAYGROUND_SERVICE_URL',
  ]) {
    delete env[name];
  }
  Object.assign(env, {
    TEAMSAPPTESTER_BROWSER: 'none',
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    NO_PROXY: '*',
  });
  if (options.timeZone) env.TZ = options.timeZone;
  const relay = options.locale ? await startLocaleRelay(options.botEndpoint, options.locale) : undefined;

  const args = [
    PLAYGROUND_CLI,
    '--app-endpoint',
    relay?.url ?? options.botEndpoint,
    '--port',
    String(options.port ?? 0),
    '--channel-id',
    options.channelId ?? 'msteams',
    '--disable-telemetry',
  ];
  const child = spawn(process.execPath, args, { cwd: workDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If the test process dies without stop(), do not leave the Playground behind.
  const onExit = (): void => killGroup(child, 'SIGKILL');
  process.once('exit', onExit);

  const readLog = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    killGroup(child, 'SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), delay(5_000).then(() => true)]);
    if (timedOut) {
      killGroup(child, 'SIGKILL');
      await Promise.race([exited, delay(2_000)]);
    }
    rmSync(workDir, { recursive: true, force: true });
    await relay?.close();
  };
  const fail = async (why: string): Promise<never> => {
    const log = readLog();
    await stop();
    throw new Error(`Agents Playground did not start: ${why}\n--- output ---\n${tail(output)}\n--- log ---\n${tail(log)}`);
  };

  const deadline = Date.now() + readyTimeoutMs;
  let port: number | undefined;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return fail(`it exited (${child.exitCode ?? child.signalCode})`);
    port ??= Number(/Listening on (\d+)/.exec(output)?.[1]) || undefined;
    if (port !== undefined) {
      // "Listening on" comes before the backend is mounted and the config validated; /_debug/ping proves both.
      const pong = await fetch(`http://127.0.0.1:${port}/_debug/ping`, { signal: AbortSignal.timeout(2_000) })
        .then(async (res) => (res.ok ? res.text() : ''))
        .catch(() => '');
      if (pong === 'pong' && child.exitCode === null) {
        return { url: `http://127.0.0.1:${port}`, port, user, readLog, stop };
      }
    }
    await delay(100);
  }
  return fail(`not ready within ${readyTimeoutMs} ms`);
}

// ---------------------------------------------------------------------------------------------------------------
// Page helpers. Selectors (Playground 0.2.28 web client, Fluent UI v9 + adaptivecards):
//   message box:   [role=textbox][contenteditable=true] (a Lexical editor; placeholder text "Type a message...")
//   send:          button "Send Message"
//   bot messages:  .fai-OutputCard (Fluent AI OutputCard: one per bot activity; text and each card render separately)
//   card:          .ac-adaptiveCard inside it; card buttons are role=button with the action title as accessible name
//   author:        [aria-label="Message author"]  (the bot's name from the config, "Test Bot" by default)
// ---------------------------------------------------------------------------------------------------------------

const SELECTORS = {
  messageBox: '[role="textbox"][contenteditable="true"]',
  botMessage: '.fai-OutputCard',
  adaptiveCard: '.ac-adaptiveCard',
  logPanel: '[contenteditable="true"][spellcheck="false"]',
} as const;

export interface BotReply {
  /** Position among the bot messages on the page (0 = first). */
  readonly index: number;
  /** innerText of the whole message, card included. */
  readonly text: string;
  /** innerText of the Adaptive Card(s) in it; undefined for a plain text message. */
  readonly cardText?: string;
  readonly locator: Locator;
}

export type ReplyMatch = string | RegExp | ((reply: BotReply) => boolean);

/**
 * Opens the Playground page and waits until the chat is usable and settled: the message box is there (the 9 MB
 * bundle takes a few seconds), the installationUpdate + conversationUpdate the page sends on every load have been
 * answered (POST /_debug/conversation/{id}/installation), and the bot messages that caused (a welcome card) have
 * stopped arriving — so a later sendMessage mark does not count the welcome as a reply.
 */
export async function openChat(page: Page, url: string, options: { timeoutMs?: number; settleMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const installed = page
    .waitForResponse((res) => /\/_debug\/conversation\/[^/]+\/installation$/.test(new URL(res.url()).pathname), { timeout: timeoutMs })
    .then(
      () => true,
      () => false,
    );
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.locator(SELECTORS.messageBox).waitFor({ state: 'visible', timeout: timeoutMs });
  await page.getByRole('button', { name: 'Send Message' }).waitFor({ state: 'visible', timeout: timeoutMs });
  if (!(await installed)) return; // an older or newer client: nothing to settle on
  const settleMs = options.settleMs ?? 750;
  const deadline = Date.now() + Math.min(timeoutMs, 10_000);
  let count = await page.locator(SELECTORS.botMessage).count();
  let stableSince = Date.now();
  while (Date.now() - stableSince < settleMs && Date.now() < deadline) {
    await delay(100);
    const now = await page.locator(SELECTORS.botMessage).count();
    if (now !== count) {
      count = now;
      stableSince = Date.now();
    }
  }
}

/** All bot messages currently on the page. */
export async function botReplies(page: Page): Promise<BotReply[]> {
  const all = page.locator(SELECTORS.botMessage);
  const count = await all.count();
  const replies: BotReply[] = [];
  for (let index = 0; index < count; index++) {
    const locator = all.nth(index);
    const text = await locator.innerText().catch(() => '');
    const cards = locator.locator(SELECTORS.adaptiveCard);
    const cardText = (await cards.count()) > 0 ? (await cards.allInnerTexts()).join('\n') : undefined;
    replies.push({ index, text, cardText, locator });
  }
  return replies;
}

/** Types `text` into the message box and sends it. Returns a mark (the number of bot messages before) for waitForBotReply. */
export async function sendMessage(page: Page, text: string): Promise<number> {
  const mark = await page.locator(SELECTORS.botMessage).count();
  const box = page.locator(SELECTORS.messageBox);
  await box.click();
  await page.keyboard.type(text);
  await page.getByRole('button', { name: 'Send Message' }).click();
  return mark;
}

function matches(reply: BotReply, match: ReplyMatch): boolean {
  if (typeof match === 'function') return match(reply);
  if (typeof match === 'string') return reply.text.includes(match);
  return match.test(reply.text);
}

/** The page's log panel (requests between Playground and bot, with status codes), for error messages. */
async function playgroundLogPanel(page: Page): Promise<string> {
  return page
    .locator(SELECTORS.logPanel)
    .first()
    .innerText({ timeout: 1_000 })
    .catch(() => '(log panel not found)');
}

/**
 * Waits for a bot message (at or after index `since`, e.g. the mark from sendMessage) whose text contains `match`
 * (string), matches it (RegExp), or satisfies it (predicate). On timeout, the error lists what the bot did say and
 * the Playground's log panel.
 */
export async function waitForBotReply(page: Page, match: ReplyMatch, options: { since?: number; timeoutMs?: number } = {}): Promise<BotReply> {
  const since = options.since ?? 0;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const replies = (await botReplies(page)).filter((r) => r.index >= since);
    const found = replies.find((r) => matches(r, match));
    if (found) return found;
    if (Date.now() >= deadline) {
      const said = replies.map((r) => `  [${r.index}] ${r.text.replace(/\s+/g, ' ').trim()}`).join('\n') || '  (nothing)';
      throw new Error(
        `No bot reply matching ${String(match)} within ${options.timeoutMs ?? 20_000} ms.\nBot messages since #${since}:\n${said}\nPlayground log panel:\n${tail(await playgroundLogPanel(page), 15)}`,
      );
    }
    await delay(200);
  }
}

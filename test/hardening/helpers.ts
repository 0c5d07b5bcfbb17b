/**
 * Shared by the hardening tests: the real app in sandbox or production mode with its real JSON log captured,
 * raw HTTP that survives a server closing on an unread body, a seeded PRNG, and Graph writes as the emulator saw them.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { Logger } from '../../presence/log';
import { startServer, type RunningApp, type StartOptions } from '../../server/app';
import { loadConfig, type Env } from '../../server/config';
import { createLogger } from '../../server/log';
import { storageEnv } from '../support/storage';
import { UNLIMITED as NO_LIMITS } from '../tab-api/helpers';
import { createServer, type AddressInfo } from 'node:net';
import { silentLogger } from '../../presence/log';
import type { Sandbox } from '../../sandbox';
import type { RecordedRequest } from '../../sandbox/graph/routes';

/** Credentials for production mode on loopback (as test/server/production-mode.test.ts): no sandbox route exists. */
export const PRODUCTION_ENV: Env = {
  BOT_ID: '11111111-2222-4333-8444-555555555555',
  BOT_PASSWORD: 'test-secret-value',
  BOT_DOMAIN: 'presence.example.com',
  HOST: '127.0.0.1',
  PORT: '0',
};

/** So many failed authentications that the per-address guard never answers 429 in a test that is not about it. */
export const UNGUARDED: NonNullable<StartOptions['authFailures']> = NO_LIMITS.authFailures;
/** Fair-use limits no test traffic reaches, for tests that are not about them. */
export const UNLIMITED: NonNullable<StartOptions['limits']> = NO_LIMITS.limits;

/** The real JSON logger (server/log.ts), every line kept. */
function capturedLog(): { readonly logger: Logger; readonly lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('debug', (line) => lines.push(line)), lines };
}

export interface LoggedApp {
  readonly app: RunningApp;
  /** Every line the app logged, as written. */
  readonly lines: string[];
  /** The logger writing them (to route the console to, as server/main.ts does). */
  readonly logger: Logger;
}

/** The app on a free loopback port, on tables of its own, logging to `lines`. */
export async function startLoggedApp(mode: 'sandbox' | 'production', options: Omit<StartOptions, 'logger'> = {}, env: Env = {}): Promise<LoggedApp> {
  const { logger, lines } = capturedLog();
  const base = mode === 'production' ? PRODUCTION_ENV : { PORT: '0' };
  const app = await startServer(loadConfig({ ...base, ...(await storageEnv()), ...env }), { logger, ...options });
  return { app, lines, logger };
}

/** Every line is one JSON object and none holds anything shaped like a JWT. */
export function assertCleanLog(lines: readonly string[]): void {
  for (const line of lines) {
    let parsed: unknown;
    assert.doesNotThrow(() => (parsed = JSON.parse(line)), `not JSON: ${line.slice(0, 300)}`);
    assert.ok(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), `not a JSON object: ${line.slice(0, 300)}`);
    assert.ok(!line.includes('eyJ'), `a JWT in the log: ${line.slice(0, 300)}`);
  }
}

/** Runs `fn` and says how many log lines appeared meanwhile (for one request at a time: the lines it caused). */
export async function linesDuring<T>(lines: readonly string[], fn: () => Promise<T>): Promise<{ result: T; added: readonly string[] }> {
  const before = lines.length;
  const result = await fn();
  return { result, added: lines.slice(before) };
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * One request with node:http, so the bytes are sent exactly as given (fetch would neither keep a Content-Encoding
 * honest nor let a body be refused half-sent). A server that answers before reading the whole body and closes the
 * connection may reset it while the body is still being written: the answer counts once its status line arrived.
 */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest({ host: hostname, port, method: options.method ?? 'POST', path: options.path, headers: options.headers, agent: false }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.end(options.body);
  });
}

/** mulberry32, the emulator's own seeded PRNG: uniform in [0, 1), same seed, same sequence. */
export { seededRandom as mulberry32 } from '../../sandbox/graph/faults';

/** The seed from FUZZ_SEED when set (to replay a failure), else a fresh one; printed in the test titles that use it. */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${given}`);
    return seed >>> 0;
  }
  return Math.floor(Math.random() * 2 ** 32);
}

/** Picks from a seeded PRNG. */
export interface Pick {
  readonly random: () => number;
  int(min: number, max: number): number;
  one<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function picker(random: () => number): Pick {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  return {
    random,
    int,
    one: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('nothing to pick from');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => random() < p,
  };
}

/** Empties the emulator's request log. */
export async function clearGraphRequests(app: RunningApp): Promise<void> {
  assert.equal((await fetch(`${app.url}/sandbox/graph/_requests`, { method: 'DELETE' })).status, 204);
}

const GRAPH_WRITES = ['setPresence', 'clearPresence', 'setUserPreferredPresence', 'clearUserPreferredPresence', 'setStatusMessage'] as const;

/**
 * Counts, per user, the Graph write requests that reached the emulator (authenticated, whether the emulator then
 * took them or refused them), from now until `restore()`; unlike `_requests`, it keeps count past 500.
 */
export function graphWriteCalls(app: RunningApp): { total(): number; of(userId: string): number; restore(): void } {
  const emulator = app.sandbox?.emulator;
  if (!emulator) throw new Error('not a sandbox app');
  const methods = emulator as unknown as Record<string, (userId: string, body?: unknown) => void>;
  const byUser = new Map<string, number>();
  let total = 0;
  const saved = GRAPH_WRITES.map((name) => [name, Object.getOwnPropertyDescriptor(emulator, name)] as const);
  for (const name of GRAPH_WRITES) {
    const original = methods[name];
    if (!original) throw new Error(`the emulator has no ${name}`);
    methods[name] = (userId: string, body?: unknown) => {
      total++;
      byUser.set(userId, (byUser.get(userId) ?? 0) + 1);
      original.call(emulator, userId, body);
    };
  }
  return {
    total: () => total,
    of: (userId) => byUser.get(userId) ?? 0,
    restore: () => {
      for (const [name, descriptor] of saved) {
        if (descriptor) Object.defineProperty(emulator, name, descriptor);
        else Reflect.deleteProperty(emulator, name);
      }
    },
  };
}

/** A sandbox user ID of its own for index `n` (the sandbox issuer signs for any user). */
export function sandboxUserId(n: number): string {
  return `00000000-0000-4000-8000-${(0xa00000000000 + n).toString(16).padStart(12, '0')}`;
}

/** The app (sandbox mode unless `env` says otherwise) on a free port, on tables of its own, silent, with these StartOptions. */
export async function startAppWith(options: StartOptions = {}, env: Env = {}): Promise<RunningApp> {
  return startServer(loadConfig({ PORT: '0', ...(await storageEnv()), ...env }), { logger: silentLogger, ...options });
}

/** The sandbox mounted on the app: its fault plan, emulator and issuer. */
export function sandboxOf(app: RunningApp): Sandbox {
  if (!app.sandbox) throw new Error('not a sandbox app');
  return app.sandbox;
}

/** Every Graph request in the emulator's log (the last 500), oldest first, reads included. */
export async function graphLog(app: RunningApp): Promise<readonly RecordedRequest[]> {
  const res = await fetch(`${app.url}/sandbox/graph/_requests`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { requests: RecordedRequest[] }).requests;
}

/** A loopback port nothing listens on right now: a throwaway server's, closed again. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * One request over node:http from a chosen local address (127.0.0.2 is loopback too, and another client to the
 * server), with headers sent as given, Host included (fetch does not let a test forge it).
 */
export function requestFrom(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string; localAddress?: string },
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  const length = options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { ...length, ...options.headers },
        localAddress: options.localAddress,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * A sandbox running in another process (sandbox/standalone.ts, `npm run sandbox`), reached over loopback HTTP:
 * the app started with SANDBOX_URL uses it instead of mounting its own. Benchmarks use this so the Graph
 * emulator's CPU is not counted as the app's.
 */
import { isRecord, responseJson, type HttpSend } from '../presence/http';
import type { SandboxUser } from './identity/issuer';
import type { SandboxStandIns } from './index';
import { consentUrl, sandboxUrls } from './urls';

export interface RemoteSandboxOptions {
  /** The sandbox's origin, e.g. http://127.0.0.1:3979 (loopback only: loadConfig checks). */
  readonly url: string;
  /** The app's client secret at that sandbox's issuer (SANDBOX_CLIENT_SECRET). */
  readonly clientSecret: string;
  /** The sandbox app's client ID. */
  readonly appId: string;
  readonly http: HttpSend;
}

/**
 * Checks that a sandbox answers at `url` and accepts this client secret, then returns its stand-ins.
 * The check is an on-behalf-of request with an empty assertion: the issuer checks the client first, so a
 * matching secret gets `invalid_grant` (400) and a wrong one `invalid_client` (401); no token is issued.
 */
export async function connectSandbox(options: RemoteSandboxOptions): Promise<SandboxStandIns> {
  const base = options.url.replace(/\/+$/, '');
  const authorityHost = `${base}/sandbox/identity`;
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    requested_token_use: 'on_behalf_of',
    client_id: options.appId,
    client_secret: options.clientSecret,
    assertion: '',
    scope: 'https://graph.microsoft.com/.default',
  });
  let status: number;
  let error: unknown;
  try {
    const res = await options.http({
      method: 'POST',
      url: `${authorityHost}/common/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const body = responseJson(res);
    status = res.status;
    error = isRecord(body) ? body.error : undefined;
  } catch {
    throw new Error(`No sandbox answers at SANDBOX_URL=${base}: start it first (npm run sandbox).`);
  }
  if (status === 401 && error === 'invalid_client')
    throw new Error(`The sandbox at SANDBOX_URL=${base} refuses SANDBOX_CLIENT_SECRET: use the secret it printed when it started.`);
  if (status !== 400 || error !== 'invalid_grant') throw new Error(`SANDBOX_URL=${base} does not answer like a sandbox identity issuer (HTTP ${status}).`);

  const clock = await followClock(options.http, base);
  return {
    ...clock,
    authorityHost,
    graphBaseUrl: `${base}/sandbox/graph/v1.0`,
    clientSecret: options.clientSecret,
    urls: sandboxUrls(base),
    issueSsoToken: (user) => issueSsoToken(options.http, authorityHost, user),
    consentUrl: (userId) => consentUrl(base, userId),
  };
}

async function issueSsoToken(http: HttpSend, authorityHost: string, user: SandboxUser): Promise<string> {
  const res = await http({
    method: 'POST',
    url: `${authorityHost}/_sso`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(user),
  });
  const body = responseJson(res);
  if (res.status !== 200 || !isRecord(body) || typeof body.token !== 'string') throw new Error(`sandbox SSO: HTTP ${res.status}`);
  return body.token;
}

/** How often an app on a standalone sandbox reads its clock: a job due after `_clock` moved runs within a second or two. */
const CLOCK_POLL_MS = 500;

/**
 * The standalone sandbox's clock, followed: its offset from this machine's clock is read now and every
 * CLOCK_POLL_MS, so `now()` stays local arithmetic. A failed read keeps the last offset.
 */
async function followClock(http: HttpSend, base: string): Promise<{ now(): number; close(): void }> {
  let offsetMs = 0;
  const read = async () => {
    const res = await http({ method: 'GET', url: `${base}/sandbox/graph/_clock`, headers: { accept: 'application/json' } });
    const body = responseJson(res);
    if (res.status === 200 && isRecord(body) && typeof body.now === 'string' && !Number.isNaN(Date.parse(body.now)))
      offsetMs = Date.parse(body.now) - Date.now();
  };
  await read().catch(() => undefined);
  let reading = false;
  // One read at a time: a slow older answer never overwrites a newer offset.
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    void read()
      .catch(() => undefined)
      .finally(() => (reading = false));
  }, CLOCK_POLL_MS);
  timer.unref();
  return { now: () => Date.now() + offsetMs, close: () => clearInterval(timer) };
}

/** Shared by the tab API tests: the real app over HTTP, sandbox tokens, and tokens that must be refused. */
import { SignJWT, generateKeyPair } from 'jose';
import { silentLogger, type LogFields, type Logger } from '../../presence/log';
import type { SandboxIssuer, SandboxUser } from '../../sandbox/identity/issuer';
import { startServer, type RunningApp, type StartOptions } from '../../server/app';
import { loadConfig, type Env } from '../../server/config';
import type { ApiErrorBody } from '../../tab/api/contract';
import { storageEnv } from '../support/storage';

export const TENANT = '00000000-0000-0000-0000-000000000001';
/** The Agents Playground's default user, and another user of the same tenant. */
export const ALICE = '00000000-0000-0000-0000-000000000020';
export const BOB = '00000000-0000-0000-0000-000000000021';
export const OTHER_TENANT = '99999999-9999-4999-8999-999999999999';

export const HOUR = 3600_000;

/**
 * Limits far above what these tests send: they test the API's behaviour, one request after another for one
 * user. The product's own limits are tested in test/hardening/rate-limits.test.ts.
 */
export const UNLIMITED: Required<Pick<StartOptions, 'limits' | 'authFailures'>> = {
  limits: { user: { burst: 1e6, perSecond: 1e6 }, tenant: { requests: 1e9, windowMs: 30_000 } },
  authFailures: { burst: 1e6, perSecond: 1e6 },
};

/** The app in sandbox mode on a free port, its state in tables of its own on the test run's Azurite. */
export async function startSandboxApp(env: Env = {}, logger: Logger = silentLogger): Promise<RunningApp> {
  return startServer(loadConfig({ PORT: '0', ...(await storageEnv()), ...env }), { logger, ...UNLIMITED });
}

/** A logger that keeps what it is given, to see why a request was refused. */
export function recordingLogger(): Logger & { readonly entries: { level: string; message: string; fields?: LogFields }[] } {
  const entries: { level: string; message: string; fields?: LogFields }[] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => {
    entries.push({ level, message, fields });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function issuerOf(app: RunningApp): SandboxIssuer {
  if (!app.sandbox) throw new Error('not a sandbox app');
  return app.sandbox.issuer;
}

export function ssoToken(app: RunningApp, userId = ALICE, tenantId = TENANT): Promise<string> {
  return issuerOf(app).issueSsoToken({ userId, tenantId });
}

/** A tab API error body, as the contract defines it. */
export type ApiError = ApiErrorBody;

/** What `call` got back from the tab API. */
export interface ApiReply<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** One call to the tab API; `body` as a string is sent as is, anything else as JSON. */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; path?: string } = {},
): Promise<ApiReply<T>> {
  const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${baseUrl}${options.path ?? '/api/presence'}`, { method, headers: { ...headers, ...options.headers }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

type Sign = (user: SandboxUser, audience: string, scp: string, extra: Record<string, string>, lifetimeSeconds?: number) => Promise<string>;

/**
 * The sandbox issuer signs only well-formed SSO tokens. To see each check refuse a token that is
 * otherwise valid, these use its (private) signing method with the real key: wrong audience, issuer,
 * scope or expiry, each alone.
 */
function signer(issuer: SandboxIssuer): Sign {
  return (user, audience, scp, extra, lifetimeSeconds) => issuer['sign'](user, audience, scp, extra, lifetimeSeconds);
}

/** What is wrong with a token, the token, and the validator's reason it should be refused for (the log's detail). */
export type BadTokens = readonly (readonly [what: string, token: string, reason: RegExp])[];

/** Tokens for ALICE that the API must refuse with 401 unauthenticated, each for its own reason. */
export async function badTokens(app: RunningApp): Promise<BadTokens> {
  const issuer = issuerOf(app);
  const sign = signer(issuer);
  const alice = { userId: ALICE, tenantId: TENANT, name: 'Alice' };
  const appId = app.config.appId;
  const { kid } = issuer.jwks().keys[0] ?? {};
  const claims = { oid: ALICE, tid: TENANT, scp: 'access_as_user', name: 'Alice', ver: '2.0' };

  const { privateKey } = await generateKeyPair('RS256');
  const forged = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(issuer.issuerFor(TENANT))
    .setAudience(appId)
    .setSubject(ALICE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const now = Math.floor(Date.now() / 1000);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, aud: appId, iss: issuer.issuerFor(TENANT), iat: now, exp: now + 3600 })}.`;
  const graphToken = (await app.tokens.fromSso(await issuer.issueSsoToken(alice))).graphToken;
  app.tokens.evict({ userId: ALICE, tenantId: TENANT });

  return [
    ['forged (signed by another key with the same kid)', forged, /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/],
    ['expired two hours ago', await sign(alice, appId, 'access_as_user', {}, -2 * 3600), /ERR_JWT_EXPIRED/],
    ['for another audience', await sign(alice, 'api://another-app', 'access_as_user', {}), /ERR_JWT_CLAIM_VALIDATION_FAILED/],
    ['a Graph token replayed (Graph audience and scopes)', graphToken, /ERR_JWT_CLAIM_VALIDATION_FAILED/],
    [
      "issued by another tenant's issuer",
      await sign({ ...alice, tenantId: OTHER_TENANT }, appId, 'access_as_user', { tid: TENANT }),
      /issuer does not match tenant/,
    ],
    ['unsigned (alg: none)', unsigned, /ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID/],
    ['without the access_as_user scope', await sign(alice, appId, 'User.Read', {}), /scope missing/],
    ['with a tampered payload (user changed after signing)', tamper(await issuer.issueSsoToken(alice), { oid: BOB }), /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/],
  ];
}

function tamper(token: string, change: Record<string, string>): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return [header, Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url'), signature].join('.');
}

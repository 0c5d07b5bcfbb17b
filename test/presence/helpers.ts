/** Shared test parts for test/presence: a scripted local HTTP(S) server, SSO token minting, a recording logger. */
import { once } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import type { Logger, LogFields } from '../../presence/log';

// ---------------------------------------------------------------------------------------------
// A local server that answers from a script and records what it received.
// ---------------------------------------------------------------------------------------------

export interface Received {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly socket: Socket;
  readonly remotePort: number | undefined;
}

export interface ScriptedReply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
}

/** 'destroy' drops the connection after the request arrived, without an answer (a connection reset). */
export type Step = ScriptedReply | 'destroy' | ((req: Received) => ScriptedReply | 'destroy');

export interface ScriptedServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly origin: string;
  readonly requests: Received[];
  /** Queues answers for the next requests, in order; when the queue is empty, `fallback` answers. */
  script(...steps: Step[]): void;
  fallback: Step;
  close(): Promise<void>;
}

export async function startScriptedServer(tls?: { key: string; cert: string }): Promise<ScriptedServer> {
  const requests: Received[] = [];
  const queue: Step[] = [];
  const state = { fallback: { status: 200 } as Step };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socket: req.socket,
        remotePort: req.socket.remotePort,
      };
      requests.push(received);
      const step = queue.shift() ?? state.fallback;
      const answer = typeof step === 'function' ? step(received) : step;
      if (answer === 'destroy') {
        req.socket.destroy();
        return;
      }
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const headers = { ...(typeof answer.body === 'object' ? { 'content-type': 'application/json' } : {}), ...answer.headers };
      res.writeHead(answer.status ?? 200, headers);
      res.end(body);
    });
  };
  const server: http.Server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    script: (...steps) => void queue.push(...steps),
    get fallback() {
      return state.fallback;
    },
    set fallback(step: Step) {
      state.fallback = step;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A Graph-shaped error body. */
export function graphError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export { localCertificate } from '../../bench/ingestion';

// ---------------------------------------------------------------------------------------------
// SSO tokens: real RS256 JWTs in the shape Entra issues for a Teams SSO request.
// ---------------------------------------------------------------------------------------------

export const CLIENT_ID = '22553876-f5ab-4529-bffb-cfe50aa89f87';
export const APP_ID_URI = `api://contoso.example/botid-${CLIENT_ID}`;
export const TENANT_A = '7a1b9c2d-0000-4000-8000-00000000000a';
export const TENANT_B = '7a1b9c2d-0000-4000-8000-00000000000b';
export const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
export const BOB = 'bbbbbbbb-0000-4000-8000-000000000002';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
  /** The public JWK as a JWKS entry (kid, alg, use). */
  readonly jwk: JWK;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, jwk };
}

export interface MintOptions {
  readonly authorityHost: string;
  readonly tid?: string;
  readonly oid?: string;
  readonly aud?: string;
  /** Defaults to {authorityHost}/{tid}/v2.0. */
  readonly iss?: string;
  readonly scp?: string;
  /** Seconds from now; negative is in the past. */
  readonly expiresIn?: number;
  readonly notBeforeIn?: number;
  /** Claims to add, or to remove with `undefined`. */
  readonly extra?: Record<string, unknown>;
}

export function ssoClaims(o: MintOptions): JWTPayload {
  const tid = o.tid ?? TENANT_A;
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    aud: o.aud ?? CLIENT_ID,
    iss: o.iss ?? `${o.authorityHost}/${tid}/v2.0`,
    iat: now - 10,
    nbf: now + (o.notBeforeIn ?? -10),
    exp: now + (o.expiresIn ?? 3600),
    tid,
    oid: o.oid ?? ALICE,
    scp: o.scp ?? 'access_as_user',
    name: 'Alice Example',
    ver: '2.0',
    ...o.extra,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return claims;
}

/** A signed SSO token with the claims of `ssoClaims`. */
export function mintSso(key: SigningKey, o: MintOptions): Promise<string> {
  return new SignJWT(ssoClaims(o)).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
}

export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

// ---------------------------------------------------------------------------------------------
// A logger that keeps what it was given, to check nothing secret reaches the logs.
// ---------------------------------------------------------------------------------------------

export interface RecordingLogger extends Logger {
  readonly lines: { level: string; message: string; fields?: LogFields }[];
  text(): string;
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), text: () => JSON.stringify(lines) };
}

/** Asserts `promise` rejects and returns the rejection, for checks beyond `assert.rejects`. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

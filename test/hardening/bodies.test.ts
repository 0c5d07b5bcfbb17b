/**
 * Body bombs and forged tokens against the real app, in sandbox mode and in production mode on loopback: every one is
 * refused before it costs memory, disk or a token validation it should not, with no internals in the answer and one
 * log line at most per request.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor';
import type { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import { SignJWT, exportSPKI, generateKeyPair, type KeyLike } from 'jose';
import type { Logger } from '../../presence/log';
import type { RunningApp } from '../../server/app';
import { routeConsole } from '../../server/log';
import { ssoToken } from '../tab-api/helpers';
import { PRODUCTION_ENV, UNGUARDED, assertCleanLog, linesDuring, rawRequest, startLoggedApp, type RawAnswer } from './helpers';

const MB = 1024 * 1024;
const BOT_ID = PRODUCTION_ENV.BOT_ID ?? '';
/** Where botframework-connector reads the Bot Framework's signing keys for a channel's token. */
const CHANNEL_METADATA_URL = 'https://login.botframework.com/v1/.well-known/openidconfiguration';
const KID = 'hardening-test-key';
/** What an answer must never show: botbuilder's internals, a stack, a file path. */
const INTERNALS = /validateAndFixActivity|at .+\(|\.ts:\d|\.js:\d|node_modules|Error:/;

/** ~200 KB of gzip that inflates to 200 MB of JSON whitespace; made in 1 MB steps, so the test itself never holds 200 MB. */
async function gzipBomb(): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  const spaces = Buffer.alloc(MB, 0x20);
  for (let i = 0; i < 200; i++) {
    if (!gzip.write(spaces)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}

/** A 20 MB file upload as a browser form sends it. */
function multipart(): { body: Buffer; type: string } {
  const boundary = '----hardening7MA4YWxkTrZu0gW';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, Buffer.alloc(20 * MB, 0x61), tail]), type: `multipart/form-data; boundary=${boundary}` };
}

/** A message activity the bot would take, 300 KB of it text. */
function hugeActivity(): string {
  return JSON.stringify({
    type: 'message',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:1',
    from: { id: 'x' },
    recipient: { id: 'b' },
    conversation: { id: 'c' },
    text: 'x'.repeat(300 * 1024),
  });
}

function assertNoInternals(answer: RawAnswer): void {
  assert.doesNotMatch(answer.body, INTERNALS, answer.body);
}

/** The growth of this process's resident memory (the app runs in it) across `fn`, in bytes. */
async function rssGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; grown: number }> {
  const before = process.memoryUsage().rss;
  const result = await fn();
  return { result, grown: process.memoryUsage().rss - before };
}

/** `fn` with os.tmpdir() pointing at an empty folder of its own: what is in it afterwards is what `fn` left there. */
async function inFreshTmpdir<T>(fn: () => Promise<T>): Promise<{ result: T; left: string[] }> {
  const saved = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'hardening-upload-'));
  process.env.TMPDIR = dir;
  try {
    assert.equal(tmpdir(), dir);
    const result = await fn();
    return { result, left: readdirSync(dir) };
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Expected {
  /** POST /api/messages with the gzip bomb, the upload and 300 KB of JSON, no token. */
  readonly messages: { readonly gzip: number; readonly upload: number; readonly huge: number };
}

const MODES: readonly (readonly ['sandbox' | 'production', Expected])[] = [
  // Sandbox mode has no Bot Framework auth: the body's headers are what refuse it.
  ['sandbox', { messages: { gzip: 415, upload: 415, huge: 413 } }],
  // Production asks for a bearer token before it reads a byte of the body.
  ['production', { messages: { gzip: 401, upload: 401, huge: 401 } }],
];

for (const [mode, expected] of MODES) {
  describe(`hardening: body bombs (${mode} mode, real HTTP)`, () => {
    let app: RunningApp;
    let lines: string[];
    let logger: Logger;
    let bomb: Buffer;

    before(async function () {
      this.timeout(30_000);
      ({ app, lines, logger } = await startLoggedApp(mode, { authFailures: UNGUARDED }));
      bomb = await gzipBomb();
    });
    after(async () => {
      await app.close();
      assertCleanLog(lines);
    });

    /** One request that must be refused: no internals in the answer, one log line at most. */
    const refused = async (path: string, headers: Record<string, string>, body: Buffer | string): Promise<RawAnswer> => {
      const { result, added } = await linesDuring(lines, () => rawRequest(app.url, { path, headers, body }));
      assert.ok(added.length <= 1, `a refusal logged ${added.length} lines:\n${added.join('\n')}`);
      assertNoInternals(result);
      return result;
    };

    it('the gzip bomb is ~200 KB that would inflate to 200 MB', () => {
      assert.ok(bomb.length > 150 * 1024 && bomb.length < 260 * 1024, `${bomb.length} bytes`);
    });

    for (const path of ['/api/messages', '/api/presence']) {
      const status = path === '/api/messages' ? expected.messages.gzip : 401;
      it(`a gzip bomb to ${path} without a token is refused (${status}) and nothing is inflated`, async () => {
        const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) };
        // Once first, so what the first request of its kind costs (code paths warming up) is not counted.
        await refused(path, headers, bomb);
        const { result, grown } = await rssGrowth(() => refused(path, headers, bomb));
        assert.equal(result.status, status, result.body);
        assert.ok(grown < 30 * MB, `RSS grew by ${(grown / MB).toFixed(1)} MB`);
      });
    }

    for (const path of ['/api/messages', '/api/presence']) {
      const status = path === '/api/messages' ? expected.messages.upload : 401;
      it(`a 20 MB multipart upload to ${path} without a token is refused (${status}) and leaves no file behind`, async function () {
        this.timeout(20_000);
        const { body, type } = multipart();
        const { result, left } = await inFreshTmpdir(() => refused(path, { 'content-type': type, 'content-length': String(body.length) }, body));
        assert.equal(result.status, status, result.body);
        assert.deepEqual(left, []);
      });
    }

    it(`300 KB of JSON to /api/messages is refused (${expected.messages.huge})`, async () => {
      const answer = await refused('/api/messages', { 'content-type': 'application/json' }, hugeActivity());
      assert.equal(answer.status, expected.messages.huge, answer.body);
    });

    it('malformed JSON to the tab API without a token is 401: who asks is checked before the body is read', async () => {
      const answer = await refused('/api/presence', { 'content-type': 'application/json' }, '{"state": "Busy",');
      assert.equal(answer.status, 401, answer.body);
      assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, 'unauthenticated');
    });

    if (mode === 'sandbox') {
      describe('with a valid SSO token (sandbox-issued)', () => {
        let token: string;
        before(async () => {
          token = await ssoToken(app);
        });

        it('300 KB of JSON to the tab API is 413', async () => {
          const answer = await refused(
            '/api/presence',
            { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            JSON.stringify({ state: 'Busy', statusMessage: 'x'.repeat(300 * 1024) }),
          );
          assert.equal(answer.status, 413, answer.body);
          const { error } = JSON.parse(answer.body) as { error: { code: string; field: string } };
          assert.deepEqual([error.code, error.field], ['invalid_request', 'body']);
        });

        it('malformed JSON to the tab API is 400, naming the body', async () => {
          const answer = await refused('/api/presence', { 'content-type': 'application/json', authorization: `Bearer ${token}` }, '{"state": "Busy",');
          assert.equal(answer.status, 400, answer.body);
          assert.equal((JSON.parse(answer.body) as { error: { field: string } }).error.field, 'body');
        });

        it('the gzip bomb to the tab API is 415 and nothing is inflated', async () => {
          const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${token}` };
          await refused('/api/presence', headers, bomb);
          const { result, grown } = await rssGrowth(() => refused('/api/presence', headers, bomb));
          assert.equal(result.status, 415, result.body);
          assert.ok(grown < 30 * MB, `RSS grew by ${(grown / MB).toFixed(1)} MB`);
        });

        it('a 20 MB multipart upload to the tab API is 415 and leaves no file behind', async function () {
          this.timeout(20_000);
          const { body, type } = multipart();
          const { result, left } = await inFreshTmpdir(() => refused('/api/presence', { 'content-type': type, authorization: `Bearer ${token}` }, body));
          assert.equal(result.status, 415, result.body);
          assert.deepEqual(left, []);
        });
      });
    }

    if (mode === 'production') describe('Bot Framework authentication', () => forgedTokens(() => ({ app, lines, logger })));
  });
}

/**
 * Forged Bot Framework tokens, each refused with 401 and nothing else said. So that the signature check itself is
 * what refuses them (not a failed download of Microsoft's keys, as it would be offline), botframework-connector's
 * key cache is given a key of the test's own for the Bot Framework's metadata URL, for these tests only.
 */
function forgedTokens(context: () => { app: RunningApp; lines: string[]; logger: Logger }): void {
  const cache = (JwtTokenExtractor as unknown as { openIdMetadataCache: Map<string, OpenIdMetadata> }).openIdMetadataCache;
  let saved: OpenIdMetadata | undefined;
  let trusted: { privateKey: KeyLike; publicPem: string };
  let other: KeyLike;
  let restoreConsole: () => void;
  const activity = JSON.stringify({
    type: 'message',
    id: 'a1',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    text: 'dnd 8h',
    from: { id: '29:x', aadObjectId: '00000000-0000-0000-0000-000000000020' },
    recipient: { id: `28:${BOT_ID}` },
    conversation: { id: 'a:c', tenantId: '00000000-0000-0000-0000-000000000001', conversationType: 'personal' },
  });
  const claims = { serviceurl: 'https://smba.trafficmanager.net/emea/' };
  const sign = (key: KeyLike | Uint8Array, alg: string, audience = BOT_ID) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg, kid: KID, typ: 'JWT' })
      .setIssuer('https://api.botframework.com')
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsignedPayload = b64({ ...claims, iss: 'https://api.botframework.com', aud: BOT_ID, iat: now, exp: now + 3600 });
  const forged = async (): Promise<Record<string, string>> => ({
    'alg none': `Bearer ${b64({ alg: 'none', typ: 'JWT', kid: KID })}.${unsignedPayload}.AAAA`,
    'RS256, another key': `Bearer ${await sign(other, 'RS256')}`,
    'HS256 keyed with the public key': `Bearer ${await sign(new TextEncoder().encode(trusted.publicPem), 'HS256')}`,
    garbage: 'Bearer abc.def.ghi',
  });

  before(async () => {
    const pair = await generateKeyPair('RS256');
    trusted = { privateKey: pair.privateKey, publicPem: await exportSPKI(pair.publicKey) };
    other = (await generateKeyPair('RS256')).privateKey;
    saved = cache.get(CHANNEL_METADATA_URL);
    const seeded = { getKey: (kid: string) => Promise.resolve(kid === KID ? { key: trusted.publicPem, endorsements: ['msteams'] } : null) };
    cache.set(CHANNEL_METADATA_URL, seeded as unknown as OpenIdMetadata);
    // As server/main.ts does: what botframework-connector prints is part of the app's log.
    restoreConsole = routeConsole(context().logger);
  });
  after(() => {
    restoreConsole();
    if (saved) cache.set(CHANNEL_METADATA_URL, saved);
    else cache.delete(CHANNEL_METADATA_URL);
  });

  /** POST /api/messages with this Authorization header: 401 with the one body a refusal has. Resolves with the lines it logged. */
  const refusedToken = async (authorization: string | undefined, body = activity): Promise<readonly string[]> => {
    const headers = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
    const { result, added } = await linesDuring(context().lines, () => rawRequest(context().app.url, { path: '/api/messages', headers, body }));
    assert.equal(result.status, 401, result.body);
    assert.deepEqual(JSON.parse(result.body), { error: 'unauthorized' });
    assert.equal(result.headers['www-authenticate'], 'Bearer');
    assertNoInternals(result);
    return added;
  };
  /** Why botframework-connector refused the token, as the app logged it. */
  const tokenReason = (added: readonly string[]) =>
    added.map((line) => JSON.parse(line) as { msg?: string; detail?: string }).find((e) => e.msg === 'bot request refused')?.detail;

  it('{} without a token is 401 with no internals, in one log line', async () => {
    assert.equal((await refusedToken(undefined, '{}')).length, 1);
  });

  it('an unsigned token (alg: none) is 401, with or without something in the signature part', async () => {
    await refusedToken(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${unsignedPayload}.`);
    assert.equal(tokenReason(await refusedToken((await forged())['alg none'])), 'JsonWebTokenError');
  });

  it("an RS256 token signed by another key (the trusted key's ID in its header) is 401: its signature was checked", async () => {
    assert.equal(tokenReason(await refusedToken((await forged())['RS256, another key'])), 'JsonWebTokenError');
  });

  it('an HS256 token keyed with the trusted public key (algorithm confusion) is 401', async () => {
    assert.equal(tokenReason(await refusedToken((await forged())['HS256 keyed with the public key'])), 'JsonWebTokenError');
  });

  it('garbage is 401: three parts that are not a JWT, a bare scheme, another scheme, 12 KB of letters', async () => {
    await refusedToken('Bearer abc.def.ghi');
    await refusedToken('Bearer');
    await refusedToken('Basic dXNlcjpwYXNz');
    await refusedToken(`Bearer ${'A'.repeat(4000)}.${'B'.repeat(4000)}.${'C'.repeat(4000)}`);
  });

  it('a well-signed token for another bot (audience) is 401: the key the test trusts is the one checked', async () => {
    const reason = tokenReason(await refusedToken(`Bearer ${await sign(trusted.privateKey, 'RS256', '99999999-2222-4333-8444-555555555555')}`));
    // Past the signature: botframework-connector's own refusal of the audience.
    assert.ok(reason !== undefined && reason !== 'JsonWebTokenError', reason);
  });

  // botframework-connector also prints "Error finding key for token" for every token signed by an unknown key:
  // routeConsole keeps it at debug level, so at the production log level (info) a refusal is one line.
  it('each forged token refusal is one log line at info level and above', async () => {
    for (const [what, authorization] of Object.entries(await forged())) {
      const added = (await refusedToken(authorization)).filter((line) => (JSON.parse(line) as { level?: string }).level !== 'debug');
      assert.ok(added.length <= 1, `${what}: ${added.length} lines:\n${added.join('\n')}`);
    }
  });
}

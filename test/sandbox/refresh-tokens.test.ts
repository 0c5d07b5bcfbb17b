/** The sandbox identity issuer's refresh tokens over real HTTP: offline_access in the exchange, the refresh_token grant, expiry, revocation. */
import assert from 'node:assert/strict';
import { SANDBOX_APP_ID } from '../../server/config';
import { startStandaloneSandbox, type StandaloneSandbox } from '../../sandbox/standalone';

const TENANT = '00000000-0000-0000-0000-000000000001';
const ALICE = '00000000-0000-0000-0000-000000000020';
const BOB = '00000000-0000-0000-0000-000000000021';
const GRAPH_SCOPE = 'https://graph.microsoft.com/Presence.ReadWrite';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface TokenAnswer {
  readonly token_type: string;
  readonly access_token: string;
  readonly expires_in: number;
  readonly scope: string;
  readonly refresh_token?: string;
}

interface TokenErrorAnswer {
  readonly error: string;
  readonly error_description: string;
  readonly error_codes: number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly suberror?: string;
}

interface Reply<T> {
  readonly status: number;
  readonly body: T;
}

describe('sandbox identity issuer: refresh tokens (HTTP)', () => {
  let sandbox: StandaloneSandbox;

  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  async function tokenEndpoint<T = TokenAnswer>(fields: Record<string, string>): Promise<Reply<T>> {
    const res = await fetch(`${sandbox.url}/sandbox/identity/${TENANT}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(fields) });
    return { status: res.status, body: (await res.json()) as T };
  }

  async function exchange(scope: string, userId = ALICE): Promise<Reply<TokenAnswer>> {
    const sso = (await (await postJson('/sandbox/identity/_sso', { userId, tenantId: TENANT })).json()) as { token: string };
    return tokenEndpoint({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: SANDBOX_APP_ID,
      client_secret: sandbox.clientSecret,
      assertion: sso.token,
      scope,
    });
  }

  /** A refresh token of the user's, from the on-behalf-of exchange with offline_access. */
  async function refreshTokenOf(userId = ALICE): Promise<string> {
    const { status, body } = await exchange(`${GRAPH_SCOPE} offline_access`, userId);
    assert.equal(status, 200);
    assert.ok(body.refresh_token);
    return body.refresh_token;
  }

  const refresh = <T = TokenAnswer>(refreshToken: string, client = { id: SANDBOX_APP_ID, secret: sandbox.clientSecret }) =>
    tokenEndpoint<T>({
      grant_type: 'refresh_token',
      client_id: client.id,
      client_secret: client.secret,
      refresh_token: refreshToken,
      scope: `${GRAPH_SCOPE} offline_access`,
    });

  const refused = (refreshToken: string, client?: { id: string; secret: string }) => refresh<TokenErrorAnswer>(refreshToken, client);

  async function presenceWith(accessToken: string): Promise<Reply<{ id: string }>> {
    const res = await fetch(`${sandbox.url}/sandbox/graph/v1.0/me/presence`, { headers: { authorization: `Bearer ${accessToken}` } });
    return { status: res.status, body: (await res.json()) as { id: string } };
  }

  /** Moves the sandbox clock (the Graph emulator's, which the issuer reads); the new time. */
  async function advance(duration: string): Promise<string> {
    const res = await postJson('/sandbox/graph/_clock', { advance: duration });
    assert.equal(res.status, 200);
    return ((await res.json()) as { now: string }).now;
  }

  beforeEach(async () => {
    sandbox = await startStandaloneSandbox({ port: 0 });
  });
  afterEach(async () => {
    await sandbox.close();
  });

  describe('the on-behalf-of exchange', () => {
    it('with offline_access also answers an opaque refresh token, and scope lists the granted Graph scopes without offline_access', async () => {
      const { status, body } = await exchange(`${GRAPH_SCOPE} offline_access`);
      assert.equal(status, 200);
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
      assert.equal(body.scope, 'Presence.ReadWrite User.Read');
      // 32 random bytes, base64url: no JWT (no dots), nothing a client could read.
      assert.match(body.refresh_token ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.notEqual((await exchange(`${GRAPH_SCOPE} offline_access`)).body.refresh_token, body.refresh_token);
    });

    it('without offline_access answers no refresh token, as before', async () => {
      const { status, body } = await exchange(GRAPH_SCOPE);
      assert.equal(status, 200);
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    });
  });

  describe('the refresh_token grant', () => {
    it('answers a Graph token for the same user and scopes, which the emulator accepts, and a new refresh token', async () => {
      const first = await refreshTokenOf();
      const { status, body } = await refresh(first);
      assert.equal(status, 200);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 3600);
      assert.equal(body.scope, 'Presence.ReadWrite User.Read');
      assert.match(body.refresh_token ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.notEqual(body.refresh_token, first);
      const presence = await presenceWith(body.access_token);
      assert.equal(presence.status, 200);
      assert.equal(presence.body.id, ALICE);
    });

    it('a used refresh token is refused (invalid_grant AADSTS70000, Entra’s error shape); its replacement still works', async () => {
      const first = await refreshTokenOf();
      const second = (await refresh(first)).body.refresh_token ?? '';
      const { status, body } = await refused(first);
      assert.equal(status, 400);
      assert.deepEqual(Object.keys(body).sort(), ['correlation_id', 'error', 'error_codes', 'error_description', 'timestamp', 'trace_id']);
      assert.equal(body.error, 'invalid_grant');
      assert.deepEqual(body.error_codes, [70000]);
      assert.match(body.trace_id, UUID);
      assert.match(body.correlation_id, UUID);
      assert.match(body.timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
      assert.equal(
        body.error_description,
        `AADSTS70000: Provided grant is invalid or malformed.\r\nTrace ID: ${body.trace_id}\r\nCorrelation ID: ${body.correlation_id}\r\nTimestamp: ${body.timestamp}`,
      );
      assert.equal((await refresh(second)).status, 200);
    });

    it('an unknown refresh token is invalid_grant AADSTS70000, a missing one invalid_request AADSTS900144', async () => {
      const unknown = await refused('not-a-refresh-token');
      assert.deepEqual([unknown.status, unknown.body.error, unknown.body.error_codes], [400, 'invalid_grant', [70000]]);
      const missing = await tokenEndpoint<TokenErrorAnswer>({ grant_type: 'refresh_token', client_id: SANDBOX_APP_ID, client_secret: sandbox.clientSecret });
      assert.deepEqual([missing.status, missing.body.error, missing.body.error_codes], [400, 'invalid_request', [900144]]);
    });

    it('checks the client as the exchange does: a wrong secret is invalid_client AADSTS7000215', async () => {
      const token = await refreshTokenOf();
      const { status, body } = await refused(token, { id: SANDBOX_APP_ID, secret: 'wrong' });
      assert.deepEqual([status, body.error, body.error_codes], [401, 'invalid_client', [7000215]]);
      assert.equal((await refresh(token)).status, 200);
    });

    it('another app’s refresh token is invalid_grant AADSTS70000, and stays usable by its own app', async () => {
      sandbox.sandbox.issuer.registerClient('other-app', 'other-secret');
      const token = await refreshTokenOf();
      const { status, body } = await refused(token, { id: 'other-app', secret: 'other-secret' });
      assert.deepEqual([status, body.error, body.error_codes], [400, 'invalid_grant', [70000]]);
      assert.equal((await refresh(token)).status, 200);
    });

    it('expires after 90 days unused (invalid_grant AADSTS700082, at the sandbox clock); each use restarts the 90 days', async () => {
      const first = await refreshTokenOf();
      await advance('P89DT23H59M');
      const second = await refresh(first);
      assert.equal(second.status, 200);
      await advance('P89DT23H59M');
      const third = await refresh(second.body.refresh_token ?? '');
      assert.equal(third.status, 200);
      // Signed tokens keep the wall clock: the emulator still accepts one issued "180 days later".
      assert.equal((await presenceWith(third.body.access_token)).status, 200);

      const now = await advance('P90D');
      const { status, body } = await refused(third.body.refresh_token ?? '');
      assert.deepEqual([status, body.error, body.error_codes], [400, 'invalid_grant', [700082]]);
      assert.match(
        body.error_description,
        /^AADSTS700082: The refresh token has expired due to inactivity\. The token was issued on .+ and was inactive for 90\.00:00:00\./,
      );
      assert.equal(body.timestamp, now.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
    });

    it('withdrawn consent is invalid_grant AADSTS65001 with suberror consent_required; granted again, the same token works', async () => {
      const token = await refreshTokenOf();
      const consent = (granted: boolean) =>
        fetch(`${sandbox.url}/sandbox/identity/_consent/users/${ALICE}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ granted }),
        });
      assert.equal((await consent(false)).status, 200);
      const { status, body } = await refused(token);
      assert.deepEqual([status, body.error, body.error_codes, body.suberror], [400, 'invalid_grant', [65001], 'consent_required']);
      assert.equal((await consent(true)).status, 200);
      assert.equal((await refresh(token)).status, 200);
    });
  });

  describe('revocation', () => {
    it('POST _revoke revokes every refresh token of the user (invalid_grant AADSTS50173), nobody else’s; a new exchange gets a working one', async () => {
      const alice = [await refreshTokenOf(), await refreshTokenOf()];
      const bob = await refreshTokenOf(BOB);
      const res = await postJson('/sandbox/identity/_revoke', { userId: ALICE });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { userId: ALICE, revoked: 2 });
      for (const token of alice) {
        const { status, body } = await refused(token);
        assert.deepEqual([status, body.error, body.error_codes], [400, 'invalid_grant', [50173]]);
        assert.match(body.error_description, /^AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed\./);
      }
      assert.equal((await refresh(bob)).status, 200);
      assert.equal((await refresh(await refreshTokenOf())).status, 200);
    });

    it('tenantId narrows _revoke to that tenant; userId is required', async () => {
      const token = await refreshTokenOf();
      const other = await postJson('/sandbox/identity/_revoke', { userId: ALICE, tenantId: '99999999-9999-4999-8999-999999999999' });
      assert.deepEqual(await other.json(), { userId: ALICE, tenantId: '99999999-9999-4999-8999-999999999999', revoked: 0 });
      assert.equal((await refresh(token)).status, 200);
      const missing = await postJson('/sandbox/identity/_revoke', { tenantId: TENANT });
      assert.equal(missing.status, 400);
      assert.deepEqual(await missing.json(), { error: 'userId is required' });
    });

    it('the issuer’s revokeRefreshTokens does the same', async () => {
      const token = await refreshTokenOf();
      assert.equal(sandbox.sandbox.issuer.revokeRefreshTokens(ALICE), 1);
      assert.deepEqual((await refused(token)).body.error_codes, [50173]);
    });

    it('_revoke answers this machine only, like the other sandbox controls: another web origin gets 403', async () => {
      const token = await refreshTokenOf();
      const res = await postJson('/sandbox/identity/_revoke', { userId: ALICE }, { origin: 'https://attacker.example' });
      assert.equal(res.status, 403);
      assert.equal((await refresh(token)).status, 200);
    });
  });
});

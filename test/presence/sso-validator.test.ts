/** SsoTokenValidator with real RS256 tokens (jose), against a local JWKS and a JWKS served over HTTP. */
import assert from 'node:assert/strict';
import { createLocalJWKSet, exportSPKI, SignJWT } from 'jose';
import sinon from 'sinon';
import { PresenceError } from '../../presence/errors';
import { SsoTokenValidator, type SsoValidatorOptions } from '../../presence/tokens/sso-validator';
import {
  ALICE,
  APP_ID_URI,
  b64url,
  BOB,
  CLIENT_ID,
  mintSso,
  rejection,
  signingKey,
  ssoClaims,
  startScriptedServer,
  TENANT_A,
  TENANT_B,
  type MintOptions,
  type ScriptedServer,
  type SigningKey,
} from './helpers';

const AUTHORITY = 'https://login.example.test';

async function failure(promise: Promise<unknown>): Promise<PresenceError> {
  const err = await rejection(promise);
  assert.ok(err instanceof PresenceError, `expected a PresenceError, got ${String(err)}`);
  return err;
}

describe('SsoTokenValidator', () => {
  let key: SigningKey;
  let impostor: SigningKey;

  before(async () => {
    key = await signingKey('kid-1');
    impostor = await signingKey('kid-1'); // same kid, another key pair
  });

  function validator(overrides: Partial<SsoValidatorOptions> = {}): SsoTokenValidator {
    return new SsoTokenValidator({ clientId: CLIENT_ID, authorityHost: AUTHORITY, keys: createLocalJWKSet({ keys: [key.jwk] }), ...overrides });
  }
  const mint = (o: Partial<MintOptions> = {}, k: SigningKey = key) => mintSso(k, { authorityHost: AUTHORITY, ...o });

  async function rejected(token: string, overrides: Partial<SsoValidatorOptions> = {}): Promise<PresenceError> {
    const err = await failure(validator(overrides).validate(token));
    assert.ok(!err.message.includes(token) && !(err.detail ?? '').includes(token), 'the token is not echoed');
    return err;
  }

  describe('with a local key set', () => {
    it('accepts a valid token; the identity comes only from tid and oid', async () => {
      const token = await mint({ extra: { sub: BOB, upn: 'bob@contoso.com', preferred_username: 'bob@contoso.com', azp: BOB, appid: BOB } });
      const result = await validator().validate(token);
      assert.deepEqual(result.identity, { tenantId: TENANT_A, userId: ALICE });
      assert.equal(result.name, 'Alice Example');
      const exp = ssoClaims({ authorityHost: AUTHORITY }).exp ?? 0;
      assert.ok(Math.abs(result.expiresAt.getTime() - exp * 1000) <= 2000);
    });

    it('a token signed by another key is unauthenticated', async () => {
      const err = await rejected(await mint({}, impostor));
      assert.equal(err.code, 'unauthenticated');
      assert.match(err.detail ?? '', /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/);
    });

    it('a token whose kid is not in the key set is unauthenticated', async () => {
      const stranger = await signingKey('kid-unknown');
      assert.equal((await rejected(await mint({}, stranger))).code, 'unauthenticated');
    });

    it('a tampered payload (oid swapped) is unauthenticated', async () => {
      const [header, , signature] = (await mint()).split('.');
      const forged = `${header}.${b64url(ssoClaims({ authorityHost: AUTHORITY, oid: BOB }))}.${signature}`;
      assert.equal((await rejected(forged)).code, 'unauthenticated');
    });

    it('an expired token is token_expired (an expected 401, not an outage)', async () => {
      const err = await rejected(await mint({ expiresIn: -3600 }));
      assert.equal(err.code, 'token_expired');
      assert.equal(err.unexpected, false);
      assert.match(err.detail ?? '', /ERR_JWT_EXPIRED/);
    });

    it('expired by less than the clock tolerance (60 s unless set) it still passes; beyond it, token_expired', async () => {
      const clock = sinon.useFakeTimers({ now: 1_750_000_000_000, toFake: ['Date'] });
      try {
        const token = await mint({ expiresIn: 0 }); // exp is now, to the second
        clock.tick(59_000);
        assert.equal((await validator().validate(token)).identity.userId, ALICE);
        assert.equal((await rejected(token, { clockToleranceSeconds: 30 })).code, 'token_expired');
        clock.tick(2_000);
        assert.equal((await rejected(token)).code, 'token_expired');
        assert.equal((await validator({ clockToleranceSeconds: 120 }).validate(token)).identity.userId, ALICE);
      } finally {
        clock.restore();
      }
    });

    it('an expired token that fails any other check is refused for that, not token_expired: a fresh one would not help', async () => {
      const expired = { expiresIn: -3600 };
      assert.equal((await rejected(await mint(expired, impostor))).code, 'unauthenticated');
      assert.equal((await rejected(await mint({ ...expired, aud: 'https://graph.microsoft.com' }))).code, 'unauthenticated');
      assert.equal((await rejected(await mint({ ...expired, notBeforeIn: 3600 }))).code, 'unauthenticated');
      assert.equal((await rejected(await mint({ ...expired, scp: 'User.Read' }))).code, 'unauthenticated');
      assert.equal((await rejected(await mint({ ...expired, iss: `${AUTHORITY}/${TENANT_B}/v2.0` }))).code, 'unauthenticated');
      assert.equal((await rejected(await mint({ ...expired, extra: { oid: undefined } }))).code, 'unauthenticated');
      const [header, , signature] = (await mint(expired)).split('.');
      assert.equal((await rejected(`${header}.${b64url(ssoClaims({ authorityHost: AUTHORITY, ...expired, oid: BOB }))}.${signature}`)).code, 'unauthenticated');
      assert.equal((await rejected(await mint({ ...expired, tid: TENANT_B }), { allowedTenants: [TENANT_A] })).code, 'tenant_not_allowed');
    });

    it('a token not yet valid (nbf in the future) is unauthenticated', async () => {
      const err = await rejected(await mint({ notBeforeIn: 3600 }));
      assert.equal(err.code, 'unauthenticated');
      assert.match(err.detail ?? '', /ERR_JWT_CLAIM_VALIDATION_FAILED/);
    });

    it('a token for another audience is unauthenticated', async () => {
      assert.equal((await rejected(await mint({ aud: 'api://contoso.example/botid-00000000-0000-0000-0000-000000000000' }))).code, 'unauthenticated');
      assert.equal((await rejected(await mint({ aud: 'https://graph.microsoft.com' }))).code, 'unauthenticated');
    });

    it('the Application ID URI is accepted as audience only when configured', async () => {
      const token = await mint({ aud: APP_ID_URI });
      const result = await validator({ applicationIdUri: APP_ID_URI }).validate(token);
      assert.deepEqual(result.identity, { tenantId: TENANT_A, userId: ALICE });
      assert.equal((await rejected(token)).code, 'unauthenticated');
    });

    it("an issuer of another tenant than the token's tid is unauthenticated", async () => {
      const err = await rejected(await mint({ tid: TENANT_A, iss: `${AUTHORITY}/${TENANT_B}/v2.0` }));
      assert.equal(err.code, 'unauthenticated');
      assert.match(err.detail ?? '', /issuer/);
    });

    it('an issuer on another authority host is unauthenticated', async () => {
      assert.equal((await rejected(await mint({ iss: `https://evil.example/${TENANT_A}/v2.0` }))).code, 'unauthenticated');
    });

    it('the v1 issuer (sts.windows.net) is accepted only for the public cloud authority', async () => {
      const publicCloud = 'https://login.microsoftonline.com';
      const v1 = await mintSso(key, { authorityHost: publicCloud, iss: `https://sts.windows.net/${TENANT_A}/` });
      const result = await validator({ authorityHost: publicCloud }).validate(v1);
      assert.equal(result.identity.userId, ALICE);
      assert.equal((await rejected(v1)).code, 'unauthenticated');
    });

    it('an unsigned token (alg: none) is unauthenticated', async () => {
      const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(ssoClaims({ authorityHost: AUTHORITY }))}.`;
      assert.equal((await rejected(unsigned)).code, 'unauthenticated');
      const withKid = `${b64url({ alg: 'none', typ: 'JWT', kid: 'kid-1' })}.${b64url(ssoClaims({ authorityHost: AUTHORITY }))}.`;
      assert.equal((await rejected(withKid)).code, 'unauthenticated');
    });

    it('HS256 signed with the public key bytes as the secret (alg confusion) is unauthenticated', async () => {
      const pem = await exportSPKI(key.publicKey);
      for (const secret of [pem, JSON.stringify(key.jwk)]) {
        const token = await new SignJWT(ssoClaims({ authorityHost: AUTHORITY }))
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'kid-1' })
          .sign(new TextEncoder().encode(secret));
        assert.equal((await rejected(token)).code, 'unauthenticated');
      }
    });

    it('a token without the access_as_user scope is unauthenticated', async () => {
      for (const scp of ['User.Read', 'access_as_user_admin', 'Access_As_User']) {
        const err = await rejected(await mint({ scp }));
        assert.equal(err.code, 'unauthenticated', scp);
        assert.match(err.detail ?? '', /scope/);
      }
      assert.equal((await rejected(await mint({ extra: { scp: undefined } }))).code, 'unauthenticated');
      const ok = await validator().validate(await mint({ scp: 'User.Read access_as_user' }));
      assert.equal(ok.identity.userId, ALICE);
    });

    it('a token without oid (or with an empty one) is unauthenticated', async () => {
      assert.equal((await rejected(await mint({ extra: { oid: undefined } }))).code, 'unauthenticated');
      assert.equal((await rejected(await mint({ extra: { oid: '' } }))).code, 'unauthenticated');
      assert.equal((await rejected(await mint({ extra: { oid: 42 } }))).code, 'unauthenticated');
    });

    it('a token without tid is unauthenticated', async () => {
      assert.equal((await rejected(await mint({ extra: { tid: undefined } }))).code, 'unauthenticated');
    });

    it('a tenant outside allowedTenants is tenant_not_allowed; an allowed one passes', async () => {
      const options = { allowedTenants: [TENANT_A] };
      const err = await rejected(await mint({ tid: TENANT_B }), options);
      assert.equal(err.code, 'tenant_not_allowed');
      assert.equal(err.unexpected, false);
      const ok = await validator(options).validate(await mint({ tid: TENANT_A }));
      assert.equal(ok.identity.tenantId, TENANT_A);
    });

    it('garbage is unauthenticated', async () => {
      for (const token of ['', 'not-a-jwt', 'a.b.c', `${b64url({ alg: 'RS256' })}.e30.`]) {
        assert.equal((await failure(validator().validate(token))).code, 'unauthenticated');
      }
    });
  });

  describe('with the default remote key set over HTTP', () => {
    let srv: ScriptedServer;
    const KEYS_PATH = '/common/discovery/v2.0/keys';

    beforeEach(async () => {
      srv = await startScriptedServer();
      srv.fallback = (req) => (req.path === KEYS_PATH ? { body: { keys: [key.jwk] } } : { status: 404 });
    });
    afterEach(() => srv.close());

    const remote = (overrides: Partial<SsoValidatorOptions> = {}) =>
      new SsoTokenValidator({ clientId: CLIENT_ID, authorityHost: `${srv.origin}/`, ...overrides });
    const mintFor = (o: Partial<MintOptions> = {}, k: SigningKey = key) => mintSso(k, { authorityHost: srv.origin, ...o });

    it('fetches {authorityHost}/common/discovery/v2.0/keys once and caches it', async () => {
      const v = remote();
      const first = await v.validate(await mintFor());
      const second = await v.validate(await mintFor({ oid: BOB }));
      assert.deepEqual(first.identity, { tenantId: TENANT_A, userId: ALICE });
      assert.deepEqual(second.identity, { tenantId: TENANT_A, userId: BOB });
      assert.deepEqual(
        srv.requests.map((r) => `${r.method} ${r.path}`),
        [`GET ${KEYS_PATH}`],
      );
    });

    it('rejects a forged token with keys from the server', async () => {
      const err = await failure(remote().validate(await mintFor({}, impostor)));
      assert.equal(err.code, 'unauthenticated');
    });

    it('picks up a rotated key after the cooldown', async () => {
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
      try {
        const v = remote();
        await v.validate(await mintFor());
        const rotated = await signingKey('kid-2');
        srv.fallback = { body: { keys: [key.jwk, rotated.jwk] } };
        // Within jose's 30 s cooldown an unknown kid is rejected without a fetch.
        assert.equal((await failure(v.validate(await mintFor({}, rotated)))).code, 'unauthenticated');
        assert.equal(srv.requests.length, 1);
        clock.tick(31_000);
        const result = await v.validate(await mintFor({}, rotated));
        assert.equal(result.identity.userId, ALICE);
        assert.equal(srv.requests.length, 2);
      } finally {
        clock.restore();
      }
    });

    // An unreachable or failing key endpoint is an identity platform outage (503), not a bad token (401).
    it('a JWKS endpoint that fails (HTTP 500, or refused) is identity_unavailable, not unauthenticated', async () => {
      srv.fallback = { status: 500, body: 'oops' };
      assert.equal((await failure(remote().validate(await mintFor()))).code, 'identity_unavailable');
      const origin = srv.origin;
      await srv.close();
      const down = new SsoTokenValidator({ clientId: CLIENT_ID, authorityHost: origin });
      assert.equal((await failure(down.validate(await mintFor()))).code, 'identity_unavailable');
      srv = await startScriptedServer(); // for afterEach
    });
  });
});

/** OnBehalfOfExchanger against a local HTTPS token endpoint (self-signed certificate, really verified). */
import assert from 'node:assert/strict';
import { createLocalJWKSet } from 'jose';
import sinon from 'sinon';
import { PresenceError } from '../../presence/errors';
import { createHttp } from '../../presence/http';
import { GraphTokenBroker } from '../../presence/tokens/broker';
import { GRAPH_SCOPES, OnBehalfOfExchanger, type OboOptions } from '../../presence/tokens/obo';
import { SsoTokenValidator } from '../../presence/tokens/sso-validator';
import { ALICE, BOB, CLIENT_ID, localCertificate, mintSso, rejection, signingKey, startScriptedServer, TENANT_A, type ScriptedServer } from './helpers';

const SECRET = 'cl13nt~s3cret.VALUE-do-not-log';
const SSO = 'eyJhbGciOiJSUzI1NiJ9.SSO-ASSERTION-PAYLOAD.sig';
const NOW = Date.parse('2026-11-23T09:00:00.000Z');
const OK = { token_type: 'Bearer', scope: GRAPH_SCOPES.join(' '), expires_in: 3599, ext_expires_in: 3599, access_token: 'graph-access-token-1' };
const DESCRIPTION = 'AADSTS65001: The user or administrator has not consented to use the application with ID contoso-private-detail';

async function failure(promise: Promise<unknown>): Promise<PresenceError> {
  const err = await rejection(promise);
  assert.ok(err instanceof PresenceError, `expected a PresenceError, got ${String(err)}`);
  return err;
}

describe('OnBehalfOfExchanger (HTTPS)', () => {
  let tls: { key: string; cert: string };
  let srv: ScriptedServer;

  before(async () => {
    tls = await localCertificate();
  });
  beforeEach(async () => {
    srv = await startScriptedServer(tls);
    srv.fallback = { body: OK };
  });
  afterEach(() => srv.close());

  function exchanger(overrides: Partial<OboOptions> = {}): OnBehalfOfExchanger {
    return new OnBehalfOfExchanger({
      authorityHost: srv.origin,
      clientId: CLIENT_ID,
      credential: { kind: 'secret', secret: SECRET },
      scopes: GRAPH_SCOPES,
      http: createHttp({ ca: tls.cert }),
      now: () => NOW,
      ...overrides,
    });
  }
  const form = (i = 0) => Object.fromEntries(new URLSearchParams(srv.requests[i]?.body ?? ''));

  it('posts the jwt-bearer on-behalf-of form to /{tenant}/oauth2/v2.0/token', async () => {
    const token = await exchanger({ authorityHost: `${srv.origin}/` }).exchange(SSO, TENANT_A);
    assert.deepEqual(token, { accessToken: 'graph-access-token-1', expiresAt: NOW + 3599 * 1000 });
    assert.equal(srv.requests.length, 1);
    const [req] = srv.requests;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.path, `/${TENANT_A}/oauth2/v2.0/token`);
    assert.equal(req?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(form(), {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: CLIENT_ID,
      client_secret: SECRET,
      assertion: SSO,
      scope: 'https://graph.microsoft.com/Presence.ReadWrite',
    });
  });

  it('joins several scopes with a space', async () => {
    await exchanger({ scopes: ['https://graph.microsoft.com/Presence.ReadWrite', 'offline_access'] }).exchange(SSO, TENANT_A);
    assert.equal(form().scope, 'https://graph.microsoft.com/Presence.ReadWrite offline_access');
  });

  it('with a client assertion credential sends client_assertion_type/client_assertion and no secret', async () => {
    const getAssertion = sinon.stub<[], Promise<string>>().resolves('federated.client.assertion');
    await exchanger({ credential: { kind: 'assertion', getAssertion } }).exchange(SSO, TENANT_A);
    sinon.assert.calledOnce(getAssertion);
    const sent = form();
    assert.equal(sent.client_assertion_type, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    assert.equal(sent.client_assertion, 'federated.client.assertion');
    assert.equal(sent.assertion, SSO);
    assert.ok(!('client_secret' in sent));
  });

  it('invalid_grant (AADSTS65001) is consent_required, without Entra’s description', async () => {
    srv.script({ status: 400, body: { error: 'invalid_grant', error_description: DESCRIPTION, error_codes: [65001], suberror: 'consent_required' } });
    const err = await failure(exchanger().exchange(SSO, TENANT_A));
    assert.equal(err.code, 'consent_required');
    assert.match(err.detail ?? '', /HTTP 400 invalid_grant AADSTS65001/);
    for (const text of [err.message, err.detail ?? '']) {
      assert.ok(!text.includes('contoso-private-detail') && !text.includes(SECRET) && !text.includes(SSO));
    }
  });

  it('invalid_grant for an expired assertion (AADSTS500133) is token_expired: a fresh SSO token will do', async () => {
    srv.script({ status: 400, body: { error: 'invalid_grant', error_description: DESCRIPTION, error_codes: [500133] } });
    const err = await failure(exchanger().exchange(SSO, TENANT_A));
    assert.equal(err.code, 'token_expired');
    assert.ok(!String(err.detail).includes(DESCRIPTION));
  });

  it('interaction_required is consent_required', async () => {
    srv.script({ status: 400, body: { error: 'interaction_required', error_description: 'AADSTS50076: MFA', error_codes: [50076] } });
    assert.equal((await failure(exchanger().exchange(SSO, TENANT_A))).code, 'consent_required');
  });

  it('500 is identity_unavailable', async () => {
    srv.script({ status: 500, body: { error: 'temporarily_unavailable', error_codes: [90000] } });
    const err = await failure(exchanger().exchange(SSO, TENANT_A));
    assert.equal(err.code, 'identity_unavailable');
    assert.equal(err.unexpected, true);
  });

  it('503 with a non-JSON body is identity_unavailable', async () => {
    srv.script({ status: 503, body: '<html>Service Unavailable</html>' });
    assert.equal((await failure(exchanger().exchange(SSO, TENANT_A))).code, 'identity_unavailable');
  });

  it('invalid_client (bad secret) is internal, and the secret is not in the error', async () => {
    srv.script({ status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] } });
    const err = await failure(exchanger().exchange(SSO, TENANT_A));
    assert.equal(err.code, 'internal');
    assert.match(err.detail ?? '', /invalid_client AADSTS7000215/);
    assert.ok(!err.message.includes(SECRET) && !err.message.includes('Invalid client secret'));
  });

  it('429 is throttled with Retry-After', async () => {
    srv.script({ status: 429, headers: { 'retry-after': '12' }, body: { error: 'temporarily_unavailable' } });
    const err = await failure(exchanger().exchange(SSO, TENANT_A));
    assert.equal(err.code, 'throttled');
    assert.equal(err.retryAfterSeconds, 12);
  });

  it('a 200 without access_token is internal', async () => {
    srv.script({ status: 200, body: { token_type: 'Bearer' } });
    assert.equal((await failure(exchanger().exchange(SSO, TENANT_A))).code, 'internal');
  });

  it('an untrusted certificate (no ca) fails as identity_unavailable: TLS is verified', async () => {
    const err = await failure(exchanger({ http: createHttp() }).exchange(SSO, TENANT_A));
    assert.equal(err.code, 'identity_unavailable');
    assert.equal(srv.requests.length, 0, 'nothing reached the endpoint');
    assert.ok(!err.message.includes(SECRET));
    // The underlying failure is the certificate check itself.
    const raw = await rejection(createHttp()({ method: 'GET', url: `${srv.origin}/`, headers: {} }));
    assert.match(String((raw as { code?: unknown }).code), /SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  it('a certificate from another authority is not trusted either', async () => {
    const other = await localCertificate();
    const err = await failure(exchanger({ http: createHttp({ ca: other.cert }) }).exchange(SSO, TENANT_A));
    assert.equal(err.code, 'identity_unavailable');
    assert.equal(srv.requests.length, 0);
  });

  it('the whole path: GraphTokenBroker + SsoTokenValidator + OBO over HTTPS costs one token request per user', async () => {
    const key = await signingKey('kid-obo');
    const validator = new SsoTokenValidator({ clientId: CLIENT_ID, authorityHost: srv.origin, keys: createLocalJWKSet({ keys: [key.jwk] }) });
    let issued = 0;
    srv.fallback = () => ({ body: { ...OK, access_token: `graph-token-${++issued}` } });
    const broker = new GraphTokenBroker({ validator, exchanger: exchanger({ now: Date.now }), cacheSize: 10 });

    const aliceSso = await mintSso(key, { authorityHost: srv.origin, oid: ALICE });
    const first = await broker.fromSso(aliceSso);
    assert.deepEqual(first, { identity: { tenantId: TENANT_A, userId: ALICE }, graphToken: 'graph-token-1' });
    assert.equal(srv.requests.length, 1);
    assert.equal(form(0).assertion, aliceSso);

    const again = await broker.fromSso(await mintSso(key, { authorityHost: srv.origin, oid: ALICE }));
    assert.equal(again.graphToken, 'graph-token-1');
    assert.equal(srv.requests.length, 1, 'the second call for the same user makes no token request');

    const bob = await broker.fromSso(await mintSso(key, { authorityHost: srv.origin, oid: BOB }));
    assert.equal(bob.graphToken, 'graph-token-2');
    assert.equal(srv.requests.length, 2);
    assert.deepEqual(broker.stats(), { ssoValidations: 3, exchanges: 2, cacheHits: 1, cachedUsers: 2 });

    const forged = await mintSso(await signingKey('kid-obo'), { authorityHost: srv.origin, oid: ALICE });
    assert.equal((await failure(broker.fromSso(forged))).code, 'unauthenticated');
    assert.equal(srv.requests.length, 2, 'a forged SSO token never reaches the token endpoint');
  });
});

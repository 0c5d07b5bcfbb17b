/**
 * scripts/federated-credential.ts: the Graph request that lets the App Service's managed identity
 * sign in as the Entra app (no network: fetch and the token are fakes).
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CREDENTIAL_NAME, TOKEN_EXCHANGE_AUDIENCE, upsertFederatedCredential, upsertRequest, type UpsertDeps } from '../../scripts/federated-credential';

const TARGET = {
  appObjectId: '0f1e2d3c-4b5a-4c9d-8e7f-6a5b4c3d2e1f',
  tenantId: '72f988bf-0000-4000-8000-00000000a001',
  principalId: 'a7d388c3-5e3f-4959-ac7d-786b3383006a',
};

function deps(status: number, body = ''): UpsertDeps & { fetch: sinon.SinonStub } {
  return {
    token: () => Promise.resolve('graph-token'),
    fetch: sinon.stub().resolves({ status, text: () => Promise.resolve(body) }),
  };
}

describe('federated credential for the managed identity (scripts/federated-credential.ts)', () => {
  it("trusts the managed identity's principal, issued by the tenant, for the token exchange audience", () => {
    const request = upsertRequest(TARGET);
    assert.equal(request.method, 'PATCH');
    assert.equal(request.url, `https://graph.microsoft.com/v1.0/applications/${TARGET.appObjectId}/federatedIdentityCredentials(name='${CREDENTIAL_NAME}')`);
    assert.equal(request.headers.Prefer, 'create-if-missing');
    assert.equal(request.body.issuer, `https://login.microsoftonline.com/${TARGET.tenantId}/v2.0`);
    assert.equal(request.body.subject, TARGET.principalId);
    assert.deepEqual(request.body.audiences, [TOKEN_EXCHANGE_AUDIENCE]);
    assert.equal(TOKEN_EXCHANGE_AUDIENCE, 'api://AzureADTokenExchange');
  });

  it('refuses anything but GUIDs (the values come from provision outputs)', () => {
    assert.throws(() => upsertRequest({ ...TARGET, principalId: '' }), /principalId/);
    assert.throws(() => upsertRequest({ ...TARGET, appObjectId: "x') or 1=1" }), /appObjectId/);
  });

  it('creates (201) or updates (204) with the bearer token, and fails loudly otherwise', async () => {
    const created = deps(201);
    assert.equal(await upsertFederatedCredential(TARGET, created), 'created');
    const init = created.fetch.firstCall.args[1] as { headers: Record<string, string>; body: string; method: string };
    assert.equal(init.headers.Authorization, 'Bearer graph-token');
    assert.equal(init.method, 'PATCH');
    assert.deepEqual(Object.keys(JSON.parse(init.body) as object).sort(), ['audiences', 'description', 'issuer', 'subject']);
    assert.equal(await upsertFederatedCredential(TARGET, deps(204)), 'updated');
    await assert.rejects(upsertFederatedCredential(TARGET, deps(403, '{"error":{"code":"Authorization_RequestDenied"}}')), /403.*Authorization_RequestDenied/);
  });
});

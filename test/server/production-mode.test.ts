import assert from 'node:assert/strict';
import { silentLogger } from '../../presence/log';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { storageEnv } from '../support/storage';

const PRODUCTION_ENV = {
  BOT_ID: '11111111-2222-4333-8444-555555555555',
  BOT_PASSWORD: 'test-secret-value',
  BOT_DOMAIN: 'presence.example.com',
  HOST: '127.0.0.1',
  PORT: '0',
};

/** With credentials, none of the sandbox exists and the bot requires Bot Framework authentication. */
describe('server in production mode (real HTTP)', () => {
  let app: RunningApp;
  before(async () => {
    app = await startServer(loadConfig({ ...PRODUCTION_ENV, ...(await storageEnv()) }), { logger: silentLogger });
  });
  after(async () => app.close());

  it('rejects an unauthenticated POST /api/messages with 401', async () => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text: 'dnd 8h',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:1',
        from: { id: 'x', aadObjectId: 'y' },
        conversation: { id: 'c' },
        recipient: { id: 'b' },
      }),
    });
    assert.equal(res.status, 401);
  });

  it('rejects a forged Bot Framework token with 401', async () => {
    const forged = 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJhdWQiOiIxMTExMTExMS0yMjIyLTQzMzMtODQ0NC01NTU1NTU1NTU1NTUifQ.';
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` },
      body: JSON.stringify({
        type: 'message',
        text: 'dnd',
        channelId: 'msteams',
        serviceUrl: 'http://127.0.0.1:1',
        from: { id: 'x' },
        conversation: { id: 'c' },
        recipient: { id: 'b' },
      }),
    });
    assert.equal(res.status, 401);
  });

  for (const path of [
    '/sandbox/graph/_requests',
    '/sandbox/graph/v1.0/me/presence',
    '/sandbox/identity/common/discovery/v2.0/keys',
    `/sandbox/graph/_state/users/x`,
    '/sandbox/identity/consent?userId=x',
  ]) {
    it(`has no sandbox route: GET ${path} is 404`, async () => {
      const res = await fetch(`${app.url}${path}`);
      assert.equal(res.status, 404);
    });
  }

  it('POST to the sandbox token endpoint is 404', async () => {
    const res = await fetch(`${app.url}/sandbox/identity/t/oauth2/v2.0/token`, {
      method: 'POST',
      body: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 404);
  });

  it('reports production mode on /healthz', async () => {
    assert.deepEqual(await (await fetch(`${app.url}/healthz`)).json(), { status: 'ok', mode: 'production', storage: 'ok' });
  });
});

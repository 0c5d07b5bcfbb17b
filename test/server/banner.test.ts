/** The start-up banner: in sandbox mode, what a developer needs to get a Graph token for their own tools. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { silentLogger } from '../../presence/log';
import { SANDBOX_USER } from '../../sandbox/identity/issuer';
import { startServer, type RunningApp } from '../../server/app';
import { banner, tokenCommand, type SandboxClient } from '../../server/banner';
import { loadConfig } from '../../server/config';
import { storageEnv } from '../support/storage';

const CLIENT: SandboxClient = {
  appId: 'app-id-1',
  clientSecret: 'secret-xyz',
  identityUrl: 'http://127.0.0.1:3978/sandbox/identity',
  user: { userId: SANDBOX_USER.userId, tenantId: SANDBOX_USER.tenantId },
};

describe('server/banner', () => {
  const urls = { 'Bot endpoint': 'http://127.0.0.1:3978/api/messages' };

  it('sandbox mode with its sandbox mounted prints the sandbox client ID, this run’s secret and the one-line token command', () => {
    const text = banner('http://127.0.0.1:3978', {}, urls, { kind: 'memory' }, CLIENT);
    assert.match(text, /client ID app-id-1, client secret secret-xyz/);
    assert.match(text, /A Graph token for your own tools/);
    const line = text.split('\n').find((l) => l.includes('A Graph token:'));
    assert.equal(line?.slice(line.indexOf('curl')), tokenCommand(CLIENT));
  });

  it('production prints no secret and no sandbox lines', () => {
    const text = banner('https://presence.example.com', { mode: 'production' });
    assert.doesNotMatch(text, /secret|SANDBOX/i);
  });

  describe('the token command, run by bash against a sandbox app (curl on loopback)', () => {
    let app: RunningApp;
    before(async () => {
      app = await startServer(loadConfig({ PORT: '0', ...(await storageEnv()) }), { logger: silentLogger });
    });
    after(async () => app.close());

    it('prints a Graph token that reads the sandbox user’s presence from the emulator', async () => {
      const sandbox = app.sandbox;
      if (!sandbox) throw new Error('sandbox expected');
      const client = { ...CLIENT, appId: loadConfig({}).appId, clientSecret: sandbox.clientSecret, identityUrl: `${app.url}/sandbox/identity` };
      const { stdout } = await promisify(execFile)('bash', ['-c', tokenCommand(client)], { timeout: 10_000 });
      const token = stdout.trim();
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, `a JWT, got ${JSON.stringify(stdout)}`);
      const res = await fetch(`${app.url}/sandbox/graph/v1.0/me/presence`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, await res.clone().text());
      const presence = (await res.json()) as { id: string; availability: string };
      assert.equal(presence.id, SANDBOX_USER.userId);
    });
  });
});

import assert from 'node:assert/strict';
import { silentLogger } from '../../presence/log';
import { startStandaloneSandbox, standaloneOptions, type StandaloneSandbox } from '../../sandbox/standalone';
import { startServer, type RunningApp } from '../../server/app';
import { ConfigError, describeConfig, loadConfig } from '../../server/config';
import { SANDBOX_USER_ID, cardText, startConnector, teamsMessage, type RecordingConnector } from '../support/connector';
import { storageEnv } from '../support/storage';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  return assert.fail('expected a ConfigError');
}

const CREDS = {
  BOT_ID: '11111111-2222-4333-8444-555555555555',
  BOT_PASSWORD: 'p@ss-secret',
  BOT_DOMAIN: 'presence.example.com',
  AZURE_STORAGE_TABLE_URL: 'https://presencedata.table.core.windows.net',
};

describe('SANDBOX_URL: the sandbox in another process (sandbox/standalone.ts)', () => {
  describe('configuration', () => {
    it('takes a loopback http origin with its client secret, and prints the URL, never the secret', () => {
      const config = loadConfig({ SANDBOX_URL: 'http://127.0.0.1:3979/', SANDBOX_CLIENT_SECRET: 'the-secret' });
      assert.equal(config.mode, 'sandbox');
      assert.deepEqual(config.mode === 'sandbox' && config.remoteSandbox, { url: 'http://127.0.0.1:3979', clientSecret: 'the-secret' });
      const described = JSON.stringify(describeConfig(config));
      assert.match(described, /"sandboxUrl":"http:\/\/127\.0\.0\.1:3979"/);
      assert.ok(!described.includes('the-secret'));
      assert.equal(loadConfig({ SANDBOX_URL: 'http://[::1]:3979', SANDBOX_CLIENT_SECRET: 's' }).mode, 'sandbox');
      assert.equal(loadConfig({ SANDBOX_URL: 'http://localhost:3979', SANDBOX_CLIENT_SECRET: 's' }).mode, 'sandbox');
      assert.ok(!('remoteSandbox' in loadConfig({})));
    });

    it('refuses anything but a loopback http origin', () => {
      for (const url of [
        'http://10.0.0.5:3979',
        'https://sandbox.example.com',
        'http://127.0.0.1:3979/sandbox',
        'http://user:pw@127.0.0.1:3979',
        'file:///tmp/x',
        'not a url',
      ]) {
        assert.match(problemsOf({ SANDBOX_URL: url, SANDBOX_CLIENT_SECRET: 's' }), /loopback http origin/, url);
      }
    });

    it('needs the secret with the URL, and neither without the other', () => {
      assert.match(problemsOf({ SANDBOX_URL: 'http://127.0.0.1:3979' }), /needs SANDBOX_CLIENT_SECRET/);
      assert.match(problemsOf({ SANDBOX_CLIENT_SECRET: 's' }), /only read with SANDBOX_URL/);
    });

    it('is for sandbox mode only: with credentials it is an error, never a silent fallback', () => {
      assert.match(problemsOf({ ...CREDS, SANDBOX_URL: 'http://127.0.0.1:3979', SANDBOX_CLIENT_SECRET: 's' }), /sandbox mode only/);
    });

    it("the standalone sandbox follows sandbox mode's rules: loopback only, never in production", () => {
      assert.deepEqual(standaloneOptions({ SANDBOX_PORT: '0', SANDBOX_CLIENT_SECRET: 'abc', SANDBOX_REQUEST_LOG: '2000', SANDBOX_DATA_DIR: '/tmp/x' }), {
        port: 0,
        host: '127.0.0.1',
        clientSecret: 'abc',
        requestLogSize: 2000,
        storage: { kind: 'embedded', location: '/tmp/x/storage', tablePrefix: 'presence' },
      });
      assert.equal(standaloneOptions({}).port, 3979);
      assert.throws(() => standaloneOptions({ HOST: '0.0.0.0' }), /loopback/);
      assert.throws(() => standaloneOptions({ NODE_ENV: 'production' }), /never runs in production/);
      assert.throws(() => standaloneOptions(CREDS), /only without Microsoft 365 credentials/);
    });
  });

  describe('the app against a running standalone sandbox (real HTTP)', () => {
    let sandbox: StandaloneSandbox;
    let app: RunningApp;
    let connector: RecordingConnector;

    const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

    before(async () => {
      sandbox = await startStandaloneSandbox({ port: 0 });
      connector = await startConnector();
      app = await startServer(loadConfig({ PORT: '0', SANDBOX_URL: sandbox.url, SANDBOX_CLIENT_SECRET: sandbox.clientSecret, ...(await storageEnv()) }), {
        logger: silentLogger,
      });
    });
    after(async () => {
      await app.close();
      await connector.close();
      await sandbox.close();
    });

    it('"dnd 8h" changes the presence in the other process\'s emulator, with one SSO token, one exchange and one Graph call', async () => {
      const res = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsMessage(connector.url, 'dnd 8h')),
      });
      assert.equal(res.status, 200);
      const [reply] = (await connector.waitFor(1)).slice(-1);
      assert.match(cardText(reply ?? {}), /Do not disturb/);

      const state = await getJson<{ presence: { availability: string } }>(`${sandbox.url}/sandbox/graph/_state/users/${SANDBOX_USER_ID}`);
      assert.equal(state.presence.availability, 'DoNotDisturb');
      assert.deepEqual(await getJson(`${sandbox.url}/sandbox/identity/_stats`), { ssoTokensIssued: 1, oboExchanges: 1, refreshes: 0 });
      const { requests } = await getJson<{ requests: { path: string; status: number }[] }>(`${sandbox.url}/sandbox/graph/_requests`);
      assert.deepEqual(
        requests.map((r) => `${r.path} ${r.status}`),
        [`/v1.0/users/${SANDBOX_USER_ID}/presence/setUserPreferredPresence 200`],
      );
      assert.deepEqual(app.tokens.stats(), { ssoValidations: 1, exchanges: 1, cacheHits: 0, cachedUsers: 1 });
    });

    it('mounts no sandbox of its own, and its banner points at the other process', async () => {
      assert.equal(app.sandbox, undefined);
      assert.equal((await fetch(`${app.url}/sandbox/graph/_requests`)).status, 404);
      assert.equal((await fetch(`${app.url}/sandbox/identity/_stats`)).status, 404);
      assert.equal(app.sandboxUrls?.['Bot endpoint'], `${app.url}/api/messages`);
      assert.equal(app.sandboxUrls?.['Graph emulator'], `${sandbox.url}/sandbox/graph/v1.0`);
    });

    it("the consent card links to the other process's consent page", async () => {
      const userId = '11111111-1111-1111-1111-000000000077';
      await fetch(`${sandbox.url}/sandbox/identity/_consent/users/${userId}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ granted: false }),
      });
      const before = connector.activities.length;
      const from = { id: '29:other', name: 'Other', aadObjectId: userId };
      await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(teamsMessage(connector.url, 'busy 1h', { from })),
      });
      const [reply] = (await connector.waitFor(before + 1)).slice(-1);
      assert.ok(JSON.stringify(reply).includes(`${sandbox.url}/sandbox/identity/consent?userId=${userId}`));
    });

    it('refuses to start with a secret the sandbox does not accept, or with no sandbox there', async () => {
      await assert.rejects(
        startServer(loadConfig({ PORT: '0', SANDBOX_URL: sandbox.url, SANDBOX_CLIENT_SECRET: 'wrong', STORAGE: 'memory' }), { logger: silentLogger }),
        /refuses SANDBOX_CLIENT_SECRET/,
      );
      await assert.rejects(
        startServer(loadConfig({ PORT: '0', SANDBOX_URL: 'http://127.0.0.1:1', SANDBOX_CLIENT_SECRET: 'x', STORAGE: 'memory' }), { logger: silentLogger }),
        /No sandbox answers/,
      );
    });
  });
});

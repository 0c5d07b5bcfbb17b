import assert from 'node:assert/strict';
import { ConfigError, ENV_VARS, describeConfig, loadConfig } from '../../server/config';
import { createLogger, redact } from '../../server/log';

const STORAGE_URL = 'https://presencedata.table.core.windows.net';
const CREDS = {
  BOT_ID: '11111111-2222-4333-8444-555555555555',
  BOT_PASSWORD: 'p@ss-secret',
  BOT_DOMAIN: 'presence.example.com',
  AZURE_STORAGE_TABLE_URL: STORAGE_URL,
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  assert.fail('expected a ConfigError');
}

describe('configuration', () => {
  it('defaults to sandbox mode on 127.0.0.1:3978 without credentials', () => {
    const config = loadConfig({});
    assert.equal(config.mode, 'sandbox');
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 3978);
  });

  it('refuses sandbox mode on a non-loopback address', () => {
    assert.match(problemsOf({ HOST: '0.0.0.0' }).join(), /loopback/);
    assert.match(problemsOf({ HOST: '10.1.2.3' }).join(), /loopback/);
    assert.equal(loadConfig({ HOST: '::1' }).mode, 'sandbox');
  });

  describe('sandbox mode refuses to start where a production marker is set', () => {
    const markers: Record<string, string> = {
      NODE_ENV: 'production',
      WEBSITE_SITE_NAME: 'presence-app',
      WEBSITE_INSTANCE_ID: 'a1b2c3',
      CONTAINER_APP_NAME: 'presence',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      MicrosoftAppId: '11111111-2222-4333-8444-555555555555',
      MicrosoftAppPassword: 'p@ss',
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppTenantId: '99999999-2222-4333-8444-555555555555',
    };
    for (const [name, value] of Object.entries(markers)) {
      it(`${name}: the sentence names it and says what to do`, () => {
        const [problem = '', ...others] = problemsOf({ [name]: value });
        assert.match(problem, /sandbox mode never runs in production/);
        assert.match(problem, new RegExp(`but ${name === 'NODE_ENV' ? 'NODE_ENV=production' : name} marks a production deployment`));
        assert.match(problem, /To run in production, set BOT_ID, BOT_PASSWORD or MANAGED_IDENTITY_CLIENT_ID, and BOT_DOMAIN/);
        assert.match(problem, new RegExp(`to run the sandbox here, unset ${name}\\.$`));
        assert.equal(others.length, name.startsWith('Microsoft') ? 1 : 0, others.join());
      });
    }

    it('NODE_ENV=production in any case, with spaces around it; other values are not production', () => {
      for (const value of ['Production', 'PRODUCTION', ' production ', '\tProduction\n'])
        assert.match(problemsOf({ NODE_ENV: value }).join(), /NODE_ENV=production marks/, JSON.stringify(value));
      for (const value of ['development', 'test', '', 'productions', 'pre-production']) assert.equal(loadConfig({ NODE_ENV: value }).mode, 'sandbox', value);
    });

    it('a marker set to nothing (or blanks) is not set', () => {
      assert.equal(loadConfig({ MicrosoftAppId: '', MicrosoftAppPassword: '  ', KUBERNETES_SERVICE_HOST: '', WEBSITE_SITE_NAME: ' ' }).mode, 'sandbox');
    });

    it("names every marker found, and the BOT_* names this app reads instead of the Bot Framework's", () => {
      const problems = problemsOf({
        NODE_ENV: 'production',
        KUBERNETES_SERVICE_HOST: '10.0.0.1',
        MicrosoftAppId: markers.MicrosoftAppId ?? '',
        MicrosoftAppPassword: 'p@ss',
      });
      assert.equal(
        problems[0],
        'No Microsoft 365 credentials (BOT_ID, ...) are set, but NODE_ENV=production, KUBERNETES_SERVICE_HOST, MicrosoftAppId and MicrosoftAppPassword mark a production deployment, and sandbox mode never runs in production. To run in production, set BOT_ID, BOT_PASSWORD or MANAGED_IDENTITY_CLIENT_ID, and BOT_DOMAIN; to run the sandbox here, unset NODE_ENV, KUBERNETES_SERVICE_HOST, MicrosoftAppId and MicrosoftAppPassword.',
      );
      assert.equal(problems[1], "This app reads BOT_ID and BOT_PASSWORD, not the Bot Framework's MicrosoftAppId and MicrosoftAppPassword.");
      assert.ok(!problems.join().includes('p@ss'), 'no value is echoed');
    });

    it('production mode (BOT_ID set) does not mind them', () => {
      assert.equal(
        loadConfig({ ...CREDS, NODE_ENV: 'production', KUBERNETES_SERVICE_HOST: '10.0.0.1', CONTAINER_APP_NAME: 'presence', MicrosoftAppId: CREDS.BOT_ID })
          .mode,
        'production',
      );
    });
  });

  it('never falls back to sandbox when credentials are partial: it lists every problem', () => {
    const problems = problemsOf({ BOT_ID: 'not-a-guid' });
    assert.ok(problems.some((p) => p.startsWith('BOT_ID')));
    assert.ok(problems.some((p) => p.startsWith('BOT_DOMAIN')));
    assert.ok(problems.some((p) => p.includes('BOT_PASSWORD')));
  });

  it('builds the production configuration with the SSO resource URI', () => {
    const config = loadConfig(CREDS);
    assert.equal(config.mode, 'production');
    if (config.mode !== 'production') return;
    assert.equal(config.applicationIdUri, `api://presence.example.com/botid-${CREDS.BOT_ID}`);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.graphBaseUrl, 'https://graph.microsoft.com/v1.0');
    assert.deepEqual(config.credential, { kind: 'secret', secret: CREDS.BOT_PASSWORD });
  });

  it('single-tenant apps allow only their own tenant', () => {
    const tenant = '99999999-2222-4333-8444-555555555555';
    const config = loadConfig({ ...CREDS, BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: tenant });
    assert.deepEqual(config.allowedTenants, [tenant]);
    assert.match(problemsOf({ ...CREDS, BOT_TYPE: 'SingleTenant' }).join(), /BOT_TENANT_ID/);
  });

  it('accepts a managed identity instead of a secret, and rejects http endpoints', () => {
    const managed = {
      BOT_ID: CREDS.BOT_ID,
      BOT_DOMAIN: CREDS.BOT_DOMAIN,
      AZURE_STORAGE_TABLE_URL: STORAGE_URL,
      MANAGED_IDENTITY_CLIENT_ID: '22222222-2222-4333-8444-555555555555',
    };
    const config = loadConfig({ ...managed, BOT_TENANT_ID: '99999999-2222-4333-8444-555555555555' });
    assert.equal(config.mode === 'production' && config.credential.kind, 'managedIdentity');
    assert.match(problemsOf(managed).join(), /MANAGED_IDENTITY_CLIENT_ID needs BOT_TENANT_ID/);
    assert.match(problemsOf({ ...CREDS, GRAPH_BASE_URL: 'http://graph.local' }).join(), /https/);
  });

  it('describes the configuration without the secret', () => {
    const text = JSON.stringify(describeConfig(loadConfig(CREDS)));
    assert.ok(!text.includes(CREDS.BOT_PASSWORD));
    assert.match(text, /client secret \(set\)/);
  });

  describe('storage', () => {
    const AZURITE =
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0LWtleQ==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

    it('sandbox mode: the embedded Azurite in .sandbox/storage by default, kept where SANDBOX_DATA_DIR says', () => {
      const config = loadConfig({});
      assert.equal(config.storage.kind, 'embedded');
      assert.ok(config.storage.kind === 'embedded' && config.storage.location.endsWith('/.sandbox/storage'), JSON.stringify(config.storage));
      const moved = loadConfig({ SANDBOX_DATA_DIR: '/tmp/presence-data' }).storage;
      assert.deepEqual(moved, { kind: 'embedded', location: '/tmp/presence-data/storage', tablePrefix: 'presence' });
    });

    it('sandbox mode: a connection string replaces the embedded Azurite; STORAGE=memory is explicit and exclusive', () => {
      assert.deepEqual(loadConfig({ AZURE_STORAGE_CONNECTION_STRING: AZURITE }).storage, {
        kind: 'connectionString',
        connectionString: AZURITE,
        tablePrefix: 'presence',
      });
      assert.deepEqual(loadConfig({ STORAGE: 'memory' }).storage, { kind: 'memory' });
      assert.match(problemsOf({ STORAGE: 'memory', AZURE_STORAGE_CONNECTION_STRING: AZURITE }).join(), /exclude each other/);
      assert.match(problemsOf({ STORAGE: 'disk' }).join(), /STORAGE must be memory/);
      assert.match(problemsOf({ AZURE_STORAGE_TABLE_URL: STORAGE_URL }).join(), /managed identity/);
    });

    it('production refuses to start without durable storage, and never takes the sandbox-only settings', () => {
      const withoutStorage: Record<string, string> = { ...CREDS };
      delete withoutStorage.AZURE_STORAGE_TABLE_URL;
      assert.match(problemsOf(withoutStorage).join(), /Production needs durable storage/);
      for (const name of ['STORAGE', 'SANDBOX_DATA_DIR'])
        assert.match(problemsOf({ ...CREDS, [name]: 'memory' }).join(), new RegExp(`${name} is for sandbox mode only`));
      assert.match(problemsOf({ ...CREDS, AZURE_STORAGE_CONNECTION_STRING: AZURITE }).join(), /not both/);
      assert.match(problemsOf({ ...CREDS, AZURE_STORAGE_TABLE_URL: 'http://presencedata.table.core.windows.net' }).join(), /https/);
      assert.match(problemsOf({ ...CREDS, AZURE_STORAGE_TABLE_PREFIX: 'bad-prefix' }).join(), /AZURE_STORAGE_TABLE_PREFIX/);
      assert.deepEqual(loadConfig(CREDS).storage, { kind: 'tableUrl', url: STORAGE_URL, tablePrefix: 'presence' });
    });

    it('never prints an account key: the description and the logs show endpoints only', () => {
      const text = JSON.stringify(describeConfig(loadConfig({ AZURE_STORAGE_CONNECTION_STRING: AZURITE })));
      assert.ok(!text.includes('c2VjcmV0LWtleQ'), text);
      assert.match(text, /127\.0\.0\.1:10002/);
      const lines: string[] = [];
      createLogger('info', (line) => lines.push(line)).error('store failed', {
        detail: `connection ${AZURITE}`,
        connectionString: AZURITE,
        url: 'https://a.table.core.windows.net/t?sv=1&sig=abcdef',
      });
      assert.ok(!lines.join().includes('c2VjcmV0LWtleQ'), lines.join());
      assert.ok(!lines.join().includes('abcdef'), lines.join());
    });
  });

  describe('telemetry', () => {
    const KEY = '7e1e7e1e-2222-4333-8444-555555555555';
    const CONNECTION = `InstrumentationKey=${KEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/;ApplicationId=aaaaaaaa-0000-4000-8000-000000000000`;

    it('is off unless APPLICATIONINSIGHTS_CONNECTION_STRING is set, in either mode', () => {
      assert.equal(loadConfig({}).telemetry, undefined);
      assert.equal(loadConfig(CREDS).telemetry, undefined);
      assert.deepEqual(loadConfig({ ...CREDS, APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }).telemetry, { connectionString: CONNECTION });
      assert.deepEqual(loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }).telemetry, { connectionString: CONNECTION });
    });

    it('refuses what is not a connection string (a bare instrumentation key, a URL)', () => {
      for (const value of [KEY, 'https://westeurope-5.in.applicationinsights.azure.com/', 'InstrumentationKey=not-a-guid'])
        assert.match(problemsOf({ ...CREDS, APPLICATIONINSIGHTS_CONNECTION_STRING: value }).join(), /APPLICATIONINSIGHTS_CONNECTION_STRING must be/);
    });

    it('is described by its ingestion host, never its key', () => {
      const production = JSON.stringify(describeConfig(loadConfig({ ...CREDS, APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION })));
      assert.ok(!production.includes(KEY), production);
      assert.match(production, /Application Insights via westeurope-5\.in\.applicationinsights\.azure\.com/);
      assert.match(JSON.stringify(describeConfig(loadConfig(CREDS))), /"telemetry":"off \(no APPLICATIONINSIGHTS_CONNECTION_STRING\)"/);
      assert.ok(!JSON.stringify(describeConfig(loadConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION }))).includes(KEY));
    });
  });

  it('documents every variable it reads', () => {
    for (const name of ['BOT_ID', 'BOT_PASSWORD', 'BOT_DOMAIN', 'PORT', 'HOST', 'ALLOWED_TENANTS', 'GRAPH_BASE_URL']) assert.ok(name in ENV_VARS, name);
  });
});

describe('logging', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

  it('redacts secrets by key and JWTs wherever they appear', () => {
    const out = JSON.stringify(redact({ authorization: `Bearer ${jwt}`, nested: { clientSecret: 'abc', note: `got ${jwt} here` }, ok: 'visible' }));
    assert.ok(!out.includes(jwt));
    assert.ok(!out.includes('abc'));
    assert.match(out, /visible/);
  });

  it('writes JSON lines at or above its level, never a token', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    logger.debug('hidden');
    logger.info('exchange done', { ssoToken: jwt, userId: 'u1' });
    logger.error(`failed with ${jwt}`, { error: new Error(`boom ${jwt}`) });
    assert.equal(lines.length, 2);
    assert.ok(lines.every((l) => !l.includes(jwt)));
    assert.equal((JSON.parse(lines[0] ?? '{}') as { userId: string }).userId, 'u1');
  });
});

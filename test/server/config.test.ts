import assert from 'node:assert/strict';
import { ConfigError, ENV_VARS, describeConfig, loadConfig } from '../../server/config';
import { createLogger, redact } from '../../server/log';

const CREDS = { BOT_ID: '11111111-2222-4333-8444-555555555555', BOT_PASSWORD: 'p@ss-secret', BOT_DOMAIN: 'presence.example.com' };

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

  it('refuses sandbox mode in production (NODE_ENV=production or an App Service host)', () => {
    assert.match(problemsOf({ NODE_ENV: 'production' }).join(), /never runs in production/);
    assert.match(problemsOf({ WEBSITE_SITE_NAME: 'presence-app' }).join(), /never runs in production/);
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
    const managed = { BOT_ID: CREDS.BOT_ID, BOT_DOMAIN: CREDS.BOT_DOMAIN, MANAGED_IDENTITY_CLIENT_ID: '22222222-2222-4333-8444-555555555555' };
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

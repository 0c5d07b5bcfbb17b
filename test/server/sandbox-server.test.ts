import assert from 'node:assert/strict';
import { silentLogger } from '../../presence/log';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SANDBOX_USER_ID, cardText, said, startConnector, teamsMessage, type RecordingConnector } from '../support/connector';
import { storageEnv } from '../support/storage';

/** The whole app in sandbox mode over real HTTP: a Teams activity in, Graph emulator state and a reply card out. */
describe('server in sandbox mode (real HTTP)', () => {
  let app: RunningApp;
  let connector: RecordingConnector;

  const post = async (path: string, body: unknown) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const getJson = async <T>(path: string): Promise<T> => (await (await fetch(`${app.url}${path}`)).json()) as T;
  const say = async (text: string) => {
    const before = connector.activities.length;
    const res = await post('/api/messages', teamsMessage(connector.url, text));
    assert.equal(res.status, 200);
    const all = await connector.waitFor(before + 1);
    return all[all.length - 1] as Record<string, unknown>;
  };

  beforeEach(async () => {
    app = await startServer(loadConfig({ PORT: '0', ...(await storageEnv()) }), { logger: silentLogger });
    connector = await startConnector();
  });
  afterEach(async () => {
    await app.close();
    await connector.close();
  });

  it('binds loopback and says it is in sandbox mode', async () => {
    assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await getJson('/healthz'), { status: 'ok', mode: 'sandbox', storage: 'ok' });
  });

  it('"dnd 8h" sets preferred DoNotDisturb for 8 hours with exactly one Graph call, and replies with a card', async () => {
    const started = Date.now();
    const reply = await say('dnd 8h');
    const text = cardText(reply);
    assert.match(text, /Do not disturb/);
    assert.match(said(reply), /until/);
    assert.equal((reply.attachments as { contentType: string }[])[0]?.contentType, 'application/vnd.microsoft.card.adaptive');

    const state = await getJson<{ preferredPresence: { availability: string; activity: string; expiresAt: string }; presence: { availability: string } }>(
      `/sandbox/graph/_state/users/${SANDBOX_USER_ID}`,
    );
    assert.equal(state.preferredPresence.availability, 'DoNotDisturb');
    assert.equal(state.preferredPresence.activity, 'DoNotDisturb');
    const expires = Date.parse(state.preferredPresence.expiresAt);
    assert.ok(Math.abs(expires - (started + 8 * 3600_000)) < 60_000, `expires ${state.preferredPresence.expiresAt}`);
    assert.equal(state.presence.availability, 'DoNotDisturb');

    const { requests } = await getJson<{ requests: { method: string; path: string; status: number }[] }>('/sandbox/graph/_requests');
    assert.deepEqual(
      requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      [`POST /v1.0/users/${SANDBOX_USER_ID}/presence/setUserPreferredPresence 200`],
    );
  });

  it('a returning user costs no token request: one SSO token and one exchange for two commands', async () => {
    await say('busy 30m');
    await say('status');
    const stats = await getJson<{ ssoTokensIssued: number; oboExchanges: number; refreshes: number }>('/sandbox/identity/_stats');
    assert.deepEqual(stats, { ssoTokensIssued: 1, oboExchanges: 1, refreshes: 0 });
    assert.deepEqual(app.tokens.stats(), { ssoValidations: 1, exchanges: 1, cacheHits: 1, cachedUsers: 1 });
  });

  it('GET presence through the emulator shows what the bot set (Graph-shaped, with a sandbox token)', async () => {
    await say('dnd 8h');
    const sso = (await (await post('/sandbox/identity/_sso', { userId: SANDBOX_USER_ID, tenantId: '00000000-0000-0000-0000-000000000001' })).json()) as {
      token: string;
    };
    const { graphToken } = await app.tokens.fromSso(sso.token);
    const res = await fetch(`${app.url}/sandbox/graph/v1.0/users/${SANDBOX_USER_ID}/presence`, { headers: { authorization: `Bearer ${graphToken}` } });
    assert.equal(res.status, 200);
    const presence = (await res.json()) as { id: string; availability: string; activity: string };
    assert.equal(presence.id, SANDBOX_USER_ID);
    assert.equal(presence.availability, 'DoNotDisturb');
    assert.equal(presence.activity, 'DoNotDisturb');
  });

  it('the Graph emulator refuses requests without a sandbox-issued token', async () => {
    const res = await fetch(`${app.url}/sandbox/graph/v1.0/me/presence`, { headers: { authorization: 'Bearer not-a-token' } });
    assert.equal(res.status, 401);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(typeof body.error.code, 'string');
  });

  it('a session state hidden by "appear offline" is explained, and reset clears both', async () => {
    await say('offline 2h');
    const call = await say('call 1h');
    assert.match(said(call), /In a call is set until .*, but people see Appear offline/);
    const reset = await say('reset');
    assert.match(said(reset), /follows your Teams activity again/);
    const state = await getJson<{ preferredPresence: unknown; sessions: { kind: string }[]; presence: { availability: string } }>(
      `/sandbox/graph/_state/users/${SANDBOX_USER_ID}`,
    );
    assert.equal(state.preferredPresence, null);
    assert.deepEqual(
      state.sessions.map((s) => s.kind),
      ['teamsClient'],
    );
    assert.equal(state.presence.availability, 'Available');
  });

  it('reset with no app session (Graph 404 on clearPresence) is not an error', async () => {
    const reply = await say('reset');
    assert.match(said(reply), /^Your status follows your Teams activity again\. People see Available now\./);
  });

  it('a card button (Action.Submit) runs its command', async () => {
    const before = connector.activities.length;
    await post('/api/messages', teamsMessage(connector.url, '', { value: { presenceAction: { type: 'set', state: 'Busy' } } }));
    const [reply] = (await connector.waitFor(before + 1)).slice(-1);
    assert.match(said(reply ?? {}), /Your status is Busy/);
  });

  it('a bad duration is refused with what is accepted, and makes no Graph call', async () => {
    const reply = await say('call 25h');
    assert.match(said(reply), /5 minutes to 1 day/);
    const { requests } = await getJson<{ requests: unknown[] }>('/sandbox/graph/_requests');
    assert.equal(requests.length, 0);
  });

  it('withheld consent gets a consent card; after granting, the command works', async () => {
    await fetch(`${app.url}/sandbox/identity/_consent/users/${SANDBOX_USER_ID}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ granted: false }),
    });
    const refused = await say('dnd 1h');
    assert.match(said(refused), /permission/i);
    const consentPage = await fetch(`${app.url}/sandbox/identity/consent?userId=${SANDBOX_USER_ID}`);
    assert.equal(consentPage.status, 200);
    await fetch(`${app.url}/sandbox/identity/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `userId=${SANDBOX_USER_ID}`,
    });
    const ok = await say('dnd 1h');
    assert.match(said(ok), /Do not disturb/);
  });
});

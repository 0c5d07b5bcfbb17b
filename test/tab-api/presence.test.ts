import assert from 'node:assert/strict';
import sinon from 'sinon';
import { GraphError } from '../../sandbox/graph/graph-error';
import type { RunningApp } from '../../server/app';
import type { ClearedView, PresenceView, SetView } from '../../tab/api/contract';
import { ALICE, HOUR, TENANT, call, issuerOf, ssoToken, startSandboxApp, type ApiError } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const near = (iso: string | undefined, expected: number, what: string) => {
  const at = Date.parse(iso ?? '');
  assert.ok(Math.abs(at - expected) < 60_000, `${what}: ${iso} is not ${new Date(expected).toISOString()}`);
};

/** The tab's API against the real app in sandbox mode: what it sets is what the Graph emulator holds. */
describe('tab API: reading, setting and resetting presence (real HTTP)', () => {
  let app: RunningApp;
  let token: string;
  beforeEach(async () => {
    app = await startSandboxApp();
    token = await ssoToken(app, ALICE, TENANT);
  });
  afterEach(async () => {
    sinon.restore();
    await app.close();
  });

  const snapshot = () => {
    if (!app.sandbox) throw new Error('not a sandbox app');
    return app.sandbox.emulator.snapshot(ALICE);
  };

  it('GET before anything is set: Available from Teams, nothing set by this app', async () => {
    const res = await call<PresenceView>(app.url, 'GET', { token });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(res.body, { presence: { availability: 'Available', activity: 'Available', source: 'teams' } });
  });

  it('POST DoNotDisturb for 120 minutes: the emulator holds preferred DoNotDisturb ending 2 hours from now, and GET shows it', async () => {
    const started = Date.now();
    const res = await call<SetView>(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 120 } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.body.set.state, 'DoNotDisturb');
    assert.equal(res.body.set.usedDefault, false);
    near(res.body.set.expiresAt, started + 2 * HOUR, 'reply');

    const state = snapshot();
    assert.equal(state.preferredPresence?.availability, 'DoNotDisturb');
    assert.equal(state.preferredPresence?.activity, 'DoNotDisturb');
    near(state.preferredPresence?.expiresAt, started + 2 * HOUR, 'emulator');

    const view = await call<PresenceView>(app.url, 'GET', { token });
    assert.deepEqual(view.body.presence, { availability: 'DoNotDisturb', activity: 'DoNotDisturb', source: 'preferred' });
    assert.equal(view.body.preferred?.state, 'DoNotDisturb');
    assert.equal(view.body.preferred?.expiresAt, res.body.set.expiresAt);
    assert.equal(view.body.session, undefined);
  });

  it('POST with `until` (an offset time) and a status message: both expire then', async () => {
    const until = Date.now() + 90 * 60_000;
    const local = new Date(until + 2 * HOUR).toISOString().replace('Z', '+02:00');
    const res = await call<SetView>(app.url, 'POST', { token, body: { state: 'Busy', until: local, statusMessage: 'Deep work' } });
    assert.equal(res.status, 200);
    near(res.body.set.expiresAt, until, 'reply');
    assert.equal(res.body.set.statusMessage, 'Deep work');
    const state = snapshot();
    near(state.preferredPresence?.expiresAt, until, 'emulator');
    assert.equal(state.statusMessage?.content, 'Deep work');
    near(state.statusMessage?.expiresAt ?? undefined, until, 'status message');
    const view = await call<PresenceView>(app.url, 'GET', { token });
    assert.equal(view.body.presence.statusMessage, 'Deep work');
    assert.equal(view.body.preferred?.statusMessage, 'Deep work');
  });

  it('POST without a duration: the default applies and the reply says so', async () => {
    const res = await call<SetView>(app.url, 'POST', { token, body: { state: 'Busy' } });
    assert.equal(res.body.set.usedDefault, true);
    near(res.body.set.expiresAt, Date.now() + 24 * HOUR, 'Busy defaults to a day');
  });

  it("POST InACall sets this app's presence session; GET shows it as the app's", async () => {
    const started = Date.now();
    const res = await call<SetView>(app.url, 'POST', { token, body: { state: 'InACall', durationMinutes: 60 } });
    assert.equal(res.status, 200);
    assert.equal(res.body.set.shadowedBy, undefined);
    const session = snapshot().sessions.find((s) => s.kind === 'application');
    assert.equal(`${session?.availability}/${session?.activity}`, 'Busy/InACall');
    near(session?.expiresAt ?? undefined, started + HOUR, 'session');
    const view = await call<PresenceView>(app.url, 'GET', { token });
    assert.deepEqual(view.body.presence, { availability: 'Busy', activity: 'InACall', source: 'app' });
    assert.equal(view.body.session?.state, 'InACall');
  });

  it('a session state under a preferred status reports what people see instead', async () => {
    await call(app.url, 'POST', { token, body: { state: 'AppearOffline', durationMinutes: 60 } });
    const res = await call<SetView>(app.url, 'POST', { token, body: { state: 'Presenting', durationMinutes: 30 } });
    assert.deepEqual(res.body.set.shadowedBy, { availability: 'Offline', activity: 'OffWork' });
  });

  it('a status message ends with the status it was set with: a new preferred status without one clears it', async () => {
    assert.equal((await call(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 120, statusMessage: 'deep work' } })).status, 200);
    assert.equal(snapshot().statusMessage?.content, 'deep work');
    const set = await call<SetView>(app.url, 'POST', { token, body: { state: 'BeRightBack', durationMinutes: 30 } });
    assert.equal(set.status, 200);
    assert.equal(set.body.set.partial, undefined);
    assert.equal(snapshot().statusMessage?.content ?? '', '', 'the message set with Do not disturb went with it');
    const read = await call<PresenceView>(app.url, 'GET', { token });
    assert.equal(read.body.presence.statusMessage, undefined);
    assert.equal(read.body.preferred?.statusMessage, undefined);
  });

  it('a session state under that preferred status leaves its message alone: the status it came with still shows', async () => {
    await call(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 120, statusMessage: 'deep work' } });
    assert.equal((await call(app.url, 'POST', { token, body: { state: 'InACall', durationMinutes: 30 } })).status, 200);
    assert.equal(snapshot().statusMessage?.content, 'deep work');
  });

  it('DELETE resets both: no preferred status, no app session, Teams shows Available again', async () => {
    await call(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 120, statusMessage: 'Focus' } });
    await call(app.url, 'POST', { token, body: { state: 'InACall', durationMinutes: 30 } });
    const res = await call<{ cleared: { sessionExisted: boolean } }>(app.url, 'DELETE', { token });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(res.body, { cleared: { sessionExisted: true }, presence: { availability: 'Available', activity: 'Available', source: 'teams' } });
    const state = snapshot();
    assert.equal(state.preferredPresence, null);
    assert.deepEqual(
      state.sessions.map((s) => s.kind),
      ['teamsClient'],
    );
    assert.equal(state.statusMessage, null);
    const view = await call<PresenceView>(app.url, 'GET', { token });
    assert.deepEqual(view.body, { presence: { availability: 'Available', activity: 'Available', source: 'teams' } });
  });

  it('DELETE with nothing set is not an error', async () => {
    const res = await call(app.url, 'DELETE', { token });
    assert.deepEqual(res.body, { cleared: { sessionExisted: false }, presence: { availability: 'Available', activity: 'Available', source: 'teams' } });
  });

  it('POST and DELETE answer with what GET answers right after, at 1 Graph call for a preferred state, 2 for a session state and 3 for Reset', async () => {
    const graphCalls = () => app.sandbox?.graphRequests().length ?? 0;
    await call(app.url, 'GET', { token }); // the token exchange, out of the way
    const cases = [
      ['POST', { state: 'Busy', durationMinutes: 180 }, 1],
      ['POST', { state: 'InACall', durationMinutes: 30 }, 2],
      ['DELETE', undefined, 3],
      // The status message is a call of its own, beside the status.
      ['POST', { state: 'DoNotDisturb', durationMinutes: 60, statusMessage: 'deep work' }, 1 + 1],
    ] as const;
    for (const [method, body, graph] of cases) {
      const before = graphCalls();
      const res = await call<SetView & ClearedView>(app.url, method, { token, ...(body ? { body } : {}) });
      assert.equal(res.status, 200);
      assert.equal(graphCalls() - before, graph, `${method} ${JSON.stringify(body)}: Graph calls`);
      const shown = Object.fromEntries(Object.entries(res.body).filter(([key]) => key !== 'set' && key !== 'cleared'));
      const read = await call<PresenceView>(app.url, 'GET', { token });
      assert.deepEqual(shown, read.body, `${method} ${JSON.stringify(body)}: the answer shows what GET then reads`);
    }
  });

  it('a returning caller costs no token request: one exchange for several calls', async () => {
    await call(app.url, 'GET', { token });
    await call(app.url, 'POST', { token, body: { state: 'Busy', durationMinutes: 30 } });
    await call(app.url, 'GET', { token });
    assert.equal(app.tokens.stats().exchanges, 1);
  });

  it('withheld consent: 403 consent_required and nothing changes; after consent the same call works', async () => {
    const issuer = issuerOf(app);
    issuer.setConsent(ALICE, false);
    const refused = await call<ApiError>(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 60 } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'consent_required');
    assert.equal(refused.body.error.correlationId, undefined);
    assert.equal(snapshot().preferredPresence, null);
    assert.equal((await call<ApiError>(app.url, 'GET', { token })).body.error.code, 'consent_required');

    issuer.setConsent(ALICE, true);
    const ok = await call<SetView>(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 60 } });
    assert.equal(ok.status, 200);
    assert.equal(snapshot().preferredPresence?.availability, 'DoNotDisturb');
  });

  describe('partial success (Graph fails one of the calls)', () => {
    const emulator = () => {
      if (!app.sandbox) throw new Error('not a sandbox app');
      return app.sandbox.emulator;
    };

    it('POST whose status message fails: 200 with the state set, no statusMessage, and partial naming it; GET knows the app set it', async () => {
      // The emulator answers 500 to an unexpected failure: retried, then graph_unavailable.
      sinon.stub(emulator(), 'setStatusMessage').throws(new Error('disk on fire'));
      const res = await call<SetView>(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 60, statusMessage: 'Focus' } });
      assert.equal(res.status, 200);
      assert.equal(res.body.set.state, 'DoNotDisturb');
      assert.equal(res.body.set.statusMessage, undefined);
      assert.equal(res.body.set.partial?.length, 1);
      const [failure] = res.body.set.partial ?? [];
      assert.deepEqual([failure?.part, failure?.code], ['statusMessage', 'graph_unavailable']);
      assert.match(failure?.correlationId ?? '', UUID);
      assert.equal(snapshot().preferredPresence?.availability, 'DoNotDisturb');
      const view = await call<PresenceView>(app.url, 'GET', { token });
      assert.equal(view.body.presence.source, 'preferred');
      assert.equal(view.body.preferred?.state, 'DoNotDisturb');
      assert.equal(view.body.preferred?.statusMessage, undefined);
    });

    it('DELETE whose session clear fails: 200 with partial naming the session; the preferred status is cleared and recorded so', async () => {
      await call(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 60 } });
      await call(app.url, 'POST', { token, body: { state: 'InACall', durationMinutes: 30 } });
      sinon.stub(emulator(), 'clearPresence').throws(new Error('disk on fire'));
      const res = await call<ClearedView>(app.url, 'DELETE', { token });
      assert.equal(res.status, 200);
      assert.equal(res.body.cleared.sessionExisted, false);
      assert.deepEqual(
        res.body.cleared.partial?.map((p) => [p.part, p.code]),
        [['session', 'graph_unavailable']],
      );
      assert.match(res.body.cleared.partial?.[0]?.correlationId ?? '', UUID);
      assert.equal(snapshot().preferredPresence, null);
      sinon.restore();
      const view = await call<PresenceView>(app.url, 'GET', { token });
      assert.deepEqual(view.body.presence, { availability: 'Busy', activity: 'InACall', source: 'app' });
      assert.equal(view.body.preferred, undefined);
      assert.equal(view.body.session?.state, 'InACall');
    });

    it('a part Graph throttles is reported without a correlation ID: it is not an unexpected failure', async () => {
      sinon.stub(emulator(), 'setStatusMessage').throws(new GraphError(429, 'TooManyRequests', 'slow down', 30));
      const res = await call<SetView>(app.url, 'POST', { token, body: { state: 'Busy', durationMinutes: 60, statusMessage: 'Focus' } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.set.partial, [{ part: 'statusMessage', code: 'throttled' }]);
    });
  });
});

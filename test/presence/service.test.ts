/** PresenceService: which Graph calls a request turns into, with a recording GraphPresenceApi and a real broker. */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { PresenceError } from '../../presence/errors';
import type { GraphCall, GraphPresence, GraphPresenceApi, PreferredBody, SessionBody } from '../../presence/graph';
import { PresenceLedger, RETENTION_MS } from '../../presence/ledger';
import { silentLogger } from '../../presence/log';
import { MemoryRecordStore } from '../../presence/memory-store';
import { StoreError, userPartition } from '../../presence/store';
import type { StateName } from '../../presence/model';
import type { PresenceRequest } from '../../presence/request';
import { PresenceService, type Credential, type PresenceOutcome } from '../../presence/service';
import { GraphTokenBroker, type BrokerOptions } from '../../presence/tokens/broker';
import type { Identity } from '../../presence/tokens/identity';
import { CLIENT_ID, recordingLogger, rejection, TENANT_A, type RecordingLogger } from './helpers';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ALICE: Identity = { tenantId: TENANT_A, userId: 'alice-oid' };
const BOB: Identity = { tenantId: TENANT_A, userId: 'bob-oid' };

type Call = { method: keyof GraphPresenceApi; token: string; args: unknown[] };

/** Records every call; answers from `presence`, `clearResult`, and throws `failWith` (every call) or `failOn` (that method) when set. */
class FakeGraph implements GraphPresenceApi {
  readonly calls: Call[] = [];
  presence: GraphPresence = { id: ALICE.userId, availability: 'Available', activity: 'Available' };
  clearResult: 'cleared' | 'not_found' = 'cleared';
  failWith?: PresenceError;
  failOn: Partial<Record<keyof GraphPresenceApi, PresenceError>> = {};

  private record(method: keyof GraphPresenceApi, call: GraphCall, ...args: unknown[]): Promise<void> {
    this.calls.push({ method, token: call.token, args });
    const failure = this.failWith ?? this.failOn[method];
    return failure ? Promise.reject(failure) : Promise.resolve();
  }
  async getMyPresence(call: GraphCall) {
    await this.record('getMyPresence', call);
    return this.presence;
  }
  setPresence(call: GraphCall, userId: string, body: SessionBody) {
    return this.record('setPresence', call, userId, body);
  }
  async clearPresence(call: GraphCall, userId: string, sessionId: string) {
    await this.record('clearPresence', call, userId, sessionId);
    return this.clearResult;
  }
  setUserPreferredPresence(call: GraphCall, userId: string, body: PreferredBody) {
    return this.record('setUserPreferredPresence', call, userId, body);
  }
  clearUserPreferredPresence(call: GraphCall, userId: string) {
    return this.record('clearUserPreferredPresence', call, userId);
  }
  setStatusMessage(call: GraphCall, userId: string, message: string, expiresAt?: Date) {
    return this.record('setStatusMessage', call, userId, message, expiresAt);
  }
  methods(): string[] {
    return this.calls.map((c) => c.method);
  }
}

/** SSO tokens are `sso:<tenant>:<user>`; the exchanger counts its calls. */
const validator: BrokerOptions['validator'] = {
  validate: (token) => {
    const [kind, tenantId, userId] = token.split(':');
    if (kind !== 'sso' || !tenantId || !userId) return Promise.reject(new PresenceError('unauthenticated'));
    return Promise.resolve({ identity: { tenantId, userId }, expiresAt: new Date(T0 + HOUR) });
  },
};
const sso = (id: Identity): Credential => ({ kind: 'sso', ssoToken: `sso:${id.tenantId}:${id.userId}` });
const known = (id: Identity): Credential => ({ kind: 'known', identity: id });
/** The body as it goes on the wire (undefined fields dropped). */
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** An outcome without what it says shows now (checked on its own where it matters). */
function withoutNow(outcome: PresenceOutcome): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outcome).filter(([key]) => key !== 'now'));
}

describe('PresenceService', () => {
  let graph: FakeGraph;
  let broker: GraphTokenBroker;
  let exchanges: number;
  let now: number;
  let service: PresenceService;
  let stores: { users: MemoryRecordStore; transient: MemoryRecordStore };

  beforeEach(() => {
    graph = new FakeGraph();
    exchanges = 0;
    now = T0;
    const exchanger = { exchange: (_sso: string, _tid: string) => Promise.resolve({ accessToken: `graph-token-${++exchanges}`, expiresAt: T0 + HOUR }) };
    broker = new GraphTokenBroker({ validator, exchanger, cacheSize: 10, now: () => now });
    stores = { users: new MemoryRecordStore(() => now), transient: new MemoryRecordStore(() => now) };
    service = new PresenceService({
      graph,
      tokens: broker,
      appId: CLIENT_ID,
      logger: silentLogger,
      ledger: new PresenceLedger(stores, { now: () => now }),
      now: () => now,
    });
  });

  const run = (request: PresenceRequest, credential: Credential = sso(ALICE)) => service.execute(credential, request);
  async function failure(promise: Promise<unknown>): Promise<PresenceError> {
    const err = await rejection(promise);
    assert.ok(err instanceof PresenceError, `expected a PresenceError, got ${String(err)}`);
    return err;
  }

  describe('set', () => {
    it('a preferred state with 8 h is exactly one setUserPreferredPresence call with PT8H', async () => {
      const { identity, outcome } = await run({ kind: 'set', state: 'DoNotDisturb', durationMs: 8 * HOUR });
      assert.deepEqual(identity, ALICE);
      assert.equal(graph.calls.length, 1);
      const [call] = graph.calls;
      assert.equal(call?.method, 'setUserPreferredPresence');
      assert.equal(call?.token, 'graph-token-1');
      assert.equal(call?.args[0], ALICE.userId);
      assert.deepEqual(wire(call?.args[1]), { availability: 'DoNotDisturb', activity: 'DoNotDisturb', expirationDuration: 'PT8H' });
      assert.deepEqual(withoutNow(outcome), {
        kind: 'set',
        state: 'DoNotDisturb',
        expiresAt: new Date(T0 + 8 * HOUR),
        usedDefault: false,
        statusMessage: undefined,
      });
      // What shows, known without reading it back: a preferred status outranks every session.
      assert.deepEqual(outcome.kind === 'set' && outcome.now?.presence, {
        availability: 'DoNotDisturb',
        activity: 'DoNotDisturb',
        source: 'preferred',
        statusMessage: undefined,
      });
    });

    const defaults = [
      ['DoNotDisturb', DAY],
      ['Busy', DAY],
      ['Available', 7 * DAY],
      ['BeRightBack', 7 * DAY],
      ['AppearOffline', 7 * DAY],
    ] as const;
    for (const [state, ms] of defaults) {
      it(`${state} without a duration omits expirationDuration and reports Graph's default (${ms / DAY} d)`, async () => {
        const { outcome } = await run({ kind: 'set', state });
        assert.deepEqual(graph.methods(), ['setUserPreferredPresence']);
        const body = graph.calls[0]?.args[1] as PreferredBody;
        assert.equal(body.expirationDuration, undefined);
        assert.ok(!('expirationDuration' in (wire(body) as object)));
        assert.ok(outcome.kind === 'set');
        assert.equal(outcome.usedDefault, true);
        assert.equal(outcome.expiresAt.getTime(), T0 + ms);
      });
    }

    it('a preferred state with a status message also sets the message, expiring with the state', async () => {
      const { outcome } = await run({ kind: 'set', state: 'Busy', durationMs: 2 * HOUR, statusMessage: 'Deep work' });
      assert.deepEqual(graph.methods().sort(), ['setStatusMessage', 'setUserPreferredPresence']);
      const message = graph.calls.find((c) => c.method === 'setStatusMessage');
      assert.deepEqual(message?.args, [ALICE.userId, 'Deep work', new Date(T0 + 2 * HOUR)]);
      assert.ok(outcome.kind === 'set' && outcome.statusMessage === 'Deep work');
    });

    it('a session state is setPresence with sessionId = appId and PT1H by default, then a read-back', async () => {
      graph.presence = { id: ALICE.userId, availability: 'Busy', activity: 'InACall' };
      const { outcome } = await run({ kind: 'set', state: 'InACall' });
      assert.deepEqual(graph.methods(), ['setPresence', 'getMyPresence']);
      assert.deepEqual(graph.calls[0]?.args, [ALICE.userId, { sessionId: CLIENT_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' }]);
      assert.deepEqual(withoutNow(outcome), { kind: 'set', state: 'InACall', expiresAt: new Date(T0 + HOUR), usedDefault: true, statusMessage: undefined });
    });

    it('a session state with a duration sends it (PT30M)', async () => {
      graph.presence = { id: ALICE.userId, availability: 'DoNotDisturb', activity: 'Presenting' };
      await run({ kind: 'set', state: 'Presenting', durationMs: 30 * MINUTE });
      assert.deepEqual(wire(graph.calls[0]?.args[1]), {
        sessionId: CLIENT_ID,
        availability: 'DoNotDisturb',
        activity: 'Presenting',
        expirationDuration: 'PT30M',
      });
    });

    it('a read-back showing another pair reports shadowedBy', async () => {
      graph.presence = { id: ALICE.userId, availability: 'DoNotDisturb', activity: 'DoNotDisturb' };
      const { outcome } = await run({ kind: 'set', state: 'InAConferenceCall', durationMs: 2 * HOUR });
      assert.ok(outcome.kind === 'set');
      assert.deepEqual(outcome.shadowedBy, { availability: 'DoNotDisturb', activity: 'DoNotDisturb' });
    });

    const outOfRange: [PresenceRequest, string][] = [
      [{ kind: 'set', state: 'DoNotDisturb', durationMs: 30_000 }, 'preferred below 1 min'],
      [{ kind: 'set', state: 'DoNotDisturb', durationMs: 7 * DAY + 1 }, 'preferred above 7 d'],
      [{ kind: 'set', state: 'InACall', durationMs: 4 * MINUTE }, 'session below PT5M'],
      [{ kind: 'set', state: 'InACall', durationMs: 4 * HOUR + MINUTE }, 'session above PT4H, with no timers to renew it'],
      [{ kind: 'set', state: 'InACall', durationMs: 24 * HOUR + MINUTE }, 'session above 24 h'],
      [{ kind: 'set', state: 'Away', durationMs: Number.NaN }, 'NaN'],
      [{ kind: 'set', state: 'Away', durationMs: Number.POSITIVE_INFINITY }, 'Infinity'],
      [{ kind: 'set', state: 'Away', durationMs: -HOUR }, 'negative'],
    ];
    for (const [request, label] of outOfRange) {
      it(`an out-of-range duration (${label}) is invalid_request on 'duration', with no token or Graph call`, async () => {
        const err = await failure(run(request));
        assert.equal(err.code, 'invalid_request');
        // A session past Graph's 4 hours is within the product's limit, but this service has no timers to renew it.
        assert.equal(err.field, label.includes('no timers') ? 'timers' : 'duration');
        assert.equal(graph.calls.length, 0);
        assert.equal(exchanges, 0);
      });
    }

    it('the range edges are accepted (PT5M and PT4H for a session, 1 min and 7 d preferred)', async () => {
      graph.presence = { id: ALICE.userId, availability: 'Busy', activity: 'InACall' };
      await run({ kind: 'set', state: 'InACall', durationMs: 5 * MINUTE });
      await run({ kind: 'set', state: 'InACall', durationMs: 4 * HOUR });
      await run({ kind: 'set', state: 'Away', durationMs: MINUTE });
      await run({ kind: 'set', state: 'Away', durationMs: 7 * DAY });
      const durations = graph.calls.filter((c) => c.method !== 'getMyPresence').map((c) => (c.args[1] as PreferredBody).expirationDuration);
      assert.deepEqual(durations, ['PT5M', 'PT4H', 'PT1M', 'P7D']);
    });

    // Regression: Object.prototype names ('toString', '__proto__') once passed as states.
    it('a state name from Object.prototype is invalid_request on state, with no Graph call', async () => {
      for (const state of ['toString', 'constructor', '__proto__']) {
        for (const durationMs of [undefined, HOUR]) {
          const err = await failure(run({ kind: 'set', state: state as StateName, durationMs }));
          assert.equal(err.code, 'invalid_request', `${state} ${durationMs}`);
          assert.equal(err.field, 'state');
        }
      }
      assert.equal(graph.calls.length, 0);
      assert.equal(exchanges, 0);
    });

    it('a status message over 280 characters is invalid_request on statusMessage', async () => {
      const err = await failure(run({ kind: 'set', state: 'Busy', statusMessage: 'x'.repeat(281) }));
      assert.equal(err.field, 'statusMessage');
      assert.equal(graph.calls.length, 0);
    });
  });

  describe('extend ("+1 hour", resolved when clicked)', () => {
    it("without timers a session cannot pass Graph's 4 hours: refused with that limit (not the 24 hours timers allow), and upToLimit sets exactly 4 hours", async () => {
      await run({ kind: 'set', state: 'InACall', durationMs: 3.5 * HOUR });
      const err = await failure(run({ kind: 'extend', state: 'InACall', byMs: HOUR }));
      assert.equal(err.code, 'invalid_request');
      assert.equal(err.field, 'duration');
      assert.equal(err.limitMs, 4 * HOUR);
      const { outcome } = await run({ kind: 'extend', state: 'InACall', byMs: 4 * HOUR, upToLimit: true });
      assert.equal(outcome.kind === 'set' && outcome.expiresAt?.getTime(), T0 + 4 * HOUR);
    });
  });

  describe('clear', () => {
    it('both: clearUserPreferredPresence and clearPresence(appId); not_found is sessionExisted false', async () => {
      graph.clearResult = 'not_found';
      const { outcome } = await run({ kind: 'clear', target: 'both' });
      assert.deepEqual(graph.methods().sort(), ['clearPresence', 'clearUserPreferredPresence', 'getMyPresence']);
      assert.deepEqual(graph.calls.find((c) => c.method === 'clearPresence')?.args, [ALICE.userId, CLIENT_ID]);
      assert.deepEqual(graph.calls.find((c) => c.method === 'clearUserPreferredPresence')?.args, [ALICE.userId]);
      assert.deepEqual(withoutNow(outcome), { kind: 'cleared', target: 'both', sessionExisted: false });
      assert.equal(graph.methods().at(-1), 'getMyPresence', 'what Teams shows, read after the clears');
      assert.ok(outcome.kind === 'cleared' && outcome.now?.presence.source === 'teams');
    });

    it('both with an existing session reports sessionExisted true', async () => {
      const { outcome } = await run({ kind: 'clear', target: 'both' });
      assert.deepEqual(withoutNow(outcome), { kind: 'cleared', target: 'both', sessionExisted: true });
    });

    it('preferred only / session only call only their API', async () => {
      await run({ kind: 'clear', target: 'preferred' });
      assert.deepEqual(graph.methods(), ['clearUserPreferredPresence', 'getMyPresence']);
      graph.calls.length = 0;
      await run({ kind: 'clear', target: 'session' });
      assert.deepEqual(graph.methods(), ['clearPresence', 'getMyPresence']);
    });

    it('clearing what carried a status message also clears the message', async () => {
      await run({ kind: 'set', state: 'DoNotDisturb', durationMs: HOUR, statusMessage: 'Focus' });
      graph.calls.length = 0;
      await run({ kind: 'clear', target: 'preferred' });
      assert.deepEqual(graph.methods().sort(), ['clearUserPreferredPresence', 'getMyPresence', 'setStatusMessage']);
      assert.deepEqual(graph.calls.find((c) => c.method === 'setStatusMessage')?.args, [ALICE.userId, '', undefined]);
    });
  });

  describe('read', () => {
    it("is source 'preferred' when Graph shows what the app set", async () => {
      await run({ kind: 'set', state: 'DoNotDisturb', durationMs: 8 * HOUR });
      graph.presence = { id: ALICE.userId, availability: 'DoNotDisturb', activity: 'DoNotDisturb', statusMessage: { message: { content: 'Heads down' } } };
      const { outcome } = await run({ kind: 'read' });
      assert.ok(outcome.kind === 'read');
      assert.deepEqual(outcome.presence, { availability: 'DoNotDisturb', activity: 'DoNotDisturb', source: 'preferred', statusMessage: 'Heads down' });
      assert.equal(outcome.preferred?.state, 'DoNotDisturb');
      assert.equal(graph.calls.at(-1)?.method, 'getMyPresence');
    });

    it("is 'app' for the app's session, 'teams' otherwise, and 'teams' once the app's setting expired", async () => {
      graph.presence = { id: ALICE.userId, availability: 'Busy', activity: 'InACall' };
      await run({ kind: 'set', state: 'InACall', durationMs: 30 * MINUTE });
      let { outcome } = await run({ kind: 'read' });
      assert.ok(outcome.kind === 'read' && outcome.presence.source === 'app');
      graph.presence = { id: ALICE.userId, availability: 'Away', activity: 'Away' };
      ({ outcome } = await run({ kind: 'read' }));
      assert.ok(outcome.kind === 'read' && outcome.presence.source === 'teams');
      graph.presence = { id: ALICE.userId, availability: 'Busy', activity: 'InACall' };
      now = T0 + 30 * MINUTE;
      ({ outcome } = await run({ kind: 'read' }, known(ALICE)));
      assert.ok(outcome.kind === 'read' && outcome.presence.source === 'teams' && outcome.session === undefined);
    });
  });

  describe('credentials', () => {
    it("'known' without a cached Graph token is sso_required, with no Graph call", async () => {
      const err = await failure(run({ kind: 'read' }, known(ALICE)));
      assert.equal(err.code, 'sso_required');
      assert.equal(graph.calls.length, 0);
    });

    it("'known' uses the token cached by an earlier SSO call", async () => {
      await run({ kind: 'read' }, sso(ALICE));
      await run({ kind: 'read' }, known(ALICE));
      assert.deepEqual(
        graph.calls.map((c) => c.token),
        ['graph-token-1', 'graph-token-1'],
      );
      assert.equal(exchanges, 1);
    });

    it("an 'sso' token for another user than `expected` is unauthenticated, with no Graph call", async () => {
      const err = await failure(run({ kind: 'set', state: 'Busy' }, { kind: 'sso', ssoToken: `sso:${BOB.tenantId}:${BOB.userId}`, expected: ALICE }));
      assert.equal(err.code, 'unauthenticated');
      assert.equal(graph.calls.length, 0);
    });

    it("Graph's token_expired evicts the cached token", async () => {
      await run({ kind: 'read' });
      assert.equal(broker.cached(ALICE), 'graph-token-1');
      graph.failWith = new PresenceError('token_expired');
      assert.equal((await failure(run({ kind: 'read' }, known(ALICE)))).code, 'token_expired');
      assert.equal(broker.cached(ALICE), undefined);
      assert.equal((await failure(run({ kind: 'read' }, known(ALICE)))).code, 'sso_required');
    });

    it('other Graph errors keep the cached token', async () => {
      await run({ kind: 'read' });
      graph.failWith = new PresenceError('throttled', { retryAfterSeconds: 30 });
      assert.equal((await failure(run({ kind: 'read' }))).code, 'throttled');
      assert.equal(broker.cached(ALICE), 'graph-token-1');
    });
  });

  describe('partial success: what succeeded is recorded, what failed is said', () => {
    const down = new PresenceError('graph_unavailable', { detail: 'POST /users/{id}/presence/setStatusMessage: HTTP 503 none' });
    let logger: RecordingLogger;
    let ledger: PresenceLedger;
    beforeEach(() => {
      logger = recordingLogger();
      ledger = new PresenceLedger(stores, { now: () => now });
      service = new PresenceService({ graph, tokens: broker, appId: CLIENT_ID, logger, ledger, now: () => now });
    });
    const logged = (correlationId: string | undefined) => logger.lines.find((l) => l.fields?.correlationId === correlationId);

    it('the status set but its message not: recorded without the message, the outcome says so with a logged correlation ID', async () => {
      graph.failOn.setStatusMessage = down;
      const { outcome } = await run({ kind: 'set', state: 'DoNotDisturb', durationMs: HOUR, statusMessage: 'Focus' });
      assert.ok(outcome.kind === 'set');
      assert.equal(outcome.statusMessage, undefined);
      assert.equal(outcome.partial?.length, 1);
      const [failure] = outcome.partial ?? [];
      assert.equal(failure?.part, 'statusMessage');
      assert.equal(failure?.code, 'graph_unavailable');
      const line = logged(failure?.correlationId);
      assert.equal(line?.level, 'error');
      assert.equal(line?.fields?.detail, down.detail);
      const record = await ledger.get(ALICE);
      assert.deepEqual(record.preferred, { state: 'DoNotDisturb', expiresAt: new Date(T0 + HOUR) });
      graph.presence = { id: ALICE.userId, availability: 'DoNotDisturb', activity: 'DoNotDisturb' };
      const { outcome: read } = await run({ kind: 'read' }, known(ALICE));
      assert.equal(read.kind === 'read' && read.presence.source, 'preferred', 'status knows the app set it');
    });

    it('the status failed but its message was set: the error is thrown, the message taken back, nothing recorded', async () => {
      graph.failOn.setUserPreferredPresence = new PresenceError('forbidden');
      const err = await failure(run({ kind: 'set', state: 'Busy', durationMs: HOUR, statusMessage: 'Focus' }));
      assert.equal(err.code, 'forbidden');
      assert.deepEqual(
        graph.calls.filter((c) => c.method === 'setStatusMessage').map((c) => c.args[1]),
        ['Focus', ''],
      );
      assert.equal((await ledger.get(ALICE)).preferred, undefined);
      assert.ok(logger.lines.some((l) => l.message === 'status message taken back: its status was not set'));
    });

    it('a session state whose read-back failed is set and recorded; the outcome says what people see is unconfirmed', async () => {
      graph.failOn.getMyPresence = new PresenceError('graph_unavailable', { detail: 'GET /me/presence: deadline' });
      const { outcome } = await run({ kind: 'set', state: 'InACall', durationMs: 30 * MINUTE });
      assert.ok(outcome.kind === 'set');
      assert.equal(outcome.shadowedBy, undefined);
      assert.deepEqual(
        outcome.partial?.map((p) => [p.part, p.code]),
        [['confirm', 'graph_unavailable']],
      );
      assert.equal((await ledger.get(ALICE)).session?.state, 'InACall');
    });

    it('a reset whose session clear failed records the preferred status cleared, keeps the session, and lists what was not cleared', async () => {
      await run({ kind: 'set', state: 'Busy', durationMs: HOUR });
      graph.presence = { id: ALICE.userId, availability: 'Busy', activity: 'InACall' };
      await run({ kind: 'set', state: 'InACall', durationMs: HOUR });
      graph.failOn.clearPresence = new PresenceError('throttled', { retryAfterSeconds: 30 });
      const { outcome } = await run({ kind: 'clear', target: 'both' });
      assert.ok(outcome.kind === 'cleared');
      assert.equal(outcome.sessionExisted, false);
      assert.deepEqual(
        outcome.partial?.map((p) => [p.part, p.code]),
        [['session', 'throttled']],
      );
      assert.equal(logged(outcome.partial?.[0]?.correlationId)?.level, 'warn', 'an expected code is a warning');
      const record = await ledger.get(ALICE);
      assert.equal(record.preferred, undefined);
      assert.equal(record.session?.state, 'InACall');
    });

    it('a reset where every clear failed throws the first error and records nothing', async () => {
      await run({ kind: 'set', state: 'Busy', durationMs: HOUR });
      graph.failOn.clearUserPreferredPresence = new PresenceError('graph_unavailable');
      graph.failOn.clearPresence = new PresenceError('throttled');
      const err = await failure(run({ kind: 'clear', target: 'both' }));
      assert.equal(err.code, 'graph_unavailable');
      assert.equal((await ledger.get(ALICE)).preferred?.state, 'Busy');
    });
  });

  describe('timers that act later (a fake planner and refresh-token store)', () => {
    let kept: boolean;
    let asked: number;
    let restores: number;
    let ledger: PresenceLedger;
    beforeEach(() => {
      kept = true;
      asked = 0;
      restores = 0;
      ledger = new PresenceLedger(stores, { now: () => now });
      const refreshTokens = {
        has: () => (asked++, Promise.resolve(kept)),
        keep: () => Promise.resolve(),
        graphToken: () => Promise.resolve(undefined),
        forget: () => Promise.resolve(true),
      };
      const planner = { renewal: () => Promise.resolve(), restore: () => (restores++, Promise.resolve()), start: () => Promise.resolve() };
      service = new PresenceService({
        graph,
        tokens: broker,
        appId: CLIENT_ID,
        logger: silentLogger,
        ledger,
        now: () => now,
        timers: { planner, refreshTokens },
      });
    });

    it('a status replacing one that outlives it plans its restore, asking the store once whether a refresh token is kept', async () => {
      await run({ kind: 'set', state: 'Busy', durationMs: 3 * HOUR });
      asked = 0;
      const { outcome } = await run({ kind: 'set', state: 'DoNotDisturb', durationMs: HOUR });
      assert.ok(outcome.kind === 'set');
      assert.equal(outcome.comesBack?.state, 'Busy');
      assert.equal(restores, 1);
      assert.equal(asked, 1, 'the command knows it from the first answer');
    });

    it('without a refresh token (the exchange brought none) nothing comes back, and the record says so', async () => {
      kept = false;
      await run({ kind: 'set', state: 'Busy', durationMs: 3 * HOUR });
      const { outcome } = await run({ kind: 'set', state: 'DoNotDisturb', durationMs: HOUR });
      assert.ok(outcome.kind === 'set');
      assert.equal(outcome.comesBack, undefined);
      assert.equal(restores, 0);
      assert.equal((await ledger.get(ALICE)).underneath, undefined);
    });
  });

  describe('the durable record (ledger on the store)', () => {
    const contact = { conversation: { serviceUrl: 'https://smba.example/', conversation: { id: 'a:1' } }, locale: 'en-US', timeZone: 'Europe/Berlin' };
    const record = async () =>
      (await stores.users.read({ partition: userPartition(ALICE), row: 'presence' }))?.value as
        { version: number; contact?: unknown; preferred?: { state: string; expiresAt: string } } | undefined;

    it('a set writes one record with the end time and a version; status after it writes nothing', async () => {
      const writes = sinon.spy(stores.users, 'replace');
      const creates = sinon.spy(stores.users, 'create');
      await run({ kind: 'set', state: 'DoNotDisturb', durationMs: 2 * HOUR }, sso(ALICE));
      assert.deepEqual((await record())?.preferred, { state: 'DoNotDisturb', expiresAt: new Date(T0 + 2 * HOUR).toISOString() });
      assert.equal((await record())?.version, 1);
      const { outcome } = await run({ kind: 'read' }, known(ALICE));
      assert.equal(outcome.kind === 'read' && outcome.preferred?.state, 'DoNotDisturb');
      assert.equal(creates.callCount + writes.callCount, 1, 'one write for the set, none for status');
    });

    it('keeps a record 90 days after its last change, then it is gone', async () => {
      await run({ kind: 'set', state: 'Busy', durationMs: HOUR });
      const stored = await stores.users.read({ partition: userPartition(ALICE), row: 'presence' });
      assert.equal(stored?.expiresAt?.getTime(), T0 + RETENTION_MS);
      assert.equal(RETENTION_MS, 90 * DAY);
      now = T0 + RETENTION_MS;
      assert.equal(await stores.users.sweep(new Date(now)), 1);
      assert.equal(await record(), undefined);
    });

    it('keeps the contact with the setting in the same write, and rewrites it only when it changes', async () => {
      const writes = sinon.spy(stores.users, 'replace');
      await execute({ kind: 'set', state: 'Busy', durationMs: HOUR }, contact);
      assert.deepEqual((await record())?.contact, contact);
      await execute({ kind: 'read' }, contact);
      assert.equal(writes.callCount, 0, 'unchanged contact: status writes nothing');
      await execute({ kind: 'read' }, { ...contact, timeZone: 'Asia/Tokyo' });
      assert.equal(writes.callCount, 1);
      assert.equal((await record())?.version, 2);
    });

    it('a store that fails after Graph changed says so: the presence is set, the outcome carries a correlation ID that is in the log', async () => {
      const logged: Record<string, unknown>[] = [];
      service = new PresenceService({
        graph,
        tokens: broker,
        appId: CLIENT_ID,
        logger: { ...silentLogger, error: (_m, f) => void logged.push(f ?? {}) },
        ledger: new PresenceLedger(stores, { now: () => now }),
        now: () => now,
      });
      sinon.stub(stores.users, 'create').rejects(new StoreError('unavailable', 'HTTP 503'));
      const { outcome } = await run({ kind: 'set', state: 'DoNotDisturb', durationMs: HOUR });
      assert.equal(outcome.kind, 'set');
      assert.deepEqual(graph.methods(), ['setUserPreferredPresence']);
      const id = outcome.kind === 'set' ? outcome.storeFailure?.correlationId : undefined;
      assert.ok(id, 'a correlation ID');
      assert.equal(logged[0]?.correlationId, id);
      assert.equal(logged[0]?.storeCode, 'unavailable');
    });

    it('status with the store down still answers what Graph shows, with the source unknown and a correlation ID', async () => {
      sinon.stub(stores.users, 'read').rejects(new StoreError('unavailable'));
      const { outcome } = await run({ kind: 'read' });
      assert.equal(outcome.kind === 'read' && outcome.presence.source, 'unknown');
      assert.ok(outcome.kind === 'read' && outcome.storeFailure?.correlationId);
    });

    it('reset with the store down clears the status message too, since whether the app set one is unknown', async () => {
      sinon.stub(stores.users, 'read').rejects(new StoreError('unavailable'));
      const { outcome } = await run({ kind: 'clear', target: 'both' });
      assert.deepEqual(graph.methods().sort(), ['clearPresence', 'clearUserPreferredPresence', 'getMyPresence', 'setStatusMessage']);
      assert.ok(outcome.kind === 'cleared' && outcome.storeFailure);
    });

    it("forget deletes the user's records in both stores and the cached token, with no Graph call and no token needed", async () => {
      await execute({ kind: 'set', state: 'Busy', durationMs: HOUR }, contact);
      await stores.transient.create({ partition: userPartition(ALICE), row: 'pending' }, { text: 'dnd' }, { expiresAt: new Date(now + HOUR) });
      await stores.users.create({ partition: userPartition(BOB), row: 'presence' }, { schema: 1, version: 1 });
      graph.calls.length = 0;
      const { outcome } = await run({ kind: 'forget' }, known(ALICE));
      assert.deepEqual(outcome, { kind: 'forgotten', records: 2 });
      assert.equal(await record(), undefined);
      assert.equal(broker.cached(ALICE), undefined);
      assert.equal(graph.calls.length, 0);
      assert.ok(await stores.users.read({ partition: userPartition(BOB), row: 'presence' }), 'Bob is untouched');
    });

    afterEach(() => sinon.restore());

    function execute(request: PresenceRequest, withContact: typeof contact) {
      return service.execute(sso(ALICE), request, { contact: withContact });
    }
  });
});

import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunningApp } from '../../server/app';
import type { PlanAddedView, PlanCancelledView, PlansView, PresenceView, SetView } from '../../tab/api/contract';
import { ALICE, BOB, HOUR, TENANT, call, ssoToken, startSandboxApp, type ApiError } from './helpers';

const PATH = '/api/plans';
const MINUTE = 60_000;
const DAY = 24 * HOUR;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The promise of the timers (test/timers): a job runs within 5 s of the clock passing its time. */
const WITHIN_MS = 5_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Statuses planned ahead through the tab's API, against the real app in sandbox mode, on the sandbox clock. */
describe('tab API: planned statuses (real HTTP)', function () {
  this.timeout(20_000);
  let app: RunningApp;
  let token: string;
  beforeEach(async () => {
    app = await startSandboxApp();
    token = await ssoToken(app, ALICE, TENANT);
  });
  afterEach(async () => app.close());

  /** The app's clock: the Graph emulator's in sandbox mode. */
  const now = () => app.now();
  const list = (as = token) => call<PlansView>(app.url, 'GET', { token: as, path: PATH });
  const plan = (body: unknown) => call<PlanAddedView & ApiError>(app.url, 'POST', { token, path: PATH, body });
  const cancel = (id: string, as = token) => call<PlanCancelledView & ApiError>(app.url, 'DELETE', { token: as, path: `${PATH}/${id}` });
  /** Polls until `check` holds, at most WITHIN_MS. */
  const within = async (what: string, check: () => boolean | Promise<boolean>) => {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > WITHIN_MS) assert.fail(`${what}: not within ${WITHIN_MS} ms`);
      await delay(50);
    }
  };
  /** A start on a whole minute, `ms` from now. */
  const ahead = (ms: number) => Math.ceil((now() + ms) / MINUTE) * MINUTE;

  it('GET before anything is planned: an empty list', async () => {
    const res = await list();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(res.body, { planned: [] });
  });

  it('POST plans a status: 201 with the plan and the list; GET /api/plans and GET /api/presence list it', async () => {
    const start = ahead(2 * HOUR);
    // An offset other than Z is the same instant; answers are in UTC.
    const startAt = iso(start).replace(/\.000Z$/, '+00:00');
    const res = await plan({ state: 'DoNotDisturb', startAt, endAt: iso(start + HOUR), statusMessage: ' deep work ' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const { added } = res.body;
    assert.match(added.id, UUID);
    assert.deepEqual(added, { id: added.id, state: 'DoNotDisturb', startAt: iso(start), endAt: iso(start + HOUR), statusMessage: 'deep work' });
    assert.deepEqual(res.body.planned, [added]);
    assert.deepEqual((await list()).body, { planned: [added] });
    const view = await call<PresenceView>(app.url, 'GET', { token });
    assert.deepEqual(view.body.planned, [added]);
    assert.equal(app.sandbox?.emulator.snapshot(ALICE).preferredPresence, null, 'nothing is set before its start');
  });

  it('lists soonest first, whatever order they were planned in', async () => {
    const late = (await plan({ state: 'Busy', startAt: iso(ahead(3 * HOUR)), endAt: iso(ahead(4 * HOUR)) })).body.added;
    const early = (await plan({ state: 'InACall', startAt: iso(ahead(HOUR)), endAt: iso(ahead(2 * HOUR)) })).body.added;
    assert.deepEqual(
      (await list()).body.planned.map((p) => p.id),
      [early.id, late.id],
    );
  });

  it('DELETE /api/plans/:id cancels it: 200 with what was cancelled and what is left; again, nothing is cancelled', async () => {
    const keep = (await plan({ state: 'Away', startAt: iso(ahead(5 * HOUR)), endAt: iso(ahead(6 * HOUR)) })).body.added;
    const added = (await plan({ state: 'Busy', startAt: iso(ahead(HOUR)), endAt: iso(ahead(2 * HOUR)) })).body.added;
    const res = await cancel(added.id);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { planned: [keep], cancelled: added });
    assert.deepEqual((await list()).body, { planned: [keep] });
    const again = await cancel(added.id);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { planned: [keep] }, 'no `cancelled`: there was no such plan');
  });

  it("someone else's plan cannot be cancelled: Bob's DELETE of Alice's ID cancels nothing, and Bob does not see it", async () => {
    const added = (await plan({ state: 'Busy', startAt: iso(ahead(HOUR)), endAt: iso(ahead(2 * HOUR)) })).body.added;
    const bob = await ssoToken(app, BOB, TENANT);
    const res = await cancel(added.id, bob);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { planned: [] });
    assert.deepEqual((await list(bob)).body, { planned: [] });
    assert.deepEqual((await list()).body, { planned: [added] }, "Alice's plan is still there");
  });

  it('a planned status starts: the sandbox clock past its start, and within 5 s Graph has it until its end; the list is empty then', async () => {
    const start = ahead(HOUR);
    assert.equal((await plan({ state: 'BeRightBack', startAt: iso(start), endAt: iso(start + 30 * MINUTE), statusMessage: 'coffee' })).status, 201);
    const snapshot = () => app.sandbox?.emulator.snapshot(ALICE);
    const clock = await fetch(`${app.url}/sandbox/graph/_clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: `PT${Math.ceil((start - now()) / 1000) + 1}S` }),
    });
    assert.equal(clock.status, 200);
    // The status message is a Graph call of its own, just after the presence.
    await within('started', () => snapshot()?.preferredPresence?.availability === 'BeRightBack' && snapshot()?.statusMessage?.content === 'coffee');
    const preferred = snapshot()?.preferredPresence;
    assert.ok(Math.abs(Date.parse(preferred?.expiresAt ?? '') - (start + 30 * MINUTE)) < 30_000, `ends at its end, not ${preferred?.expiresAt}`);
    // The timer records that the plan started just after Graph has it.
    await within('no longer listed', async () => (await list()).body.planned.length === 0);
    const view = await call<PresenceView>(app.url, 'GET', { token });
    assert.equal(view.body.preferred?.state, 'BeRightBack');
    assert.equal(view.body.planned, undefined);
  });

  it('a cancelled plan does nothing when its time comes', async () => {
    const start = ahead(HOUR);
    const added = (await plan({ state: 'Busy', startAt: iso(start), endAt: iso(start + HOUR) })).body.added;
    await cancel(added.id);
    app.sandbox?.emulator.advance(start - now() + MINUTE);
    await delay(2_500);
    assert.equal(app.sandbox?.emulator.snapshot(ALICE).preferredPresence, null);
  });

  /** [what, body, field, status]: each refused before the service is asked, nothing planned. */
  const invalid = (at: number): readonly (readonly [string, unknown, string, number?])[] => [
    ['a JSON array', [], 'body'],
    ['malformed JSON', '{"state":', 'body'],
    ['an empty object', {}, 'state'],
    ['an unknown field', { state: 'Busy', startAt: iso(at + HOUR), endAt: iso(at + 2 * HOUR), userId: BOB }, 'userId'],
    ['an unknown state', { state: 'Sleeping', startAt: iso(at + HOUR), endAt: iso(at + 2 * HOUR) }, 'state'],
    ['a state of the wrong type', { state: 1, startAt: iso(at + HOUR), endAt: iso(at + 2 * HOUR) }, 'state'],
    ['no startAt', { state: 'Busy', endAt: iso(at + 2 * HOUR) }, 'startAt'],
    ['startAt as a number', { state: 'Busy', startAt: at + HOUR, endAt: iso(at + 2 * HOUR) }, 'startAt'],
    ['startAt without an offset', { state: 'Busy', startAt: iso(at + HOUR).slice(0, 19), endAt: iso(at + 2 * HOUR) }, 'startAt'],
    ['startAt an impossible date', { state: 'Busy', startAt: '2099-02-30T10:00:00Z', endAt: iso(at + 2 * HOUR) }, 'startAt'],
    ['startAt in the past', { state: 'Busy', startAt: iso(at - MINUTE), endAt: iso(at + HOUR) }, 'startAt'],
    ['startAt more than 7 days ahead', { state: 'Busy', startAt: iso(at + 7 * DAY + HOUR), endAt: iso(at + 7 * DAY + 2 * HOUR) }, 'startAt'],
    ['no endAt', { state: 'Busy', startAt: iso(at + HOUR) }, 'endAt'],
    ['endAt in words', { state: 'Busy', startAt: iso(at + HOUR), endAt: 'later' }, 'endAt'],
    ['endAt before startAt', { state: 'Busy', startAt: iso(at + 2 * HOUR), endAt: iso(at + HOUR) }, 'endAt'],
    ['endAt equal to startAt', { state: 'Busy', startAt: iso(at + HOUR), endAt: iso(at + HOUR) }, 'endAt'],
    ['a preferred status longer than 7 days', { state: 'Away', startAt: iso(at + HOUR), endAt: iso(at + 7 * DAY + 2 * HOUR) }, 'endAt'],
    ['a session state shorter than 5 minutes', { state: 'InACall', startAt: iso(at + HOUR), endAt: iso(at + HOUR + 4 * MINUTE) }, 'endAt'],
    ['a session state longer than 24 hours', { state: 'Presenting', startAt: iso(at + HOUR), endAt: iso(at + 25 * HOUR + MINUTE) }, 'endAt'],
    ['a statusMessage that is not a string', { state: 'Busy', startAt: iso(at + HOUR), endAt: iso(at + 2 * HOUR), statusMessage: 5 }, 'statusMessage'],
    [
      'a statusMessage over 280 characters',
      { state: 'Busy', startAt: iso(at + HOUR), endAt: iso(at + 2 * HOUR), statusMessage: 'x'.repeat(281) },
      'statusMessage',
    ],
    ['a body over 4 KB', { state: 'Busy', startAt: iso(at + HOUR), endAt: iso(at + 2 * HOUR), statusMessage: 'x'.repeat(5000) }, 'body', 413],
  ];

  it('refuses each malformed POST body with invalid_request naming the field; nothing is planned, no token is exchanged', async () => {
    const failures: string[] = [];
    for (const [what, body, field, status = 400] of invalid(now())) {
      const res = await plan(body);
      const got = `${res.status} ${res.body.error?.code}/${res.body.error?.field}`;
      if (got !== `${status} invalid_request/${field}`) failures.push(`${what}: expected ${status} invalid_request/${field}, got ${got}`);
      else if (!res.body.error.message) failures.push(`${what}: no message`);
    }
    assert.deepEqual(failures, []);
    assert.deepEqual((await list()).body, { planned: [] });
    assert.equal(app.tokens.stats().exchanges, 0);
  });

  it('the limits are inclusive: a session of 5 minutes and of 24 hours, a preferred status of 1 minute and of 7 days', async () => {
    for (const [state, ms] of [
      ['InACall', 5 * MINUTE],
      ['InAConferenceCall', DAY],
      ['Busy', MINUTE],
      ['Away', 7 * DAY],
    ] as const) {
      const start = ahead(HOUR);
      const res = await plan({ state, startAt: iso(start), endAt: iso(start + ms) });
      assert.equal(res.status, 201, `${state} for ${ms / MINUTE} minutes: ${JSON.stringify(res.body)}`);
    }
  });

  it('the refusals say what is accepted', async () => {
    const far = await plan({ state: 'Busy', startAt: iso(now() + 8 * DAY), endAt: iso(now() + 8 * DAY + HOUR) });
    assert.equal(far.body.error.message, 'startAt must be in the future and at most 7 days ahead.');
    const past = await plan({ state: 'Busy', startAt: iso(now() - HOUR), endAt: iso(now() + HOUR) });
    assert.equal(past.body.error.message, 'startAt must be in the future.');
    const session = await plan({ state: 'Presenting', startAt: iso(ahead(HOUR)), endAt: iso(ahead(HOUR) + 2 * MINUTE) });
    assert.equal(session.body.error.message, 'For this state, the duration must be from 5 minutes to 1 day.');
    const unknown = await plan({ state: 'Busy', until: iso(now() + HOUR) });
    assert.equal(unknown.body.error.message, 'until is not a field of this request. Allowed: state, startAt, endAt, statusMessage.');
  });

  it('at most 20 planned: the 21st is refused naming `planned`, and says so', async () => {
    for (let i = 0; i < 20; i++) {
      const start = ahead(HOUR + i * HOUR);
      assert.equal((await plan({ state: 'Busy', startAt: iso(start), endAt: iso(start + 30 * MINUTE) })).status, 201, `plan ${i + 1}`);
    }
    const res = await plan({ state: 'Busy', startAt: iso(ahead(30 * HOUR)), endAt: iso(ahead(31 * HOUR)) });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_request');
    assert.equal(res.body.error.field, 'planned');
    assert.equal(res.body.error.message, 'At most 20 statuses can be planned at once: cancel one first.');
    assert.equal((await list()).body.planned.length, 20);
  });

  it('DELETE: an ID that is not a plan ID is 400 naming id; no body and no query parameters', async () => {
    const added = (await plan({ state: 'Busy', startAt: iso(ahead(HOUR)), endAt: iso(ahead(2 * HOUR)) })).body.added;
    for (const id of ['next', 'x'.repeat(36), added.id.toUpperCase(), encodeURIComponent(`${added.id} `)]) {
      const res = await cancel(id);
      assert.equal(res.status, 400, id);
      assert.equal(res.body.error.field, 'id', id);
    }
    const withBody = await call<ApiError>(app.url, 'DELETE', { token, path: `${PATH}/${added.id}`, body: { id: added.id } });
    assert.equal(withBody.status, 400);
    assert.equal(withBody.body.error.field, 'body');
    const withQuery = await call<ApiError>(app.url, 'DELETE', { token, path: `${PATH}/${added.id}?userId=${BOB}` });
    assert.equal(withQuery.status, 400);
    assert.equal(withQuery.body.error.field, 'userId');
    const listQuery = await call<ApiError>(app.url, 'GET', { token, path: `${PATH}?userId=${BOB}` });
    assert.equal(listQuery.body.error.field, 'userId');
    assert.deepEqual((await list()).body, { planned: [added] }, 'still planned');
  });

  it('401 without a token on GET, POST and DELETE, and nothing is planned or cancelled', async () => {
    const added = (await plan({ state: 'Busy', startAt: iso(ahead(HOUR)), endAt: iso(ahead(2 * HOUR)) })).body.added;
    const body = { state: 'Busy', startAt: iso(ahead(3 * HOUR)), endAt: iso(ahead(4 * HOUR)) };
    for (const [method, path] of [
      ['GET', PATH],
      ['POST', PATH],
      ['DELETE', `${PATH}/${added.id}`],
    ] as const) {
      const res = await call<ApiError>(app.url, method, { path, ...(method === 'POST' ? { body } : {}) });
      assert.equal(res.status, 401, method);
      assert.equal(res.body.error.code, 'unauthenticated', method);
    }
    assert.deepEqual((await list()).body, { planned: [added] });
  });

  it('"comes back" in the presence view and in the set answer: Busy 3 hours, then Do not disturb 1 hour', async () => {
    const busy = await call<SetView>(app.url, 'POST', { token, body: { state: 'Busy', durationMinutes: 180 } });
    assert.equal(busy.body.set.comesBack, undefined);
    const dnd = await call<SetView>(app.url, 'POST', { token, body: { state: 'DoNotDisturb', durationMinutes: 60 } });
    assert.deepEqual(dnd.body.set.comesBack, { state: 'Busy', expiresAt: busy.body.set.expiresAt });
    const view = await call<PresenceView>(app.url, 'GET', { token });
    assert.deepEqual(view.body.comesBack, { preferred: { state: 'Busy', expiresAt: busy.body.set.expiresAt } });
    assert.equal(view.body.preferred?.state, 'DoNotDisturb');
  });
});

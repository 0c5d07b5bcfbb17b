import assert from 'node:assert/strict';
import type { RunningApp } from '../../server/app';
import { ALICE, HOUR, call, ssoToken, startSandboxApp, type ApiError } from './helpers';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** [what, body (a string is sent as is), field, status]: every one is refused before any token exchange or Graph call. */
function cases(now: number): readonly (readonly [string, unknown, string, number?])[] {
  return [
    ['a JSON array', [], 'body'],
    ['JSON null', 'null', 'body'],
    ['a JSON string', '"Busy"', 'body'],
    ['a JSON number', '42', 'body'],
    ['malformed JSON', '{"state":', 'body'],
    ['an empty object', {}, 'state'],
    ['an unknown field', { state: 'Busy', colour: 'red' }, 'colour'],
    ['a __proto__ field', '{"state":"Busy","__proto__":{"durationMinutes":5}}', '__proto__'],
    ['a state of the wrong type', { state: 3 }, 'state'],
    ['a null state', { state: null }, 'state'],
    ['an unknown state', { state: 'Sleeping' }, 'state'],
    ['a state in the wrong case', { state: 'busy' }, 'state'],
    ['an availability that is not a state', { state: 'DoNotDisturb ' }, 'state'],
    ['an activity that is not a state', { state: 'OffWork' }, 'state'],
    ['the Offline alias in the wrong case', { state: 'offline' }, 'state'],
    ["the Offline alias beyond 7 days (its limits are AppearOffline's)", { state: 'Offline', durationMinutes: 7 * 24 * 60 + 1 }, 'durationMinutes'],
    ['a state named like an Object.prototype member', { state: 'toString' }, 'state'],
    ['a state of __proto__', { state: '__proto__' }, 'state'],
    ['durationMinutes as a string', { state: 'Busy', durationMinutes: '30' }, 'durationMinutes'],
    ['durationMinutes null', { state: 'Busy', durationMinutes: null }, 'durationMinutes'],
    ['durationMinutes fractional', { state: 'Busy', durationMinutes: 1.5 }, 'durationMinutes'],
    ['durationMinutes infinite (1e400 parses to Infinity)', '{"state":"Busy","durationMinutes":1e400}', 'durationMinutes'],
    ['durationMinutes zero', { state: 'Busy', durationMinutes: 0 }, 'durationMinutes'],
    ['durationMinutes negative', { state: 'Busy', durationMinutes: -30 }, 'durationMinutes'],
    ['a preferred status over 7 days', { state: 'DoNotDisturb', durationMinutes: 7 * 24 * 60 + 1 }, 'durationMinutes'],
    ['a session state under 5 minutes', { state: 'InACall', durationMinutes: 4 }, 'durationMinutes'],
    ['a session state over 24 hours', { state: 'Presenting', durationMinutes: 24 * 60 + 1 }, 'durationMinutes'],
    ['both durationMinutes and until', { state: 'Busy', durationMinutes: 30, until: iso(now + HOUR) }, 'until'],
    ['until as a number', { state: 'Busy', until: now + HOUR }, 'until'],
    ['until in words', { state: 'Busy', until: 'tomorrow 9am' }, 'until'],
    ['until without an offset (local time is ambiguous)', { state: 'Busy', until: iso(now + HOUR).slice(0, 19) }, 'until'],
    ['until a date only', { state: 'Busy', until: iso(now + 2 * 24 * HOUR).slice(0, 10) }, 'until'],
    ['until an impossible date', { state: 'Busy', until: '2099-02-30T10:00:00Z' }, 'until'],
    ['until in the past', { state: 'Busy', until: iso(now - MINUTE) }, 'until'],
    ['until beyond 7 days', { state: 'Busy', until: iso(now + 8 * 24 * HOUR) }, 'until'],
    ['a session state until 25 hours from now', { state: 'InACall', until: iso(now + 25 * HOUR) }, 'until'],
    ['a statusMessage that is not a string', { state: 'Busy', statusMessage: 5 }, 'statusMessage'],
    ['a statusMessage over 280 characters', { state: 'Busy', statusMessage: 'x'.repeat(281) }, 'statusMessage'],
    ['a body over 4 KB', { state: 'Busy', statusMessage: 'x'.repeat(5000) }, 'body', 413],
    ['a body over the server-wide 256 KB limit', { state: 'Busy', statusMessage: 'x'.repeat(300_000) }, 'body', 413],
  ];
}

describe('tab API: request validation (real HTTP)', () => {
  let app: RunningApp;
  let token: string;
  before(async () => {
    app = await startSandboxApp();
    token = await ssoToken(app, ALICE);
  });
  after(async () => app.close());

  const graphRequests = async () => ((await (await fetch(`${app.url}/sandbox/graph/_requests`)).json()) as { requests: unknown[] }).requests.length;

  it('refuses each malformed POST body with invalid_request naming the field, before any token exchange or Graph call', async () => {
    const failures: string[] = [];
    for (const [what, body, field, status = 400] of cases(Date.now())) {
      const res = await call<ApiError>(app.url, 'POST', { token, body });
      const got = `${res.status} ${res.body.error?.code}/${res.body.error?.field}`;
      if (got !== `${status} invalid_request/${field}`) failures.push(`${what}: expected ${status} invalid_request/${field}, got ${got}`);
      else if (!res.body.error.message || res.headers.get('cache-control') !== 'no-store') failures.push(`${what}: no message or no no-store`);
    }
    assert.deepEqual(failures, []);
    assert.equal(await graphRequests(), 0);
    assert.equal(app.tokens.stats().exchanges, 0);
  });

  it('the error message says what is accepted', async () => {
    const range = await call<ApiError>(app.url, 'POST', { token, body: { state: 'InACall', durationMinutes: 25 * 60 } });
    assert.equal(range.body.error.message, 'For this state, the duration must be from 5 minutes to 1 day.');
    const state = await call<ApiError>(app.url, 'POST', { token, body: { state: 'Sleeping' } });
    assert.match(
      state.body.error.message,
      /^state must be one of: Available, Busy, DoNotDisturb, BeRightBack, Away, AppearOffline, InACall, InAConferenceCall, Presenting\.$/,
    );
    const unknown = await call<ApiError>(app.url, 'POST', { token, body: { state: 'Busy', userId: 'x' } });
    assert.equal(unknown.body.error.message, 'userId is not a field of this request. Allowed: state, durationMinutes, until, statusMessage.');
  });

  for (const [what, headers, body] of [
    ['text/plain', { 'content-type': 'text/plain' }, '{"state":"Busy"}'],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }, 'state=Busy'],
    ['no content type and no body', {}, undefined],
  ] as const) {
    it(`415 invalid_request for a POST body sent as ${what}`, async () => {
      const res = await fetch(`${app.url}/api/presence`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body });
      assert.equal(res.status, 415);
      assert.deepEqual(((await res.json()) as ApiError).error.field, 'content-type');
    });
  }

  it('400 for a JSON POST with an empty body', async () => {
    const res = await call<ApiError>(app.url, 'POST', { token, headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, 'body');
  });

  it('GET and DELETE take no body', async () => {
    const res = await call<ApiError>(app.url, 'DELETE', { token, body: { target: 'both' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, 'body');
    assert.equal(await graphRequests(), 0);
  });

  it('a blank status message means none, and a message of exactly 280 characters is accepted', async () => {
    const blank = await call<{ set: { statusMessage?: string } }>(app.url, 'POST', {
      token,
      body: { state: 'Busy', durationMinutes: 30, statusMessage: '   ' },
    });
    assert.equal(blank.status, 200);
    assert.equal(blank.body.set.statusMessage, undefined);
    const full = await call<{ set: { statusMessage?: string } }>(app.url, 'POST', {
      token,
      body: { state: 'Busy', durationMinutes: 30, statusMessage: 'x'.repeat(280) },
    });
    assert.equal(full.status, 200);
    assert.equal(full.body.set.statusMessage?.length, 280);
  });

  it('Offline is another name for AppearOffline: the same preferred status, and the answers say AppearOffline', async () => {
    const set = await call<{ set: { state: string } }>(app.url, 'POST', { token, body: { state: 'Offline', durationMinutes: 60 } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.set.state, 'AppearOffline');
    const { preferredPresence } = app.sandbox?.emulator.snapshot(ALICE) ?? {};
    assert.deepEqual(preferredPresence && { availability: preferredPresence.availability, activity: preferredPresence.activity }, {
      availability: 'Offline',
      activity: 'OffWork',
    });
    const read = await call<{ preferred?: { state: string } }>(app.url, 'GET', { token });
    assert.equal(read.body.preferred?.state, 'AppearOffline');
  });

  it('the duration limits are inclusive: 1 minute to 7 days, and 5 minutes to 24 hours for a session', async () => {
    for (const [state, durationMinutes] of [
      ['Busy', 1],
      ['Busy', 7 * 24 * 60],
      ['InACall', 5],
      ['InACall', 24 * 60],
    ] as const) {
      const res = await call(app.url, 'POST', { token, body: { state, durationMinutes } });
      assert.equal(res.status, 200, `${state} ${durationMinutes}`);
    }
  });
});

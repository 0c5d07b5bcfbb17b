/**
 * The timers that act in Graph while the user is away, end to end over real HTTP: two app instances on one store
 * (Azurite), one standalone sandbox (Graph emulator and identity issuer), the sandbox clock advanced as a person
 * would. Renewal keeps a session past Graph's 4 hours with one Graph call and one refresh each; a replaced status
 * comes back; a planned status starts and ends on time; a status changed since makes a timer a no-op; a refresh
 * token refused (revoked) cancels the plans and says so in the chat.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import type { StandaloneSandbox } from '../../sandbox/standalone';
import { startTwoInstances, type TwoInstances } from '../support/instances';
import type { RunningApp } from '../../server/app';
import { SANDBOX_USER_ID, SANDBOX_TENANT_ID, cardText, chat, said, type RecordingConnector } from '../support/connector';
import { UNLIMITED } from '../tab-api/helpers';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The promise: a job runs within 5 s of the clock passing its time. */
const WITHIN_MS = 5_000;
const ALEX = { userId: SANDBOX_USER_ID, tenantId: SANDBOX_TENANT_ID };

describe('timers: renewal, restore, planned statuses (two instances, standalone sandbox, real HTTP)', function () {
  this.timeout(90_000);
  let instances: TwoInstances;
  let sandbox: StandaloneSandbox;
  let one: RunningApp;
  let connector: RecordingConnector;

  before(async () => {
    instances = await startTwoInstances({ ...UNLIMITED, jobPollMs: 200 });
    ({ sandbox, one, connector } = instances);
  });
  after(async () => instances.close());
  beforeEach(async () => {
    await chat(one.url, connector, 'reset');
    // Reminders would be messages of their own in the chat: these tests count only what the timers say.
    await chat(one.url, connector, 'remind off');
    // What an earlier test left planned: "cancel" until nothing is.
    for (let i = 0; i < 20 && !/Nothing is planned/.test(said(await chat(one.url, connector, 'cancel'))); i++);
  });

  const emulator = () => sandbox.sandbox.emulator;
  const advance = async (ms: number) => {
    await advanceClock(ms);
    // Both instances follow the remote sandbox's clock (every 500 ms): a command sent before they caught up would start from the old time.
    const target = emulator().now();
    await within('the instances follow the clock', () => instances.one.now() >= target && instances.two.now() >= target);
  };
  const advanceClock = async (ms: number) => {
    const res = await fetch(`${sandbox.url}/sandbox/graph/_clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: `PT${Math.round(ms / 1000)}S` }),
    });
    assert.equal(res.status, 200);
  };
  const session = () =>
    emulator()
      .snapshot(SANDBOX_USER_ID)
      .sessions.find((s) => s.kind !== undefined && s.activity === 'Presenting');
  const setPresenceCalls = () => sandbox.sandbox.graphRequests().filter((r) => r.path.endsWith('/presence/setPresence') && r.status === 200).length;
  const refreshes = () => sandbox.sandbox.issuer.stats.refreshes;
  /** Polls until `check` holds, at most WITHIN_MS; returns how long it took. */
  const within = async (what: string, check: () => boolean): Promise<number> => {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > WITHIN_MS) assert.fail(`${what}: not within ${WITHIN_MS} ms`);
      await delay(50);
    }
    return Date.now() - start;
  };
  const near = (actual: number, expected: number, what: string) =>
    assert.ok(Math.abs(actual - expected) < 30_000, `${what}: ${new Date(actual).toISOString()} vs ${new Date(expected).toISOString()}`);

  it('"presenting 9h": Graph caps a session at 4 hours; two renewals keep it until the end, each one Graph call and one refresh', async () => {
    const start = emulator().now();
    assert.match(said(await chat(one.url, connector, 'presenting 9h')), /^Your status is Presenting until/);
    near(Date.parse(session()?.expiresAt ?? ''), start + 4 * HOUR, "Graph's first session: 4 hours");
    for (const [renewalAt, graphEnd] of [
      [4 * HOUR - 10 * MINUTE, 8 * HOUR - 10 * MINUTE],
      [8 * HOUR - 20 * MINUTE, 9 * HOUR],
    ] as const) {
      const calls = setPresenceCalls();
      // Hours pass between renewals: the Graph tokens the instances hold (an hour, wall clock) would have expired.
      for (const app of [one, instances.two]) app.tokens.evict(ALEX);
      const refreshed = refreshes();
      await advance(start + renewalAt - emulator().now() - MINUTE);
      await delay(600);
      assert.equal(setPresenceCalls(), calls, 'not before its time');
      await advance(MINUTE);
      await within('renewed', () => setPresenceCalls() === calls + 1);
      near(Date.parse(session()?.expiresAt ?? ''), start + graphEnd, 'the renewed session');
      assert.equal(refreshes() - refreshed, 1, 'one token request per renewal: the refresh-token grant');
      await delay(600);
      assert.equal(setPresenceCalls(), calls + 1, 'one Graph call per renewal, once with two instances');
    }
    // Past both of Graph's 4-hour marks, people still see Presenting, until the end asked for.
    await advance(start + 8 * HOUR + 30 * MINUTE - emulator().now());
    assert.equal(emulator().getPresence(SANDBOX_USER_ID).activity, 'Presenting');
    await advance(start + 9 * HOUR + MINUTE - emulator().now());
    assert.notEqual(emulator().getPresence(SANDBOX_USER_ID).activity, 'Presenting');
  });

  it('"busy 3h", then "dnd 1h": after the hour Busy comes back for what is left of its time; status and the reply say so', async () => {
    const start = emulator().now();
    await chat(one.url, connector, 'busy 3h');
    assert.match(said(await chat(one.url, connector, 'dnd 1h')), /Then Busy comes back until .+\.$/);
    assert.match(said(await chat(one.url, connector, 'status')), /Then Busy comes back until/);
    await advance(HOUR);
    await within('Busy is back', () => emulator().snapshot(SANDBOX_USER_ID).preferredPresence?.availability === 'Busy');
    near(Date.parse(emulator().snapshot(SANDBOX_USER_ID).preferredPresence?.expiresAt ?? ''), start + 3 * HOUR, 'Busy keeps its own end');
    assert.doesNotMatch(said(await chat(one.url, connector, 'status')), /comes back/);
  });

  it('stale timers are no-ops: nothing comes back after a reset, and a session reset is not renewed', async () => {
    await chat(one.url, connector, 'busy 3h');
    await chat(one.url, connector, 'dnd 1h');
    await chat(one.url, connector, 'reset');
    const calls = sandbox.sandbox.graphRequests().length;
    await advance(HOUR);
    await delay(1000);
    assert.equal(emulator().snapshot(SANDBOX_USER_ID).preferredPresence, null, 'nothing came back after the reset');
    assert.equal(sandbox.sandbox.graphRequests().length, calls, 'no Graph call at all');

    await chat(one.url, connector, 'presenting 6h');
    await chat(one.url, connector, 'reset');
    const before = setPresenceCalls();
    await advance(4 * HOUR);
    await delay(1000);
    assert.equal(setPresenceCalls(), before, 'a session reset is not renewed');
  });

  it('a planned status starts on time and ends on time; "schedule" lists it with a cancel button; "cancel" cancels the next', async () => {
    const at = (ms: number) =>
      new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: 'numeric', minute: '2-digit' })
        .format(new Date(ms))
        .replace(' ', '')
        .toLowerCase();
    const now = emulator().now();
    // Whole minutes in the user's zone, an hour and two hours ahead (as typed: "dnd from 9:15am for 1h").
    const from = Math.ceil((now + HOUR) / MINUTE) * MINUTE;
    const reply = await chat(one.url, connector, `dnd from ${at(from)} for 1h`);
    assert.match(said(reply), /^Do not disturb is planned for \d+:\d\d(?:\s[AP]M)?\s–\s\d+:\d\d\s[AP]M P[SD]T\.$/);
    const list = await chat(one.url, connector, 'schedule');
    assert.match(cardText(list), /^Planned\nDo not disturb: \d+:\d\d(?:\s[AP]M)?\s–\s\d+:\d\d\s[AP]M P[SD]T$/);
    assert.ok(JSON.stringify(list.attachments).includes('cancelScheduled'), 'a cancel button');

    await advance(from - emulator().now() - MINUTE);
    await delay(600);
    assert.equal(emulator().snapshot(SANDBOX_USER_ID).preferredPresence, null, 'not before its start');
    await advance(MINUTE);
    await within('started', () => emulator().snapshot(SANDBOX_USER_ID).preferredPresence?.availability === 'DoNotDisturb');
    near(Date.parse(emulator().snapshot(SANDBOX_USER_ID).preferredPresence?.expiresAt ?? ''), from + HOUR, 'ends at its end');
    assert.match(said(await chat(one.url, connector, 'schedule')), /Nothing is planned/);

    await chat(one.url, connector, 'reset');
    await chat(one.url, connector, `busy from ${at(emulator().now() + 2 * HOUR)} for 30m`);
    assert.match(said(await chat(one.url, connector, 'cancel')), /^Cancelled: Busy, \d+:\d\d(?:\s[AP]M)?\s–\s\d+:\d\d\s[AP]M P[SD]T\.$/);
    await advance(3 * HOUR);
    await delay(1000);
    assert.equal(emulator().snapshot(SANDBOX_USER_ID).preferredPresence, null, 'a cancelled plan does nothing');
  });

  it('a restart mid-way loses no job: "presenting 6h", every instance stopped through the renewal time, the new ones renew it', async () => {
    const start = emulator().now();
    await chat(one.url, connector, 'presenting 6h');
    const calls = setPresenceCalls();
    // No instance runs while the renewal comes due: it waits in the store.
    await instances.restart(() => advanceClock(4 * HOUR - 5 * MINUTE));
    one = instances.one;
    await within('renewed by the new instances', () => setPresenceCalls() === calls + 1);
    near(Date.parse(session()?.expiresAt ?? ''), start + 6 * HOUR, 'the renewed session ends when asked');
  });

  it('a timer that keeps failing is retried with backoff, then the chat says what could not be done, with a reference', async () => {
    await chat(one.url, connector, 'presenting 6h');
    // Graph answers the renewal 503 every time: the first try and the four retries (10 s, 40 s, 160 s and 640 s later).
    const res = await fetch(`${sandbox.url}/sandbox/graph/_faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: `/users/${SANDBOX_USER_ID}/presence/setPresence`, fault: { kind: 'status', status: 503 }, count: 1000 }),
    });
    assert.equal(res.status, 201);
    const who = { userId: SANDBOX_USER_ID, tenantId: SANDBOX_TENANT_ID };
    const retryOf = async (attempt: number) => (await one.scheduler.pending(who)).some((job) => job.kind === 'renew' && job.attempt === attempt);
    const before = connector.activities.length;
    try {
      await advance(4 * HOUR - 10 * MINUTE);
      for (const [attempt, backoff] of [10_000, 40_000, 160_000, 640_000].entries()) {
        // The failed run wrote its retry, due `backoff` later.
        const start = Date.now();
        while (!(await retryOf(attempt + 1))) {
          assert.ok(
            Date.now() - start < WITHIN_MS,
            `retry ${attempt + 1} not planned: ${JSON.stringify(await one.scheduler.pending(who))} ${new Date(emulator().now()).toISOString()}`,
          );
          await delay(50);
        }
        assert.equal(connector.activities.length, before, 'nothing said while it retries');
        await advance(backoff);
      }
      const [notice] = (await connector.waitFor(before + 1, WITHIN_MS)).slice(before);
      assert.ok(notice);
      assert.match(
        said(notice),
        /^I couldn't keep Presenting going past Teams' 4-hour limit, so it may end early\. If it keeps happening, give your admin this reference: [0-9a-f-]{36}$/,
      );
      assert.equal(await retryOf(5), false, 'no sixth try');
    } finally {
      await fetch(`${sandbox.url}/sandbox/graph/_faults`, { method: 'DELETE' });
    }
  });

  it('a revoked refresh token: every plan is cancelled and the chat says why, once, with a way to sign in again', async () => {
    const now = emulator().now();
    const at = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: 'numeric', minute: '2-digit' })
      .format(new Date(Math.ceil((now + 5 * HOUR) / MINUTE) * MINUTE))
      .replace(/\s/g, '')
      .toLowerCase();
    await chat(one.url, connector, 'presenting 6h');
    await chat(one.url, connector, 'busy 8h');
    await chat(one.url, connector, 'dnd 2h');
    assert.match(said(await chat(one.url, connector, `brb from ${at} for 30m`)), /planned/);
    const tokenRow = () => one.storage.stores.users.read({ partition: `${SANDBOX_TENANT_ID}_${SANDBOX_USER_ID}`, row: 'refresh_token' });
    assert.ok(await tokenRow(), 'a refresh token is kept for the plans');
    const res = await fetch(`${sandbox.url}/sandbox/identity/_revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: SANDBOX_USER_ID, tenantId: SANDBOX_TENANT_ID }),
    });
    assert.equal(res.status, 200);
    // The Graph token the app holds is still good for a while: evict it, as its hour would have passed.
    for (const app of [one, instances.two]) app.tokens.evict(ALEX);
    const before = connector.activities.length;
    // Do not disturb ends: Busy's restore needs the refresh token, which Entra refuses.
    await advance(2 * HOUR);
    const [notice] = (await connector.waitFor(before + 1, WITHIN_MS)).slice(before);
    assert.ok(notice);
    assert.match(cardText(notice), /^Sign in again\nYour sign-in to this app has expired or was withdrawn/);
    assert.equal(await tokenRow(), undefined, 'the refused token is deleted');
    assert.match(said(await chat(one.url, connector, 'schedule')), /Nothing is planned/);
    const status = said(await chat(one.url, connector, 'status'));
    assert.doesNotMatch(status, /comes back|Planned next/);
    assert.match(status, /Presenting ends at/, 'the session stays until Graph ends it');
    const told = connector.activities.length;
    await advance(3 * HOUR + 10 * MINUTE);
    await delay(1000);
    assert.equal(connector.activities.length, told, 'said once: the other timers found nothing to do');
    assert.notEqual(emulator().getPresence(SANDBOX_USER_ID).activity, 'Presenting', "the session ended at Graph's 4 hours");
    assert.equal(emulator().snapshot(SANDBOX_USER_ID).preferredPresence, null, 'nothing came back, nothing planned started');
  });
});

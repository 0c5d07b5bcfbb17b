/**
 * The Graph presence emulator against the facts in shared/seeds/README.md, one test per fact.
 * Time is Date faked by sinon (the emulator's default clock), moved with clock.tick() or emulator.advance().
 */
import assert from 'node:assert/strict';
import * as sinon from 'sinon';
import { PREFERRED_PAIRS, SESSION_PAIRS, type PresencePair } from '../../presence/model';
import { GraphError, PresenceEmulator, TEAMS_CLIENT_SESSION_ID } from '../../sandbox/graph/emulator';

const APP_ID = '22553876-f5ab-4529-bffb-cfe50aa89f87';
const USER = 'fa8bf3dc-eca7-46b7-bad1-db199b62afc3';
const T0 = Date.parse('2026-01-15T09:00:00.000Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function expectGraphError(fn: () => unknown, status: number, code: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof GraphError, `expected a GraphError, got ${String(err)}`);
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    assert.deepEqual(Object.keys(err.body.error), ['code', 'message']);
    assert.ok(err.body.error.message.length > 0);
    return true;
  });
}

const badRequest = (fn: () => unknown): void => expectGraphError(fn, 400, 'BadRequest');

describe('sandbox Graph presence emulator', () => {
  let clock: sinon.SinonFakeTimers;
  let em: PresenceEmulator;

  const shown = (): PresencePair => {
    const { availability, activity } = em.getPresence(USER);
    return { availability, activity };
  };
  const session = (availability: string, activity: string, expirationDuration?: string): void =>
    em.setPresence(USER, { sessionId: APP_ID, availability, activity, ...(expirationDuration ? { expirationDuration } : {}) });
  const preferred = (availability: string, activity: string, expirationDuration?: string): void =>
    em.setUserPreferredPresence(USER, { availability, activity, ...(expirationDuration ? { expirationDuration } : {}) });
  const appSession = () => em.snapshot(USER).sessions.find((s) => s.kind === 'application');
  const signOutTeams = (): void => em.setTeamsClientSignedIn(USER, false);

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: T0, toFake: ['Date'] });
    em = new PresenceEmulator({ appId: APP_ID });
  });
  afterEach(() => clock.restore());

  describe('presence sessions', () => {
    it('a user signed in to Teams has a Teams client session: Available/Available', () => {
      assert.deepEqual(shown(), { availability: 'Available', activity: 'Available' });
      assert.deepEqual(
        em.snapshot(USER).sessions.map((s) => [s.sessionId, s.kind]),
        [[TEAMS_CLIENT_SESSION_ID, 'teamsClient']],
      );
    });

    it('the Teams client session is kept alive: it never times out or expires', () => {
      clock.tick(30 * DAY);
      assert.deepEqual(shown(), { availability: 'Available', activity: 'Available' });
      assert.equal(em.snapshot(USER).sessions[0]?.expiresAt, null);
    });

    it('an application has its own session, and presence is aggregated from all sessions', () => {
      session('Busy', 'InACall', 'PT1H');
      assert.deepEqual(
        em.snapshot(USER).sessions.map((s) => [s.sessionId, s.kind, s.availability, s.activity]),
        [
          [TEAMS_CLIENT_SESSION_ID, 'teamsClient', 'Available', 'Available'],
          [APP_ID, 'application', 'Busy', 'InACall'],
        ],
      );
      assert.deepEqual(shown(), { availability: 'Busy', activity: 'InACall' });
    });

    it('with no session at all the user is Offline/Offline', () => {
      signOutTeams();
      assert.deepEqual(shown(), { availability: 'Offline', activity: 'Offline' });
      assert.deepEqual(em.snapshot(USER).sessions, []);
    });

    it('precedence: the user-preferred state overrides session-level states', () => {
      session('DoNotDisturb', 'Presenting', 'PT1H');
      preferred('Away', 'Away');
      assert.deepEqual(shown(), { availability: 'Away', activity: 'Away' });
    });

    it('precedence among sessions: DoNotDisturb > Busy > Available > Away', () => {
      const cases: [teams: PresencePair, app: PresencePair, expected: PresencePair][] = [
        [
          { availability: 'Busy', activity: 'InACall' },
          { availability: 'DoNotDisturb', activity: 'Presenting' },
          { availability: 'DoNotDisturb', activity: 'Presenting' },
        ],
        [
          { availability: 'DoNotDisturb', activity: 'Presenting' },
          { availability: 'Busy', activity: 'InAConferenceCall' },
          { availability: 'DoNotDisturb', activity: 'Presenting' },
        ],
        [
          { availability: 'Available', activity: 'Available' },
          { availability: 'Busy', activity: 'InAConferenceCall' },
          { availability: 'Busy', activity: 'InAConferenceCall' },
        ],
        [
          { availability: 'Away', activity: 'Away' },
          { availability: 'Available', activity: 'Available' },
          { availability: 'Available', activity: 'Available' },
        ],
      ];
      for (const [teams, app, expected] of cases) {
        em.setTeamsClient(USER, teams);
        session(app.availability, app.activity, 'PT1H');
        assert.deepEqual(shown(), expected, `${JSON.stringify(teams)} + ${JSON.stringify(app)}`);
      }
    });

    it("trap: a signed-in Teams client's Available outranks an app's Away (200 OK, presence unchanged)", () => {
      assert.doesNotThrow(() => session('Away', 'Away', 'PT1H'));
      assert.equal(appSession()?.availability, 'Away');
      assert.deepEqual(shown(), { availability: 'Available', activity: 'Available' });
    });

    it('the Teams client can be configured only with session pairs, signedIn a boolean', () => {
      badRequest(() => em.setTeamsClient(USER, { availability: 'Busy', activity: 'Busy' }));
      badRequest(() => em.setTeamsClient(USER, { signedIn: 'no' }));
      badRequest(() => em.setTeamsClient(USER, {}));
      badRequest(() => em.setTeamsClient(USER, { signedIn: true, extra: 1 }));
      em.setTeamsClient(USER, { signedIn: false });
      assert.deepEqual(shown(), { availability: 'Offline', activity: 'Offline' });
    });
  });

  describe('setPresence', () => {
    it('accepts each valid pair: Available/Available, Busy/InACall, Busy/InAConferenceCall, Away/Away, DoNotDisturb/Presenting', () => {
      signOutTeams();
      assert.equal(SESSION_PAIRS.length, 5);
      for (const { availability, activity } of SESSION_PAIRS) {
        session(availability, activity, 'PT1H');
        assert.deepEqual(shown(), { availability, activity });
      }
    });

    it('rejects every other availability/activity pair with 400', () => {
      const invalid = [
        ['Busy', 'Busy'],
        ['DoNotDisturb', 'DoNotDisturb'],
        ['BeRightBack', 'BeRightBack'],
        ['Offline', 'OffWork'],
        ['Available', 'AvailableInactive'],
        ['Available', 'Busy'],
        ['Offline', 'Offline'],
        ['available', 'available'],
        ['', ''],
      ];
      for (const [availability = '', activity = ''] of invalid) badRequest(() => session(availability, activity, 'PT1H'));
      assert.equal(appSession(), undefined);
    });

    it("sessionId must be the application's ID (400 otherwise)", () => {
      badRequest(() => em.setPresence(USER, { sessionId: 'another-app', availability: 'Busy', activity: 'InACall' }));
      badRequest(() => em.setPresence(USER, { sessionId: APP_ID.toUpperCase(), availability: 'Busy', activity: 'InACall' }));
      assert.equal(appSession(), undefined);
    });

    it('expirationDuration defaults to PT5M', () => {
      signOutTeams();
      session('Busy', 'InACall');
      assert.equal(appSession()?.expiresAt, new Date(T0 + 5 * MINUTE).toISOString());
      clock.tick(5 * MINUTE - 1);
      assert.deepEqual(shown(), { availability: 'Busy', activity: 'InACall' });
      clock.tick(1);
      assert.deepEqual(shown(), { availability: 'Offline', activity: 'Offline' });
    });

    it('expirationDuration must be an ISO 8601 duration within PT5M..PT4H', () => {
      for (const ok of ['PT5M', 'PT300S', 'PT1H', 'PT4H', 'PT3H59M59.5S']) assert.doesNotThrow(() => session('Busy', 'InACall', ok), ok);
      for (const bad of ['PT4M59S', 'PT4H0.001S', 'PT4H1M', 'P1D', 'PT0S', 'PT5', '5 minutes', 'P', 'PT']) badRequest(() => session('Busy', 'InACall', bad));
      badRequest(() => em.setPresence(USER, { sessionId: APP_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 300 }));
    });

    it('validates the body strictly: missing or unknown properties and wrong types are 400', () => {
      const base = { sessionId: APP_ID, availability: 'Busy', activity: 'InACall' };
      badRequest(() => em.setPresence(USER, { sessionId: APP_ID, availability: 'Busy' }));
      badRequest(() => em.setPresence(USER, { ...base, note: 'x' }));
      badRequest(() => em.setPresence(USER, { ...base, availability: 1 }));
      badRequest(() => em.setPresence(USER, { ...base, sessionId: null }));
      for (const body of [undefined, null, 'text', [], 42]) badRequest(() => em.setPresence(USER, body));
    });

    it('timeout: Available/Available fades to Available/AvailableInactive after 5 minutes, then Away/Away 5 minutes later', () => {
      signOutTeams();
      session('Available', 'Available', 'PT1H');
      clock.tick(5 * MINUTE - 1);
      assert.deepEqual(shown(), { availability: 'Available', activity: 'Available' });
      clock.tick(1);
      assert.deepEqual(shown(), { availability: 'Available', activity: 'AvailableInactive' });
      assert.equal(appSession()?.activity, 'AvailableInactive');
      em.advance(5 * MINUTE);
      assert.deepEqual(shown(), { availability: 'Away', activity: 'Away' });
      em.advance(30 * MINUTE);
      assert.deepEqual(shown(), { availability: 'Away', activity: 'Away' });
    });

    it('calling again before the timeout keeps the state', () => {
      signOutTeams();
      session('Available', 'Available', 'PT1H');
      clock.tick(4 * MINUTE);
      session('Available', 'Available', 'PT1H');
      clock.tick(4 * MINUTE);
      assert.deepEqual(shown(), { availability: 'Available', activity: 'Available' });
      assert.equal(appSession()?.lastRefreshedAt, new Date(T0 + 4 * MINUTE).toISOString());
      clock.tick(MINUTE);
      assert.deepEqual(shown(), { availability: 'Available', activity: 'AvailableInactive' });
    });

    it('only an Available session times out: Busy, Away and DoNotDisturb keep their state until expiration', () => {
      signOutTeams();
      for (const [availability, activity] of [
        ['Busy', 'InACall'],
        ['Away', 'Away'],
        ['DoNotDisturb', 'Presenting'],
      ] as const) {
        session(availability, activity, 'PT1H');
        em.advance(59 * MINUTE);
        assert.deepEqual(shown(), { availability, activity });
        em.advance(MINUTE);
      }
    });

    it('calling before the expiration keeps the session alive', () => {
      signOutTeams();
      session('Busy', 'InACall', 'PT5M');
      clock.tick(4 * MINUTE);
      session('Busy', 'InACall', 'PT5M');
      clock.tick(4 * MINUTE);
      assert.deepEqual(shown(), { availability: 'Busy', activity: 'InACall' });
      assert.equal(appSession()?.expiresAt, new Date(T0 + 9 * MINUTE).toISOString());
    });

    it('expiration: the expired session is gone and, alone, leaves the user Offline', () => {
      signOutTeams();
      session('DoNotDisturb', 'Presenting', 'PT2H');
      clock.tick(2 * HOUR);
      assert.deepEqual(shown(), { availability: 'Offline', activity: 'Offline' });
      assert.deepEqual(em.snapshot(USER).sessions, []);
    });

    it('expiration with the Teams client signed in leaves the Teams client state', () => {
      session('DoNotDisturb', 'Presenting', 'PT5M');
      clock.tick(5 * MINUTE);
      assert.deepEqual(shown(), { availability: 'Available', activity: 'Available' });
    });
  });

  describe('clearPresence', () => {
    it("clears the app's session; if it was the only session, presence becomes Offline/Offline", () => {
      signOutTeams();
      session('Busy', 'InACall', 'PT1H');
      em.clearPresence(USER, { sessionId: APP_ID });
      assert.equal(appSession(), undefined);
      assert.deepEqual(shown(), { availability: 'Offline', activity: 'Offline' });
    });

    it('answers 404 NotFound when that session does not exist', () => {
      const clear = () => em.clearPresence(USER, { sessionId: APP_ID });
      expectGraphError(clear, 404, 'NotFound');
      session('Busy', 'InACall');
      clear();
      expectGraphError(clear, 404, 'NotFound');
      session('Busy', 'InACall');
      clock.tick(5 * MINUTE);
      expectGraphError(clear, 404, 'NotFound');
      expectGraphError(() => em.clearPresence(USER, { sessionId: TEAMS_CLIENT_SESSION_ID }), 404, 'NotFound');
    });

    it('validates the body strictly', () => {
      session('Busy', 'InACall');
      for (const body of [undefined, {}, { sessionId: 1 }, { sessionId: APP_ID, extra: true }]) badRequest(() => em.clearPresence(USER, body));
      assert.ok(appSession());
    });
  });

  describe('setUserPreferredPresence', () => {
    it('accepts each valid pair: Available, Busy, DoNotDisturb, BeRightBack, Away, Offline/OffWork', () => {
      assert.equal(PREFERRED_PAIRS.length, 6);
      for (const { availability, activity } of PREFERRED_PAIRS) {
        preferred(availability, activity);
        assert.deepEqual(shown(), { availability, activity });
        assert.deepEqual(em.snapshot(USER).preferredPresence?.availability, availability);
      }
    });

    it('rejects every other pair with 400', () => {
      const invalid = [
        ['Busy', 'InACall'],
        ['DoNotDisturb', 'Presenting'],
        ['Available', 'AvailableInactive'],
        ['Offline', 'Offline'],
        ['BeRightBack', 'Away'],
        ['Away', 'BeRightBack'],
        ['busy', 'busy'],
        ['Busy', ''],
      ];
      for (const [availability = '', activity = ''] of invalid) badRequest(() => preferred(availability, activity));
      assert.equal(em.snapshot(USER).preferredPresence, null);
    });

    it('default expiration: 1 day for DoNotDisturb and Busy, 7 days for all others', () => {
      const expected: Record<string, number> = { Available: 7 * DAY, Busy: DAY, DoNotDisturb: DAY, BeRightBack: 7 * DAY, Away: 7 * DAY, Offline: 7 * DAY };
      for (const { availability, activity } of PREFERRED_PAIRS) {
        preferred(availability, activity);
        assert.equal(em.snapshot(USER).preferredPresence?.expiresAt, new Date(em.now() + (expected[availability] ?? 0)).toISOString(), availability);
      }
    });

    it('expires after its duration (Busy: 1 day by default), and the sessions show again', () => {
      preferred('Busy', 'Busy');
      clock.tick(DAY - 1);
      assert.deepEqual(shown(), { availability: 'Busy', activity: 'Busy' });
      clock.tick(1);
      assert.deepEqual(shown(), { availability: 'Available', activity: 'Available' });
      assert.equal(em.snapshot(USER).preferredPresence, null);
    });

    it('the example: DoNotDisturb/DoNotDisturb with PT8H is "do not disturb for 8 hours"', () => {
      preferred('DoNotDisturb', 'DoNotDisturb', 'PT8H');
      em.advance(8 * HOUR - 1);
      assert.deepEqual(shown(), { availability: 'DoNotDisturb', activity: 'DoNotDisturb' });
      em.advance(1);
      assert.deepEqual(shown(), { availability: 'Available', activity: 'Available' });
    });

    it('takes effect only while the user has at least one presence session; otherwise the user stays Offline', () => {
      signOutTeams();
      preferred('Busy', 'Busy', 'PT8H');
      assert.deepEqual(shown(), { availability: 'Offline', activity: 'Offline' });
      session('Away', 'Away', 'PT5M');
      assert.deepEqual(shown(), { availability: 'Busy', activity: 'Busy' }, 'a setPresence session is a session');
      clock.tick(5 * MINUTE);
      assert.deepEqual(shown(), { availability: 'Offline', activity: 'Offline' });
      em.setTeamsClientSignedIn(USER, true);
      assert.deepEqual(shown(), { availability: 'Busy', activity: 'Busy' }, 'a signed-in Teams client is a session');
    });

    it('expirationDuration must be a positive ISO 8601 duration', () => {
      for (const bad of ['8 hours', 'PT0S', 'P', 'T8H']) badRequest(() => preferred('Busy', 'Busy', bad));
      badRequest(() => em.setUserPreferredPresence(USER, { availability: 'Busy', activity: 'Busy', expirationDuration: 8 }));
    });

    it('validates the body strictly', () => {
      badRequest(() => em.setUserPreferredPresence(USER, { availability: 'Busy' }));
      badRequest(() => em.setUserPreferredPresence(USER, { availability: 'Busy', activity: 'Busy', sessionId: APP_ID }));
      badRequest(() => em.setUserPreferredPresence(USER, undefined));
    });

    it('trap: a preferred "Appear offline" (Offline/OffWork) hides every session state', () => {
      em.setTeamsClient(USER, { availability: 'Busy', activity: 'InACall' });
      session('DoNotDisturb', 'Presenting', 'PT1H');
      preferred('Offline', 'OffWork');
      assert.deepEqual(shown(), { availability: 'Offline', activity: 'OffWork' });
      assert.equal(em.snapshot(USER).sessions.length, 2);
    });

    it('a 200 OK can leave the visible presence unchanged: setPresence under a preferred state', () => {
      preferred('Available', 'Available');
      session('DoNotDisturb', 'Presenting', 'PT1H');
      assert.deepEqual(shown(), { availability: 'Available', activity: 'Available' });
    });
  });

  describe('clearUserPreferredPresence', () => {
    it('clears the preferred presence: the sessions show again', () => {
      session('Busy', 'InAConferenceCall', 'PT1H');
      preferred('Away', 'Away');
      em.clearUserPreferredPresence(USER, {});
      assert.equal(em.snapshot(USER).preferredPresence, null);
      assert.deepEqual(shown(), { availability: 'Busy', activity: 'InAConferenceCall' });
    });

    it('succeeds when nothing is set (body {} or none)', () => {
      assert.doesNotThrow(() => em.clearUserPreferredPresence(USER, {}));
      assert.doesNotThrow(() => em.clearUserPreferredPresence(USER));
    });

    it('rejects a body with properties', () => {
      badRequest(() => em.clearUserPreferredPresence(USER, { availability: 'Busy' }));
      badRequest(() => em.clearUserPreferredPresence(USER, 'x'));
    });
  });

  describe('setStatusMessage', () => {
    const message = (content: string, extra: Record<string, unknown> = {}) => ({ statusMessage: { message: { content, contentType: 'text' }, ...extra } });

    it('without expiryDateTime the message never expires', () => {
      em.setStatusMessage(USER, message('Back at 3'));
      clock.tick(365 * DAY);
      assert.deepEqual(em.getPresence(USER).statusMessage, {
        message: { content: 'Back at 3', contentType: 'text' },
        expiryDateTime: null,
        publishedDateTime: new Date(T0).toISOString(),
      });
      assert.deepEqual(em.snapshot(USER).statusMessage, { content: 'Back at 3', expiresAt: null });
    });

    it('with expiryDateTime in UTC it expires at that time', () => {
      em.setStatusMessage(USER, message('Lunch', { expiryDateTime: { dateTime: '2026-01-15T10:30:00.0000000', timeZone: 'UTC' } }));
      assert.deepEqual(em.getPresence(USER).statusMessage?.expiryDateTime, { dateTime: '2026-01-15T10:30:00.0000000', timeZone: 'UTC' });
      clock.tick(90 * MINUTE - 1);
      assert.equal(em.getPresence(USER).statusMessage?.message.content, 'Lunch');
      clock.tick(1);
      assert.equal(em.getPresence(USER).statusMessage, null);
    });

    it('dateTime carries no offset: the zone is in timeZone (Windows names, IANA names)', () => {
      const cases: [dateTime: string, timeZone: string, utc: string][] = [
        ['2026-11-23T17:05:33.0000000', 'Pacific Standard Time', '2026-11-24T01:05:33.000Z'],
        ['2026-07-01T12:00:00', 'Pacific Standard Time', '2026-07-01T19:00:00.000Z'],
        ['2026-07-01T12:00:00.5', 'Europe/Paris', '2026-07-01T10:00:00.500Z'],
        ['2026-12-01T12:00', 'W. Europe Standard Time', '2026-12-01T11:00:00.000Z'],
        ['2026-03-01T05:30:00', 'India Standard Time', '2026-03-01T00:00:00.000Z'],
        ['2026-03-01T00:00:00', 'Etc/UTC', '2026-03-01T00:00:00.000Z'],
      ];
      for (const [dateTime, timeZone, utc] of cases) {
        em.setStatusMessage(USER, message('x', { expiryDateTime: { dateTime, timeZone } }));
        assert.equal(em.snapshot(USER).statusMessage?.expiresAt, utc, `${dateTime} ${timeZone}`);
      }
    });

    it('rejects a dateTime with an offset, an impossible date, or an unknown timeZone', () => {
      const expiry = (dateTime: unknown, timeZone: unknown) => () => em.setStatusMessage(USER, message('x', { expiryDateTime: { dateTime, timeZone } }));
      for (const dateTime of [
        '2026-11-23T17:05:33Z',
        '2026-11-23T17:05:33+01:00',
        '2026-02-30T10:00:00',
        '2026-11-23 17:05',
        '2026-11-23T25:00:00',
        20261123,
      ]) {
        badRequest(expiry(dateTime, 'UTC'));
      }
      badRequest(expiry('2026-11-23T17:05:33', 'Mars/Olympus_Mons'));
      badRequest(expiry('2026-11-23T17:05:33', undefined));
      assert.equal(em.snapshot(USER).statusMessage, null);
    });

    it('an empty message clears it', () => {
      em.setStatusMessage(USER, message('In the lab'));
      em.setStatusMessage(USER, message(''));
      assert.equal(em.getPresence(USER).statusMessage, null);
      assert.equal(em.snapshot(USER).statusMessage, null);
    });

    it("only 'text' content", () => {
      badRequest(() => em.setStatusMessage(USER, { statusMessage: { message: { content: '<b>x</b>', contentType: 'html' } } }));
    });

    it('validates the body strictly', () => {
      for (const body of [
        undefined,
        {},
        { statusMessage: null },
        { statusMessage: {} },
        { statusMessage: { message: {} } },
        { statusMessage: { message: { content: 5 } } },
        { statusMessage: { message: { content: 'x' }, extra: 1 } },
        { statusMessage: { message: { content: 'x' } }, message: 'x' },
        message('x', { expiryDateTime: 'tomorrow' }),
      ])
        badRequest(() => em.setStatusMessage(USER, body));
    });
  });

  describe('GET presence', () => {
    it("has Graph's shape: id, availability, activity, statusMessage, outOfOfficeSettings, sequenceNumber, workLocation", () => {
      const presence = em.getPresence(USER);
      assert.deepEqual(Object.keys(presence).sort(), [
        'activity',
        'availability',
        'id',
        'outOfOfficeSettings',
        'sequenceNumber',
        'statusMessage',
        'workLocation',
      ]);
      assert.equal(presence.id, USER);
      assert.equal(presence.statusMessage, null);
      assert.deepEqual(presence.outOfOfficeSettings, { isOutOfOffice: false, message: null });
      assert.equal(presence.workLocation, null);
      assert.equal(typeof presence.sequenceNumber, 'string');
    });

    it('sequenceNumber changes when the presence changes, and only then', () => {
      const first = em.getPresence(USER).sequenceNumber;
      assert.equal(em.getPresence(USER).sequenceNumber, first);
      preferred('Busy', 'Busy');
      const second = em.getPresence(USER).sequenceNumber;
      assert.notEqual(second, first);
      em.setStatusMessage(USER, { statusMessage: { message: { content: 'hi', contentType: 'text' } } });
      const third = em.getPresence(USER).sequenceNumber;
      assert.notEqual(third, second);
      assert.ok(third > second && second > first, 'ordered');
    });
  });

  describe('snapshot and clock', () => {
    it('snapshot lists preferred presence, sessions and status message with ISO 8601 UTC times', () => {
      session('Busy', 'InACall', 'PT1H');
      preferred('DoNotDisturb', 'DoNotDisturb', 'PT2H');
      em.setStatusMessage(USER, { statusMessage: { message: { content: 'Focus', contentType: 'text' } } });
      assert.deepEqual(em.snapshot(USER), {
        userId: USER,
        preferredPresence: { availability: 'DoNotDisturb', activity: 'DoNotDisturb', expiresAt: '2026-01-15T11:00:00.000Z' },
        sessions: [
          {
            sessionId: TEAMS_CLIENT_SESSION_ID,
            kind: 'teamsClient',
            availability: 'Available',
            activity: 'Available',
            expiresAt: null,
            lastRefreshedAt: '2026-01-15T09:00:00.000Z',
          },
          {
            sessionId: APP_ID,
            kind: 'application',
            availability: 'Busy',
            activity: 'InACall',
            expiresAt: '2026-01-15T10:00:00.000Z',
            lastRefreshedAt: '2026-01-15T09:00:00.000Z',
          },
        ],
        statusMessage: { content: 'Focus', expiresAt: null },
        presence: em.getPresence(USER),
      });
    });

    it('users are independent and created on first touch', () => {
      preferred('Busy', 'Busy');
      assert.equal(em.getPresence('someone-else').availability, 'Available');
      assert.equal(em.getPresence(USER).availability, 'Busy');
    });

    it('takes an injectable clock; advance() moves it forward only', () => {
      let base = 1_000_000;
      const own = new PresenceEmulator({ appId: APP_ID, now: () => base });
      assert.equal(own.now(), 1_000_000);
      assert.equal(own.advance(5 * MINUTE), 1_000_000 + 5 * MINUTE);
      base += 1;
      assert.equal(own.now(), 1_000_001 + 5 * MINUTE);
      assert.throws(() => own.advance(-1), RangeError);
      assert.throws(() => own.advance(Number.NaN), RangeError);
    });
  });
});

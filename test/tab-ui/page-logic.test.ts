import assert from 'node:assert/strict';
import { TabError, createApi } from '../../tab/page/api';
import { authEndResult, authStartUrl, authorizeUrl, claimsOf, consentTargetOf } from '../../tab/page/consent';
import { countdownParts, formatSpan } from '../../tab/page/format';
import { en } from '../../tab/page/messages';
import { firstDayOfWeek, nextFullHour, parseLocalDateTime, planTimesFor, timingFor, withinLimits } from '../../tab/page/timing';

const MIN = 60_000;
const HOUR = 60 * MIN;
const TENANT = '00000000-0000-0000-0000-000000000001';
const CLIENT = '5a4d8f9e-0000-4000-8000-5a4db0c00001';
const OID = '00000000-0000-0000-0000-000000000020';

const jwt = (claims: Record<string, unknown>) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

/** The tab page's logic without a browser: timing, consent routing, formatting, the API client. */
describe('tab page logic', () => {
  describe('duration picker timing', () => {
    const now = new Date(2025, 4, 14, 10, 17, 30); // Wednesday 14 May 2025, 10:17:30 local
    const input = { customHours: '', customMinutes: '', untilLocal: '' };

    it('presets are whole minutes', () => {
      assert.deepEqual(timingFor('m30', input, now, 'en-US'), { ok: true, timing: { durationMinutes: 30 }, endsAt: new Date(now.getTime() + 30 * MIN) });
      assert.deepEqual(timingFor('h2', input, now, 'en-US'), { ok: true, timing: { durationMinutes: 120 }, endsAt: new Date(now.getTime() + 2 * HOUR) });
    });

    it("today ends at 11:59 PM local time; this week at 11:59 PM on the last day of the locale's week", () => {
      const today = timingFor('today', input, now, 'en-US');
      assert.ok(today.ok && 'until' in today.timing);
      assert.deepEqual(today.endsAt, new Date(2025, 4, 14, 23, 59));
      const week = timingFor('week', input, now, 'en-GB');
      assert.ok(week.ok);
      const last = firstDayOfWeek('en-GB') === 1 ? new Date(2025, 4, 18, 23, 59) : new Date(2025, 4, 17, 23, 59);
      assert.deepEqual(week.endsAt, last);
      assert.ok(week.endsAt.getTime() - now.getTime() <= 7 * 24 * HOUR);
    });

    it('custom duration: hours and minutes, at least a minute', () => {
      const r = timingFor('custom', { ...input, customHours: '1', customMinutes: '30' }, now, 'en-US');
      assert.ok(r.ok && 'durationMinutes' in r.timing && r.timing.durationMinutes === 90);
      assert.deepEqual(timingFor('custom', { ...input, customHours: '0', customMinutes: '0' }, now, 'en-US'), { ok: false, problem: 'customDuration' });
      assert.deepEqual(timingFor('custom', { ...input, customHours: '1.5' }, now, 'en-US'), { ok: false, problem: 'customDuration' });
      assert.deepEqual(timingFor('custom', { ...input, customHours: '-1' }, now, 'en-US'), { ok: false, problem: 'customDuration' });
    });

    it('an end time must be in the future', () => {
      const r = timingFor('until', { ...input, untilLocal: '2025-05-14T17:00' }, now, 'en-US');
      assert.ok(r.ok && 'until' in r.timing);
      assert.deepEqual(r.endsAt, new Date(2025, 4, 14, 17, 0));
      assert.deepEqual(timingFor('until', { ...input, untilLocal: '2025-05-14T09:00' }, now, 'en-US'), { ok: false, problem: 'until' });
      assert.equal(parseLocalDateTime('2025-02-30T10:00'), undefined);
      assert.equal(parseLocalDateTime('soon'), undefined);
    });

    it("limits: preferred 1 minute to 7 days, a session 5 minutes to a day (the app renews it past Graph's 4 hours)", () => {
      assert.equal(withinLimits('DoNotDisturb', 7 * 24 * HOUR), true);
      assert.equal(withinLimits('DoNotDisturb', 7 * 24 * HOUR + MIN), false);
      assert.equal(withinLimits('InACall', 24 * HOUR), true);
      assert.equal(withinLimits('InACall', 24 * HOUR + MIN), false);
      assert.equal(withinLimits('Presenting', 4 * MIN), false);
    });
  });

  describe('plan form checks', () => {
    const now = new Date(2025, 4, 14, 10, 17, 30); // Wednesday 14 May 2025, 10:17:30 local

    it('defaults: the next full hour, also from a full hour and late at night', () => {
      assert.deepEqual(nextFullHour(now), new Date(2025, 4, 14, 11, 0));
      assert.deepEqual(nextFullHour(new Date(2025, 4, 14, 11, 0, 0)), new Date(2025, 4, 14, 12, 0));
      assert.deepEqual(nextFullHour(new Date(2025, 4, 14, 23, 30)), new Date(2025, 4, 15, 0, 0));
    });

    it('a start in the future and at most 7 days ahead, an end after it, within the state limits', () => {
      assert.deepEqual(planTimesFor('Busy', '2025-05-14T11:00', '2025-05-14T12:00', now), {
        ok: true,
        startAt: new Date(2025, 4, 14, 11, 0),
        endAt: new Date(2025, 4, 14, 12, 0),
      });
      const problem = (state: Parameters<typeof planTimesFor>[0], start: string, end: string) => {
        const r = planTimesFor(state, start, end, now);
        return r.ok ? 'ok' : r.problem;
      };
      assert.equal(problem('Busy', '2025-05-14T10:17', '2025-05-14T12:00'), 'start', 'a minute that has begun is past');
      assert.equal(problem('Busy', '2025-05-14T10:18', '2025-05-14T12:00'), 'ok');
      assert.equal(problem('Busy', '', '2025-05-14T12:00'), 'start');
      assert.equal(problem('Busy', '2025-05-21T10:17', '2025-05-21T11:00'), 'ok', '7 days ahead, to the minute');
      assert.equal(problem('Busy', '2025-05-21T10:18', '2025-05-21T11:00'), 'start', 'past 7 days');
      assert.equal(problem('Busy', '2025-05-14T11:00', '2025-05-14T11:00'), 'end');
      assert.equal(problem('Busy', '2025-05-14T11:00', '2025-05-14T10:59'), 'end');
      assert.equal(problem('Busy', '2025-05-14T11:00', 'soon'), 'end');
      assert.equal(problem('Busy', '2025-05-14T11:00', '2025-05-14T11:01'), 'ok', 'a preferred status: 1 minute');
      assert.equal(problem('Away', '2025-05-14T11:00', '2025-05-21T11:00'), 'ok', 'a preferred status: 7 days');
      assert.equal(problem('Away', '2025-05-14T11:00', '2025-05-21T11:01'), 'range');
      assert.equal(problem('InACall', '2025-05-14T11:00', '2025-05-14T11:04'), 'range', 'a session: at least 5 minutes');
      assert.equal(problem('InACall', '2025-05-14T11:00', '2025-05-14T11:05'), 'ok');
      assert.equal(problem('Presenting', '2025-05-14T11:00', '2025-05-15T11:00'), 'ok', 'a session: up to a day');
      assert.equal(problem('Presenting', '2025-05-14T11:00', '2025-05-15T11:01'), 'range');
    });
  });

  describe('consent routing', () => {
    it('reads where to ask from a v2 sandbox token and a v1 Entra token', () => {
      const v2 = jwt({ iss: `http://127.0.0.1:3978/sandbox/identity/${TENANT}/v2.0`, aud: CLIENT, tid: TENANT, oid: OID });
      assert.deepEqual(consentTargetOf(v2, 'alex@contoso.com'), {
        authority: 'http://127.0.0.1:3978/sandbox/identity',
        tenantId: TENANT,
        clientId: CLIENT,
        userId: OID,
        loginHint: 'alex@contoso.com',
      });
      const v1 = jwt({ iss: `https://sts.windows.net/${TENANT}/`, aud: `api://presence.example.com/botid-${CLIENT}`, tid: TENANT, oid: OID });
      assert.deepEqual(consentTargetOf(v1), { authority: 'https://login.microsoftonline.com', tenantId: TENANT, clientId: CLIENT, userId: OID });
      assert.equal(consentTargetOf('not-a-jwt'), undefined);
      assert.equal(claimsOf('a.b.c'), undefined);
    });

    it("auth-start is an https URL on the page's own host (teams-js authenticates only https URLs)", () => {
      const url = new URL(
        authStartUrl(
          { authority: 'https://login.microsoftonline.com', tenantId: TENANT, clientId: CLIENT, userId: OID },
          'http://127.0.0.1:3978/tab/?theme=dark',
          'pt-BR',
        ),
      );
      assert.equal(url.origin, 'https://127.0.0.1:3978');
      assert.equal(url.pathname, '/tab/auth-start.html');
      assert.equal(url.searchParams.get('clientId'), CLIENT);
      assert.equal(url.searchParams.get('lang'), 'pt-BR', "the consent window speaks the tab's language");
    });

    it('auth-start goes to Entra or the sandbox issuer on its own origin, nowhere else', () => {
      const here = new URL('http://127.0.0.1:3978/tab/auth-start.html');
      const q = (authority: string, extra: Record<string, string> = {}) =>
        new URLSearchParams({ authority, tenant: TENANT, clientId: CLIENT, userId: OID, ...extra });
      const entra = new URL(authorizeUrl(q('https://login.microsoftonline.com', { lang: 'ja' }), here, 'st', 'ch') ?? '');
      assert.equal(entra.searchParams.get('ui_locales'), 'ja', "Entra's consent page in the tab's language");
      assert.equal(entra.searchParams.get('prompt'), 'consent');
      assert.equal(entra.searchParams.get('redirect_uri'), 'http://127.0.0.1:3978/tab/auth-end.html');
      assert.equal(authorizeUrl(q('http://127.0.0.1:3978/sandbox/identity'), here, 'st', 'ch'), `http://127.0.0.1:3978/sandbox/identity/consent?userId=${OID}`);
      assert.equal(authorizeUrl(q('http://127.0.0.1:9999/sandbox/identity'), here, 'st', 'ch'), undefined);
      assert.equal(authorizeUrl(q('https://evil.example'), here, 'st', 'ch'), undefined);
      assert.equal(authorizeUrl(q('https://login.microsoftonline.com', { clientId: 'x' }), here, 'st', 'ch'), undefined);
    });

    it('auth-end: a code with the right state is success; an error or another state is not', () => {
      assert.deepEqual(authEndResult('#code=abc&state=s1', '', 's1'), { ok: true });
      assert.deepEqual(authEndResult('#code=abc&state=s2', '', 's1'), { ok: false, reason: 'StateDoesNotMatch' });
      assert.deepEqual(authEndResult('#error=access_denied&state=s1', '', 's1'), { ok: false, reason: 'access_denied' });
      assert.deepEqual(authEndResult('', '?code=abc&state=s1', null), { ok: false, reason: 'StateDoesNotMatch' });
    });
  });

  describe('formatting', () => {
    it("countdown parts and spans in the catalog's words", () => {
      assert.equal(en.countdown(countdownParts(2 * HOUR - 30_000)), '1 h 59 min left');
      assert.equal(en.countdown(countdownParts(4 * MIN + 5_000)), '4 min 5 s left');
      assert.equal(en.countdown(countdownParts(26 * HOUR)), '1 d 2 h left');
      assert.equal(en.countdown(countdownParts(-5)), '0 s left');
      assert.equal(formatSpan(5 * MIN, en), '5 minutes');
      assert.equal(formatSpan(4 * HOUR, en), '4 hours');
      assert.equal(formatSpan(7 * 24 * HOUR, en), '7 days');
    });
  });

  describe('API client', () => {
    it('token_expired: asks Teams for a token again and retries once; other 401s and a second token_expired are not retried', async () => {
      const sent: string[] = [];
      const replies: [number, unknown][] = [];
      let n = 0;
      const api = createApi({
        token: () => Promise.resolve(`token-${++n}`),
        fetch: (_url, init) => {
          sent.push(`${init?.method} ${(init?.headers as Record<string, string>).authorization}`);
          const [status, body] = replies.shift() ?? [500, {}];
          return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
        },
      });
      const expired: [number, unknown] = [401, { error: { code: 'token_expired', message: 'x' } }];

      replies.push(expired, [200, { cleared: { sessionExisted: true } }]);
      assert.deepEqual(await api.reset(), { sessionExisted: true });
      assert.deepEqual(sent.splice(0), ['DELETE Bearer token-1', 'DELETE Bearer token-2']);

      replies.push(expired, expired, [200, { cleared: { sessionExisted: true } }]);
      await assert.rejects(api.reset(), (err: unknown) => err instanceof TabError && err.code === 'unauthenticated');
      assert.deepEqual(sent.splice(0), ['DELETE Bearer token-3', 'DELETE Bearer token-4'], 'once, not again and again');

      replies.length = 0;
      replies.push([401, { error: { code: 'unauthenticated' } }], [200, { cleared: { sessionExisted: true } }]);
      await assert.rejects(api.reset(), (err: unknown) => err instanceof TabError && err.code === 'unauthenticated');
      assert.deepEqual(sent.splice(0), ['DELETE Bearer token-5'], 'unauthenticated is not retried');
    });

    const reply = (status: number, body: unknown) => () =>
      Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

    it('sends a fresh token per request and no user ID', async () => {
      const seen: RequestInit[] = [];
      let n = 0;
      const api = createApi({
        token: () => Promise.resolve(`token-${++n}`),
        fetch: (_url, init) => {
          seen.push(init ?? {});
          return Promise.resolve(
            new Response(JSON.stringify({ set: { state: 'Busy', expiresAt: '2025-01-01T10:00:00Z', usedDefault: false } }), { status: 200 }),
          );
        },
      });
      await api.set({ state: 'Busy', durationMinutes: 30 });
      await api.set({ state: 'Busy', durationMinutes: 30 });
      assert.deepEqual(
        seen.map((i) => (i.headers as Record<string, string>).authorization),
        ['Bearer token-1', 'Bearer token-2'],
      );
      assert.equal(seen[0]?.body, JSON.stringify({ state: 'Busy', durationMinutes: 30 }));
    });

    it("maps error codes (and unknown ones) to the page's own, keeping only safe details", async () => {
      const fail = async (status: number, body: unknown) => {
        try {
          await createApi({ token: () => Promise.resolve('t'), fetch: reply(status, body) }).read();
        } catch (err) {
          return err instanceof TabError ? { code: err.code, ...err.info } : err;
        }
        return undefined;
      };
      assert.deepEqual(await fail(403, { error: { code: 'consent_required', message: 'x' } }), {
        code: 'consent_required',
        retryAfterSeconds: undefined,
        correlationId: undefined,
        field: undefined,
      });
      assert.deepEqual(await fail(429, { error: { code: 'throttled', retryAfterSeconds: 7.2 } }), {
        code: 'throttled',
        retryAfterSeconds: 8,
        correlationId: undefined,
        field: undefined,
      });
      assert.equal(((await fail(401, { error: { code: 'token_expired' } })) as { code: string }).code, 'unauthenticated');
      assert.equal(((await fail(500, { error: { code: 'internal', correlationId: '<b>no</b>' } })) as { correlationId?: string }).correlationId, undefined);
      assert.equal(((await fail(502, 'not json')) as { code: string }).code, 'internal');
      const sso = createApi({ token: () => Promise.reject(new Error('no')), fetch: reply(200, {}) });
      await assert.rejects(sso.read(), (err: unknown) => err instanceof TabError && err.code === 'sso_failed');
      const offline = createApi({ token: () => Promise.resolve('t'), fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
      await assert.rejects(offline.reset(), (err: unknown) => err instanceof TabError && err.code === 'network');
    });

    it('plans with POST /api/plans and cancels with DELETE /api/plans/:id, the list from each answer', async () => {
      const sent: string[] = [];
      const replies: unknown[] = [];
      const api = createApi({
        token: () => Promise.resolve('t'),
        fetch: (url, init) => {
          sent.push(`${init?.method} ${url as string} ${typeof init?.body === 'string' ? init.body : ''}`);
          return Promise.resolve(new Response(JSON.stringify(replies.shift()), { status: 200, headers: { 'content-type': 'application/json' } }));
        },
      });
      const busy = { id: 'p1', state: 'Busy', startAt: '2025-05-14T18:00:00.000Z', endAt: '2025-05-14T19:00:00.000Z', statusMessage: 'focus' };
      const away = { id: 'p2', state: 'Away', startAt: '2025-05-15T18:00:00.000Z', endAt: '2025-05-15T19:00:00.000Z' };
      const parsed = { ...busy, state: 'Busy', startAt: new Date(busy.startAt), endAt: new Date(busy.endAt) };
      const parsedAway = { ...away, state: 'Away', startAt: new Date(away.startAt), endAt: new Date(away.endAt) };
      replies.push({ planned: [busy, { id: 'bad', state: 'Nope' }, away], added: busy });
      const body = { state: 'Busy', startAt: busy.startAt, endAt: busy.endAt, statusMessage: 'focus' } as const;
      assert.deepEqual(await api.plan(body), { planned: [parsed, parsedAway], changed: parsed });
      replies.push({ planned: [away], cancelled: busy }, { planned: [away] });
      assert.deepEqual(await api.cancelPlan('p1'), { planned: [parsedAway], changed: parsed });
      assert.deepEqual(await api.cancelPlan('p1'), { planned: [parsedAway] }, 'nothing cancelled: no `changed`');
      assert.deepEqual(sent, [`POST /api/plans ${JSON.stringify(body)}`, 'DELETE /api/plans/p1 ', 'DELETE /api/plans/p1 ']);
      replies.push({ planned: [] });
      await assert.rejects(api.plan(body), (err: unknown) => err instanceof TabError && err.code === 'internal', 'an answer without the plan added');
    });

    it('the presence view: what comes back, and what is planned (unknown when the record could not be read)', async () => {
      const read = (body: unknown) => createApi({ token: () => Promise.resolve('t'), fetch: reply(200, body) }).read();
      const presence = { availability: 'DoNotDisturb', activity: 'DoNotDisturb', source: 'preferred' };
      const view = await read({
        presence,
        preferred: { state: 'DoNotDisturb', expiresAt: '2025-01-01T10:00:00Z' },
        comesBack: { preferred: { state: 'Busy', expiresAt: '2025-01-01T12:00:00Z' }, session: { state: 'Nope', expiresAt: 'x' } },
        planned: [{ id: 'p1', state: 'Away', startAt: '2025-01-02T10:00:00Z', endAt: '2025-01-02T11:00:00Z' }],
      });
      assert.deepEqual(view.comesBack, { preferred: { state: 'Busy', expiresAt: new Date('2025-01-01T12:00:00Z') } });
      assert.deepEqual(view.planned, [{ id: 'p1', state: 'Away', startAt: new Date('2025-01-02T10:00:00Z'), endAt: new Date('2025-01-02T11:00:00Z') }]);
      const none = await read({ presence });
      assert.equal(none.comesBack, undefined);
      assert.deepEqual(none.planned, [], 'left out: nothing is planned');
      const unread = await read({ presence: { ...presence, source: 'unknown' }, storeFailure: { correlationId: 'c1' } });
      assert.equal(unread.planned, undefined, 'the record could not be read: not known');
    });

    it('parses the presence view, ignoring what it does not know', async () => {
      const api = createApi({
        token: () => Promise.resolve('t'),
        fetch: reply(200, {
          presence: { availability: 'Busy', activity: 'InACall', source: 'app' },
          session: { state: 'InACall', expiresAt: '2025-01-01T10:00:00Z' },
          preferred: { state: 'Nope', expiresAt: 'x' },
        }),
      });
      const view = await api.read();
      assert.equal(view.presence.source, 'app');
      assert.equal(view.session?.state, 'InACall');
      assert.equal(view.preferred, undefined);
    });
  });
});

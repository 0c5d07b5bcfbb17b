import assert from 'node:assert/strict';
import * as restify from 'restify';
import sinon from 'sinon';
import { PresenceError } from '../../presence/errors';
import { AuthGuard, DEFAULT_AUTH_FAILURES } from '../../edge/auth-guard';
import { Deadline } from '../../presence/deadline';
import type { Caller, PresenceService } from '../../presence/service';
import { registerTabApi } from '../../tab/api/routes';
import { call, recordingLogger, type ApiError } from './helpers';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJhIn0.c2lnbmF0dXJl';
const NOW = Date.parse('2025-03-01T12:00:00Z');
const IDENTITY = { userId: 'u', tenantId: 't' };

/** registerTabApi on a bare restify server (the app's parsers) with a fake service: how each failure is answered. */
describe('tab API: errors from the service (fake service, real HTTP)', () => {
  let server: restify.Server;
  let url: string;
  let execute: sinon.SinonStub<Parameters<PresenceService['execute']>, ReturnType<PresenceService['execute']>>;
  let logger: ReturnType<typeof recordingLogger>;
  let authenticate: sinon.SinonStub<Parameters<PresenceService['authenticate']>, ReturnType<PresenceService['authenticate']>>;
  const CALLER: Caller = { kind: 'caller', identity: IDENTITY, token: { ssoToken: TOKEN }, deadline: Deadline.after(60_000) };

  beforeEach(async () => {
    execute = sinon.stub<Parameters<PresenceService['execute']>, ReturnType<PresenceService['execute']>>();
    authenticate = sinon.stub<Parameters<PresenceService['authenticate']>, ReturnType<PresenceService['authenticate']>>().resolves(CALLER);
    logger = recordingLogger();
    server = restify.createServer({ handleUncaughtExceptions: false });
    server.use(restify.plugins.queryParser({ mapParams: false }));
    registerTabApi(server, {
      service: { authenticate, execute },
      logger,
      authGuard: new AuthGuard({ failures: DEFAULT_AUTH_FAILURES, trustForwardedFor: false }),
      now: () => NOW,
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    url = `http://127.0.0.1:${server.address().port}`;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
  });

  it('throttled: 429 with Retry-After and retryAfterSeconds', async () => {
    execute.rejects(new PresenceError('throttled', { retryAfterSeconds: 7, detail: 'graph: HTTP 429' }));
    const res = await call<ApiError>(url, 'GET', { token: TOKEN });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(res.body, { error: { code: 'throttled', message: 'Too many requests. Try again in 7 seconds.', retryAfterSeconds: 7 } });
  });

  it("the service authenticates the SSO credential, then gets the caller, the typed request and the request's span (none here: telemetry off), nothing else", async () => {
    execute.resolves({
      identity: IDENTITY,
      outcome: { kind: 'set', state: 'Busy', expiresAt: new Date(NOW + 7_200_000), usedDefault: false, statusMessage: 'hi' },
    });
    const res = await call(url, 'POST', { token: TOKEN, body: { state: 'Busy', until: '2025-03-01T15:00:00+01:00', statusMessage: '  hi  ' } });
    assert.equal(res.status, 200);
    assert.deepEqual(authenticate.firstCall.args, [{ kind: 'sso', ssoToken: TOKEN }]);
    assert.deepEqual(execute.firstCall.args, [CALLER, { kind: 'set', state: 'Busy', durationMs: 7_200_000, statusMessage: 'hi' }, { trace: undefined }]);
    assert.deepEqual(res.body, { set: { state: 'Busy', expiresAt: '2025-03-01T14:00:00.000Z', usedDefault: false, statusMessage: 'hi' } });

    execute.resetHistory();
    execute.resolves({ identity: IDENTITY, outcome: { kind: 'cleared', target: 'both', sessionExisted: false } });
    await call(url, 'DELETE', { token: TOKEN });
    assert.deepEqual(execute.firstCall.args, [CALLER, { kind: 'clear', target: 'both' }, { trace: undefined }]);
  });

  for (const [code, status] of [
    ['graph_unavailable', 503],
    ['identity_unavailable', 503],
    ['internal', 500],
  ] as const) {
    it(`${code}: ${status} with a correlation ID that is also logged with the code and detail, never the token`, async () => {
      execute.rejects(new PresenceError(code, { detail: 'upstream: HTTP 502' }));
      const res = await call<ApiError>(url, 'GET', { token: TOKEN });
      assert.equal(res.status, status);
      assert.equal(res.body.error.code, code);
      assert.match(res.body.error.correlationId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const logged = logger.entries.filter((e) => e.level === 'error');
      assert.equal(logged.length, 1);
      assert.deepEqual(logged[0]?.fields, { method: 'GET', code, detail: 'upstream: HTTP 502', correlationId: res.body.error.correlationId });
      assert.ok(!JSON.stringify(logger.entries).includes(TOKEN));
    });
  }

  it('anything else thrown is internal (500) with a correlation ID, and its message is not sent', async () => {
    execute.rejects(new TypeError(`cannot read ${TOKEN}`));
    const res = await call<ApiError>(url, 'POST', { token: TOKEN, body: { state: 'Busy' } });
    assert.equal(res.status, 500);
    assert.equal(res.body.error.code, 'internal');
    assert.ok(res.body.error.correlationId);
    assert.ok(!JSON.stringify(res.body).includes('cannot read'));
    assert.deepEqual(logger.entries.find((e) => e.level === 'error')?.fields, {
      method: 'POST',
      code: 'internal',
      detail: 'TypeError',
      correlationId: res.body.error.correlationId,
    });
  });

  it('expected refusals carry no correlation ID and are logged as refusals', async () => {
    for (const [code, status] of [
      ['consent_required', 403],
      ['forbidden', 403],
      ['tenant_not_allowed', 403],
      ['token_expired', 401],
    ] as const) {
      execute.rejects(new PresenceError(code));
      const res = await call<ApiError>(url, 'GET', { token: TOKEN });
      assert.equal(res.status, status, code);
      assert.equal(res.body.error.code, code);
      assert.equal(res.body.error.correlationId, undefined);
    }
    assert.equal(logger.entries.filter((e) => e.level === 'error').length, 0);
  });

  it('sso_required cannot happen with an SSO token; if it does, it is 401 unauthenticated', async () => {
    execute.rejects(new PresenceError('sso_required'));
    const res = await call<ApiError>(url, 'GET', { token: TOKEN });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthenticated');
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
  });

  it("the service's own invalid_request is a 400 naming the body's field", async () => {
    execute.rejects(new PresenceError('invalid_request', { field: 'duration' }));
    const viaUntil = await call<ApiError>(url, 'POST', { token: TOKEN, body: { state: 'Busy', until: '2025-03-01T13:00:00Z' } });
    assert.equal(viaUntil.status, 400);
    assert.deepEqual([viaUntil.body.error.code, viaUntil.body.error.field], ['invalid_request', 'until']);
    const viaMinutes = await call<ApiError>(url, 'POST', { token: TOKEN, body: { state: 'Busy', durationMinutes: 60 } });
    assert.equal(viaMinutes.body.error.field, 'durationMinutes');
    execute.rejects(new PresenceError('invalid_request', { field: 'statusMessage' }));
    const message = await call<ApiError>(url, 'POST', { token: TOKEN, body: { state: 'Busy', statusMessage: 'x' } });
    assert.equal(message.body.error.field, 'statusMessage');
  });

  it('without a token, the service is never called', async () => {
    const res = await call<ApiError>(url, 'POST', { body: { state: 'Busy' } });
    assert.equal(res.status, 401);
    assert.equal(execute.callCount, 0);
  });
});

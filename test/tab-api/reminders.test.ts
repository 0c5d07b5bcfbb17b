import assert from 'node:assert/strict';
import type { RunningApp } from '../../server/app';
import type { RemindersView } from '../../tab/api/contract';
import { SANDBOX_TENANT_ID, SANDBOX_USER_ID, chat, said, startConnector, type RecordingConnector } from '../support/connector';
import { BOB, TENANT, call, ssoToken, startSandboxApp, type ApiError } from './helpers';

const PATH = '/api/reminders';

/** The reminder setting through the tab's API, against the real app in sandbox mode: the same setting the bot's `remind` shows. */
describe('tab API: the reminder setting (real HTTP)', () => {
  let app: RunningApp;
  let connector: RecordingConnector;
  let token: string;
  beforeEach(async () => {
    app = await startSandboxApp();
    connector = await startConnector();
    // The bot's sandbox user, so the chat below is the same person.
    token = await ssoToken(app, SANDBOX_USER_ID, SANDBOX_TENANT_ID);
  });
  afterEach(async () => {
    await app.close();
    await connector.close();
  });

  const get = () => call<RemindersView>(app.url, 'GET', { token, path: PATH });
  const put = (body: unknown) => call<RemindersView & ApiError>(app.url, 'PUT', { token, path: PATH, body });

  it('GET before anything is set: the default, 10 minutes', async () => {
    const res = await get();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(res.body, { leadMinutes: 10 });
  });

  it('PUT 5 answers 5 and GET then says 5; PUT null turns reminders off', async () => {
    assert.deepEqual((await put({ leadMinutes: 5 })).body, { leadMinutes: 5 });
    assert.deepEqual((await get()).body, { leadMinutes: 5 });
    const off = await put({ leadMinutes: null });
    assert.equal(off.status, 200);
    assert.deepEqual(off.body, { leadMinutes: null });
    assert.deepEqual((await get()).body, { leadMinutes: null });
  });

  it('the setting is per user: Bob still has the default after Alex changes it', async () => {
    await put({ leadMinutes: 30 });
    const bob = await call<RemindersView>(app.url, 'GET', { token: await ssoToken(app, BOB, TENANT), path: PATH });
    assert.deepEqual(bob.body, { leadMinutes: 10 });
  });

  it('the bot sees what the tab set: "remind" answers with 5 minutes', async () => {
    await put({ leadMinutes: 5 });
    assert.match(said(await chat(app.url, connector, 'remind')), /I'll remind you 5 minutes before/);
    await put({ leadMinutes: null });
    assert.match(said(await chat(app.url, connector, 'remind')), /^Reminders are off\./);
  });

  it('the tab sees what the bot set: "remind 7m", then GET says 7', async () => {
    await chat(app.url, connector, 'remind 7m');
    assert.deepEqual((await get()).body, { leadMinutes: 7 });
  });

  for (const [what, body, field] of [
    ['0 minutes', { leadMinutes: 0 }, 'leadMinutes'],
    ['61 minutes', { leadMinutes: 61 }, 'leadMinutes'],
    ['2.5 minutes', { leadMinutes: 2.5 }, 'leadMinutes'],
    ['a string "5"', { leadMinutes: '5' }, 'leadMinutes'],
    ['no leadMinutes', {}, 'leadMinutes'],
    ['an extra field', { leadMinutes: 5, userId: 'someone-else' }, 'userId'],
    ['an array', [5], 'body'],
  ] as const) {
    it(`PUT with ${what}: 400 invalid_request naming ${field}, and nothing changes`, async () => {
      await put({ leadMinutes: 15 });
      const res = await put(body);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'invalid_request');
      assert.equal(res.body.error.field, field);
      assert.deepEqual((await get()).body, { leadMinutes: 15 });
    });
  }

  it('the refusal of a lead says what is accepted', async () => {
    const res = await put({ leadMinutes: 61 });
    assert.equal(res.body.error.message, 'leadMinutes must be a whole number of minutes from 1 to 60, or null for no reminders.');
  });

  it('401 without a token, on GET and on PUT (and the PUT changes nothing)', async () => {
    for (const method of ['GET', 'PUT']) {
      const res = await call<ApiError>(app.url, method, { path: PATH, ...(method === 'PUT' ? { body: { leadMinutes: 5 } } : {}) });
      assert.equal(res.status, 401, method);
      assert.equal(res.body.error.code, 'unauthenticated', method);
    }
    assert.deepEqual((await get()).body, { leadMinutes: 10 });
  });

  it('no query parameters, like the presence routes: a user is never named in the URL', async () => {
    const withQuery = await call<ApiError>(app.url, 'GET', { token, path: `${PATH}?userId=x` });
    assert.equal(withQuery.status, 400);
    assert.equal(withQuery.body.error.field, 'userId');
    const putQuery = await call<ApiError>(app.url, 'PUT', { token, path: `${PATH}?userId=x`, body: { leadMinutes: 5 } });
    assert.equal(putQuery.status, 400);
    assert.deepEqual((await get()).body, { leadMinutes: 10 });
  });

  it('needs no Graph token: no on-behalf-of exchange happens, and a user without consent can still change it', async () => {
    const identity = { userId: SANDBOX_USER_ID, tenantId: SANDBOX_TENANT_ID };
    app.sandbox?.issuer.setConsent(SANDBOX_USER_ID, false);
    assert.deepEqual((await put({ leadMinutes: 20 })).body, { leadMinutes: 20 });
    assert.deepEqual((await get()).body, { leadMinutes: 20 });
    assert.equal(app.tokens.cached(identity), undefined);
    // The presence routes do need one: refused here, which shows the reminder routes skipped the exchange.
    assert.equal((await call<ApiError>(app.url, 'GET', { token })).body.error.code, 'consent_required');
  });
});

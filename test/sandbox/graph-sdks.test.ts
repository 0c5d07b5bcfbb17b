/**
 * Microsoft's own Graph SDKs against the emulator over real HTTP on 127.0.0.1: microsoft-graph-client 3 and the
 * kiota-based msgraph-sdk each make every presence call, and what they read back is what the emulator holds; their
 * errors carry Graph's code and message; their batching runs on the emulator's $batch.
 */
import assert from 'node:assert/strict';
import { BatchRequestContent, BatchResponseContent, Client, GraphError, HTTPMessageHandler, type Middleware } from '@microsoft/microsoft-graph-client';
import type * as KiotaAbstractions from '@microsoft/kiota-abstractions' with { 'resolution-mode': 'import' };
import type * as MsGraphSdk from '@microsoft/msgraph-sdk' with { 'resolution-mode': 'import' };
import type * as MsGraphSdkCore from '@microsoft/msgraph-sdk-core' with { 'resolution-mode': 'import' };
import type * as ODataErrors from '@microsoft/msgraph-sdk/models/oDataErrors/index.js' with { 'resolution-mode': 'import' };
import type {} from '@microsoft/msgraph-sdk-users' with { 'resolution-mode': 'import' };
import type { GraphIdentity } from '../../sandbox/graph/routes';
import { startEmulator, type StartedEmulator } from './emulator-server';

const APP_ID = '22553876-f5ab-4529-bffb-cfe50aa89f87';
const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
const T0 = Date.parse('2026-01-15T09:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();
const HOUR = 3_600_000;

// eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
async function verifyToken(bearer: string): Promise<GraphIdentity | undefined> {
  return bearer === 'token-alice' ? { userId: ALICE, tenantId: 'tenant-a', scopes: ['Presence.ReadWrite'] } : undefined;
}

/**
 * microsoft-graph-client's own authProvider sends the token only to https Graph hosts (or https customHosts), never to
 * the sandbox's http: this middleware, ahead of the one that sends the request, puts it on every request instead.
 */
function bearer(token: string): Middleware {
  let next: Middleware | undefined;
  return {
    async execute(context) {
      const headers = new Headers(context.options?.headers);
      headers.set('Authorization', `Bearer ${token}`);
      context.options = { ...context.options, headers };
      await next?.execute(context);
    },
    setNext(middleware) {
      next = middleware;
    },
  };
}

/** The kiota-based SDK's modules: ESM only, so this CommonJS test loads them with import(). */
interface KiotaModules {
  readonly abstractions: typeof KiotaAbstractions;
  readonly core: typeof MsGraphSdkCore;
  readonly errors: typeof ODataErrors;
  readonly sdk: typeof MsGraphSdk;
}

async function loadKiota(): Promise<KiotaModules> {
  const [abstractions, core, errors, sdk] = await Promise.all([
    import('@microsoft/kiota-abstractions'),
    import('@microsoft/msgraph-sdk-core'),
    import('@microsoft/msgraph-sdk/models/oDataErrors/index.js'),
    import('@microsoft/msgraph-sdk'),
  ]);
  await import('@microsoft/msgraph-sdk-users'); // adds client.me and client.users
  return { abstractions, core, errors, sdk };
}

interface Kiota extends KiotaModules {
  readonly adapter: MsGraphSdk.GraphRequestAdapter;
  readonly client: MsGraphSdk.GraphServiceClient;
}

/** A client with a token provider of its own, for the emulator's token (the SDK's Azure Identity one asks Entra ID). */
function kiotaFor(modules: KiotaModules, base: string, token: string): Kiota {
  const { abstractions, sdk } = modules;
  const auth = new abstractions.BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: () => Promise.resolve(token),
    getAllowedHostsValidator: () => new abstractions.AllowedHostsValidator(),
  });
  const adapter = new sdk.GraphRequestAdapter(auth);
  adapter.baseUrl = `${base}/v1.0`;
  return { ...modules, adapter, client: sdk.createGraphServiceClient(adapter) };
}

const STATUS_MESSAGE = {
  message: { content: 'Deep work', contentType: 'text' },
  expiryDateTime: { dateTime: '2026-01-15T17:00:00.0000000', timeZone: 'UTC' },
} as const;

describe('Microsoft Graph SDKs against the sandbox Graph emulator (HTTP)', () => {
  let srv: StartedEmulator;

  beforeEach(async () => {
    srv = await startEmulator({ appId: APP_ID, now: T0, verifyToken });
  });
  afterEach(async () => {
    await srv.close();
  });

  const appSession = () => srv.emulator.snapshot(ALICE).sessions.find((s) => s.sessionId === APP_ID);
  /** The emulator's message for a body it refuses, to compare with what an SDK reports. */
  function emulatorError(run: () => void): string {
    try {
      run();
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('the emulator accepted it');
  }
  const SLEEPING = { availability: 'Sleeping', activity: 'Sleeping' };

  describe('microsoft-graph-client 3', () => {
    let client: Client;

    beforeEach(() => {
      client = Client.initWithMiddleware({ baseUrl: srv.base, middleware: [bearer('token-alice'), new HTTPMessageHandler()] });
    });

    it('reads presence as the emulator holds it, with $select', async () => {
      const presence = (await client.api('/me/presence').get()) as Record<string, unknown>;
      const held = srv.emulator.getPresence(ALICE);
      assert.deepEqual({ ...presence, '@odata.context': undefined }, { ...held, '@odata.context': undefined });
      const selected = (await client.api(`/users/${ALICE}/presence`).version('beta').select(['availability', 'activity']).get()) as Record<string, unknown>;
      assert.deepEqual(selected, {
        '@odata.context': `https://graph.microsoft.com/beta/$metadata#users('${ALICE}')/presence/$entity`,
        id: ALICE,
        availability: held.availability,
        activity: held.activity,
      });
    });

    it('every presence action changes what the emulator holds, and reads back the same', async () => {
      const read = async () =>
        (await client.api('/me/presence').get()) as { availability: string; activity: string; statusMessage: { message: { content: string } } | null };
      await client.api('/me/presence/setPresence').post({ sessionId: APP_ID, availability: 'Busy', activity: 'InACall', expirationDuration: 'PT1H' });
      assert.deepEqual([appSession()?.availability, appSession()?.activity, appSession()?.expiresAt], ['Busy', 'InACall', at(HOUR)]);
      assert.deepEqual([(await read()).availability, (await read()).activity], ['Busy', 'InACall']);

      await client.api('/me/presence/setUserPreferredPresence').post({ availability: 'DoNotDisturb', activity: 'DoNotDisturb', expirationDuration: 'PT8H' });
      assert.deepEqual(srv.emulator.snapshot(ALICE).preferredPresence, { availability: 'DoNotDisturb', activity: 'DoNotDisturb', expiresAt: at(8 * HOUR) });
      assert.equal((await read()).availability, 'DoNotDisturb');

      await client.api('/me/presence/setStatusMessage').post({ statusMessage: STATUS_MESSAGE });
      assert.deepEqual(srv.emulator.snapshot(ALICE).statusMessage, { content: 'Deep work', expiresAt: at(8 * HOUR) });
      assert.equal((await read()).statusMessage?.message.content, 'Deep work');

      await client.api('/me/presence/clearPresence').post({ sessionId: APP_ID });
      assert.equal(appSession(), undefined);
      await client.api('/me/presence/clearUserPreferredPresence').post({});
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence, null);
      assert.deepEqual([(await read()).availability, (await read()).activity], ['Available', 'Available']);
      assert.deepEqual(
        srv.handle
          .requests()
          .filter((r) => r.method === 'POST')
          .map((r) => r.status),
        [200, 200, 200, 200, 200],
      );
    });

    it("surfaces Graph's error code and message as GraphError", async () => {
      const expected = emulatorError(() => srv.emulator.setUserPreferredPresence(ALICE, SLEEPING));
      await assert.rejects(client.api('/me/presence/setUserPreferredPresence').post(SLEEPING), (err: unknown) => {
        assert.ok(err instanceof GraphError);
        assert.deepEqual([err.statusCode, err.code, err.message], [400, 'BadRequest', expected]);
        assert.equal(err.requestId, err.headers?.get('request-id'), "innerError's request-id is the response's");
        return true;
      });
      await assert.rejects(client.api('/me/presence/clearPresence').post({ sessionId: APP_ID }), { statusCode: 404, code: 'NotFound' });
    });

    it("Client.init's authProvider does not send the token to the sandbox's http, so Graph answers 401", async () => {
      const plain = Client.init({ baseUrl: srv.base, authProvider: (done) => done(null, 'token-alice') });
      await assert.rejects(plain.api('/me/presence').get(), { statusCode: 401, code: 'InvalidAuthenticationToken' });
    });

    it('batches with BatchRequestContent and dependsOn: requests run in order and a failed dependency is a 424', async () => {
      const json = { 'Content-Type': 'application/json' };
      const post = (path: string, body: unknown) => new Request(`${srv.base}/v1.0${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) });
      const content = new BatchRequestContent([
        {
          id: 'session',
          request: post('/me/presence/setPresence', { sessionId: APP_ID, availability: 'Away', activity: 'Away', expirationDuration: 'PT30M' }),
        },
        { id: 'message', request: post('/me/presence/setStatusMessage', { statusMessage: STATUS_MESSAGE }), dependsOn: ['session'] },
        { id: 'read', request: new Request(`${srv.base}/v1.0/me/presence`), dependsOn: ['message'] },
      ]);
      const answer = new BatchResponseContent(
        (await client.api('/$batch').post(await content.getContent())) as ConstructorParameters<typeof BatchResponseContent>[0],
      );
      assert.deepEqual(
        [...answer.getResponses()].map(([id, res]) => [id, res.status]),
        [
          ['session', 200],
          ['message', 200],
          ['read', 200],
        ],
      );
      const read = (await answer.getResponseById('read').json()) as { availability: string; statusMessage: { message: { content: string } } };
      assert.deepEqual([read.availability, read.statusMessage.message.content], ['Available', 'Deep work'], 'the Teams client outranks an Away session');
      assert.deepEqual([appSession()?.availability, appSession()?.expiresAt], ['Away', at(HOUR / 2)]);

      const failing = new BatchRequestContent([
        { id: 'bad', request: post('/me/presence/setUserPreferredPresence', SLEEPING) },
        { id: 'after', request: post('/me/presence/clearPresence', { sessionId: APP_ID }), dependsOn: ['bad'] },
      ]);
      const failed = new BatchResponseContent(
        (await client.api('/$batch').post(await failing.getContent())) as ConstructorParameters<typeof BatchResponseContent>[0],
      );
      assert.equal(failed.getResponseById('bad').status, 400);
      const after = failed.getResponseById('after');
      assert.equal(after.status, 424);
      assert.equal(((await after.json()) as { error: { code: string } }).error.code, 'FailedDependency');
      assert.ok(appSession(), 'the dependent clearPresence did not run');
    });
  });

  describe('msgraph-sdk (kiota)', () => {
    let modules: KiotaModules;
    let kiota: Kiota;

    before(async function (this: Mocha.Context) {
      this.timeout(60_000); // msgraph-sdk-users alone takes seconds to load
      modules = await loadKiota();
    });
    beforeEach(() => {
      kiota = kiotaFor(modules, srv.base, 'token-alice');
    });

    it('reads presence as the emulator holds it, with $select', async () => {
      const presence = await kiota.client.me.presence.get();
      const held = srv.emulator.getPresence(ALICE);
      assert.deepEqual(
        [presence?.id, presence?.availability, presence?.activity, presence?.sequenceNumber],
        [held.id, held.availability, held.activity, held.sequenceNumber],
      );
      const selected = await kiota.client.users.byUserId(ALICE).presence.get({ queryParameters: { select: ['availability'] } });
      assert.deepEqual({ ...selected }, { id: ALICE, availability: held.availability, additionalData: selected?.additionalData });
      assert.equal(srv.handle.requests()[1]?.path, `/v1.0/users/${ALICE}/presence`);
    });

    it('every presence action changes what the emulator holds, and reads back the same', async () => {
      const { Duration } = kiota.abstractions;
      const presence = kiota.client.me.presence;
      await presence.setPresence.post({
        sessionId: APP_ID,
        availability: 'Busy',
        activity: 'InAConferenceCall',
        expirationDuration: new Duration({ hours: 2 }),
      });
      assert.deepEqual([appSession()?.availability, appSession()?.activity, appSession()?.expiresAt], ['Busy', 'InAConferenceCall', at(2 * HOUR)]);
      assert.equal((await presence.get())?.activity, 'InAConferenceCall');

      await presence.setUserPreferredPresence.post({ availability: 'BeRightBack', activity: 'BeRightBack', expirationDuration: new Duration({ minutes: 45 }) });
      assert.deepEqual(srv.emulator.snapshot(ALICE).preferredPresence, { availability: 'BeRightBack', activity: 'BeRightBack', expiresAt: at(0.75 * HOUR) });
      assert.equal((await presence.get())?.availability, 'BeRightBack');

      await presence.setStatusMessage.post({ statusMessage: STATUS_MESSAGE });
      assert.deepEqual(srv.emulator.snapshot(ALICE).statusMessage, { content: 'Deep work', expiresAt: at(8 * HOUR) });
      assert.equal((await presence.get())?.statusMessage?.message?.content, 'Deep work');

      await presence.clearPresence.post({ sessionId: APP_ID });
      assert.equal(appSession(), undefined);
      await presence.clearUserPreferredPresence.post({});
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence, null);
      const after = await presence.get();
      assert.deepEqual([after?.availability, after?.activity], ['Available', 'Available']);
      assert.deepEqual(
        srv.handle
          .requests()
          .filter((r) => r.method === 'POST')
          .map((r) => r.status),
        [200, 200, 200, 200, 200],
      );
    });

    it("surfaces Graph's error code and message as ODataError", async () => {
      const expected = emulatorError(() => srv.emulator.setUserPreferredPresence(ALICE, SLEEPING));
      await assert.rejects(kiota.client.me.presence.setUserPreferredPresence.post(SLEEPING), (err: unknown) => {
        const odata = err as ODataErrors.ODataError;
        assert.equal(odata.responseStatusCode, 400);
        assert.deepEqual([odata.errorEscaped?.code, odata.errorEscaped?.message], ['BadRequest', expected]);
        return true;
      });
    });

    it("batches with msgraph-sdk-core's BatchRequestContent: status codes per request, dependsOn and 424", async () => {
      const { BatchRequestContent: KiotaBatch } = kiota.core;
      const errorMappings = { XXX: kiota.errors.createODataErrorFromDiscriminatorValue };
      const presence = kiota.client.me.presence;
      srv.emulator.setUserPreferredPresence(ALICE, { availability: 'Away', activity: 'Away' });
      const reads = new KiotaBatch(kiota.adapter, errorMappings);
      reads.addBatchRequest(presence.toGetRequestInformation(), 'me');
      const theirs = reads.addBatchRequest(
        kiota.client.users.byUserId(ALICE).presence.toGetRequestInformation({ queryParameters: { select: ['availability'] } }),
        'user',
      );
      theirs.dependsOn = ['me'];
      const answer = await reads.postAsync();
      assert.deepEqual(
        [...((await answer?.getResponsesStatusCodes()) ?? [])],
        [
          ['me', 200],
          ['user', 200],
        ],
      );
      assert.deepEqual(
        srv.handle.requests().map((r) => [r.batchRequestId, r.path, r.status]),
        [
          ['me', '/v1.0/me/presence', 200],
          ['user', `/v1.0/users/${ALICE}/presence`, 200],
        ],
      );

      // A request without a body goes through; one with a body does not: this SDK sends it base64-encoded without a
      // Content-Type, which Graph requires with a body, so it is refused and the request that depends on it fails.
      const writes = new KiotaBatch(kiota.adapter, errorMappings);
      writes.addBatchRequest(presence.clearUserPreferredPresence.toPostRequestInformation({}), 'clear');
      writes.addBatchRequest(presence.setUserPreferredPresence.toPostRequestInformation({ availability: 'Busy', activity: 'Busy' }), 'set').dependsOn = [
        'clear',
      ];
      writes.addBatchRequest(presence.toGetRequestInformation(), 'after').dependsOn = ['set'];
      const written = await writes.postAsync();
      assert.deepEqual(
        [...((await written?.getResponsesStatusCodes()) ?? [])],
        [
          ['clear', 200],
          ['set', 400],
          ['after', 424],
        ],
      );
      assert.equal(srv.emulator.snapshot(ALICE).preferredPresence, null);
    });
  });
});

/** The Graph emulator as real Graph clients see it: error shape, trace headers, OData context, $select, namespaced actions. */
import assert from 'node:assert/strict';
import type { GraphIdentity } from '../../sandbox/graph/routes';
import { startEmulator, type StartedEmulator } from './emulator-server';

const APP_ID = '22553876-f5ab-4529-bffb-cfe50aa89f87';
const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
const T0 = Date.parse('2026-01-15T09:00:00.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

const ALICE_IDENTITY: GraphIdentity = { userId: ALICE, tenantId: 'tenant-a', scopes: ['Presence.ReadWrite'] };

// eslint-disable-next-line @typescript-eslint/require-await -- the contract is async
async function verifyToken(bearer: string): Promise<GraphIdentity | undefined> {
  return bearer === 'token-alice' ? ALICE_IDENTITY : undefined;
}

interface GraphErrorJson {
  readonly error: { readonly code: string; readonly message: string; readonly innerError: Readonly<Record<string, string>> };
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
  readonly json: unknown;
}

describe('sandbox Graph emulator as Graph clients see it (HTTP)', () => {
  let srv: StartedEmulator;

  async function call(
    method: string,
    path: string,
    options: { token?: string | null; body?: string; type?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? 'token-alice' : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = options.type ?? 'application/json';
    const res = await fetch(`${srv.base}${path}`, { method, headers, body: options.body });
    const text = await res.text();
    return { status: res.status, text, headers: res.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
  }
  const json = (body: unknown): string => JSON.stringify(body);

  /** Asserts a Graph error body with `code`, and that innerError matches the trace headers. */
  function assertGraphError(res: Answer, status: number, code: string): GraphErrorJson['error'] {
    assert.equal(res.status, status, res.text);
    const { error } = res.json as GraphErrorJson;
    assert.deepEqual(Object.keys(res.json as object), ['error']);
    assert.equal(error.code, code);
    assert.equal(typeof error.message, 'string');
    assert.ok(error.message.length > 0);
    assert.match(res.headers.get('request-id') ?? '', UUID);
    assert.equal(error.innerError['request-id'], res.headers.get('request-id'));
    assert.equal(error.innerError['client-request-id'], res.headers.get('client-request-id'));
    assert.match(error.innerError.date ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    return error;
  }

  beforeEach(async () => {
    srv = await startEmulator({ appId: APP_ID, now: T0, verifyToken });
  });
  afterEach(async () => {
    await srv.close();
  });

  describe('every error is Graph-shaped', () => {
    it('a malformed JSON body is a 400 BadRequest', async () => {
      assertGraphError(await call('POST', '/v1.0/me/presence/setPresence', { body: '{"sessionId":' }), 400, 'BadRequest');
    });

    it('a body of another media type is a 415 UnsupportedMediaType; one over the cap a 413 RequestEntityTooLarge', async () => {
      assertGraphError(await call('POST', '/v1.0/me/presence/setPresence', { body: 'hello', type: 'text/plain' }), 415, 'UnsupportedMediaType');
      assertGraphError(await call('POST', '/v1.0/me/presence/setPresence', { body: json({ pad: 'x'.repeat(70 * 1024) }) }), 413, 'RequestEntityTooLarge');
    });

    it("an unknown segment is Graph's 400 naming it, for v1.0 and beta", async () => {
      const cases: [string, string, string][] = [
        ['GET', '/v1.0/me/messages', 'messages'],
        ['GET', '/beta/groups', 'groups'],
        ['GET', `/v1.0/users/${ALICE}/presense`, 'presense'],
        ['POST', '/v1.0/me/presence/setFoo', 'setFoo'],
        ['POST', '/beta/me/presence/microsoft.graph.setFoo', 'microsoft.graph.setFoo'],
        ['POST', '/v1.0/me/presence/setPresence/extra', 'extra'],
      ];
      for (const [method, path, segment] of cases) {
        const error = assertGraphError(await call(method, path, { body: method === 'POST' ? '{}' : undefined }), 400, 'BadRequest');
        assert.equal(error.message, `Resource not found for the segment '${segment}'.`, path);
      }
    });

    it('no version, another version or a version in another case: the same 400 naming the segment, with the trace headers', async () => {
      const cases: [string, string, string][] = [
        ['GET', '/v2.0/me/presence', 'v2.0'],
        ['GET', '/V1.0/me/presence', 'V1.0'],
        ['POST', '/v1/me/presence/setPresence', 'v1'],
        ['GET', '', ''],
        ['GET', '/', ''],
      ];
      for (const [method, path, segment] of cases) {
        const error = assertGraphError(await call(method, path, { body: method === 'POST' ? '{}' : undefined }), 400, 'BadRequest');
        assert.equal(error.message, `Resource not found for the segment '${segment}'.`, path);
      }
    });

    it('a served path with another method is a 405; a Graph resource the sandbox does not emulate a 404', async () => {
      assertGraphError(await call('GET', '/v1.0/me/presence/setPresence'), 405, 'MethodNotAllowed');
      assertGraphError(await call('POST', '/v1.0/me/presence', { body: '{}' }), 405, 'MethodNotAllowed');
      assertGraphError(await call('GET', '/v1.0/me'), 404, 'NotFound');
    });
  });

  describe('trace headers', () => {
    it('a success carries a fresh request-id, a fresh client-request-id when none was sent, and Date', async () => {
      const first = await call('GET', '/v1.0/me/presence');
      const second = await call('GET', '/v1.0/me/presence');
      assert.equal(first.status, 200);
      for (const res of [first, second]) {
        assert.match(res.headers.get('request-id') ?? '', UUID);
        assert.match(res.headers.get('client-request-id') ?? '', UUID);
        assert.equal(res.headers.get('date'), new Date(T0).toUTCString());
        assert.equal(res.headers.get('www-authenticate'), null);
      }
      assert.notEqual(first.headers.get('request-id'), second.headers.get('request-id'));
      assert.notEqual(first.headers.get('client-request-id'), first.headers.get('request-id'));
    });

    it('client-request-id is echoed, on a success and in an error body', async () => {
      const headers = { 'client-request-id': 'my-correlation-1' };
      const ok = await call('POST', '/v1.0/me/presence/clearUserPreferredPresence', { body: '{}', headers });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('client-request-id'), 'my-correlation-1');
      const failed = await call('POST', '/v1.0/me/presence/clearPresence', { body: json({ sessionId: APP_ID }), headers });
      const error = assertGraphError(failed, 404, 'NotFound');
      assert.deepEqual(error.innerError, {
        date: '2026-01-15T09:00:00',
        'request-id': failed.headers.get('request-id'),
        'client-request-id': 'my-correlation-1',
      });
      const refused = await call('POST', '/v1.0/me/presence/setPresence', { body: '{', headers });
      assert.equal(assertGraphError(refused, 400, 'BadRequest').innerError['client-request-id'], 'my-correlation-1');
    });

    it("a 401 carries Graph's WWW-Authenticate challenge", async () => {
      for (const token of [null, 'token-unknown']) {
        const res = await call('GET', '/v1.0/me/presence', { token });
        assertGraphError(res, 401, 'InvalidAuthenticationToken');
        assert.equal(res.headers.get('www-authenticate'), WWW_AUTHENTICATE);
      }
    });

    it('an injected fault answers with the trace too', async () => {
      await call('POST', '/_faults', { body: json({ fault: { kind: 'status', status: 503 } }), token: null });
      assertGraphError(await call('GET', '/v1.0/me/presence'), 503, 'ServiceUnavailable');
    });
  });

  describe('GET presence', () => {
    it('$select keeps only the named properties plus id and @odata.context', async () => {
      const res = await call('GET', '/beta/me/presence?$select=availability,activity');
      assert.equal(res.status, 200);
      assert.deepEqual(res.json, {
        '@odata.context': `https://graph.microsoft.com/beta/$metadata#users('${ALICE}')/presence/$entity`,
        id: ALICE,
        availability: 'Available',
        activity: 'Available',
      });
      const one = await call('GET', `/v1.0/users/${ALICE}/presence?%24select=statusMessage`);
      assert.deepEqual(Object.keys(one.json as object), ['@odata.context', 'id', 'statusMessage']);
    });

    it('$select naming a property presence does not have is a 400', async () => {
      const error = assertGraphError(await call('GET', '/v1.0/me/presence?$select=availability,mood'), 400, 'BadRequest');
      assert.equal(error.message, "Could not find a property named 'mood' on type 'microsoft.graph.presence'.");
    });
  });

  describe('namespace-qualified actions', () => {
    it('/presence/microsoft.graph.<action> is the same action', async () => {
      const set = await call('POST', `/v1.0/users/${ALICE}/presence/microsoft.graph.setPresence`, {
        body: json({ sessionId: APP_ID, availability: 'DoNotDisturb', activity: 'Presenting' }),
      });
      assert.equal(set.status, 200, set.text);
      assert.equal(set.text, '');
      assert.equal(srv.emulator.getPresence(ALICE).availability, 'DoNotDisturb');
      const cleared = await call('POST', '/beta/me/presence/microsoft.graph.clearPresence', { body: json({ sessionId: APP_ID }) });
      assert.equal(cleared.status, 200, cleared.text);
      assert.equal(srv.emulator.getPresence(ALICE).availability, 'Available');
    });

    it('a fault rule naming an action faults its namespaced path too', async () => {
      await call('POST', '/_faults', { body: json({ path: '/me/presence/setStatusMessage', fault: { kind: 'status', status: 500 } }), token: null });
      const res = await call('POST', '/v1.0/me/presence/microsoft.graph.setStatusMessage', {
        body: json({ statusMessage: { message: { content: 'x', contentType: 'text' } } }),
      });
      assert.equal(res.status, 500);
    });
  });
});

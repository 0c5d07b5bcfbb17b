/**
 * The app's edges in time and space: requests that arrive while it starts, a stop with requests in flight or a
 * client that stalls, and sandbox mode answering only the person at this machine.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { silentLogger } from '../../presence/log';
import { startStandaloneSandbox } from '../../sandbox/standalone';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SANDBOX_USER_ID, said, startConnector, teamsMessage, type RecordingConnector } from '../support/connector';
import { storageEnv } from '../support/storage';
import { ALICE, call, recordingLogger, ssoToken } from '../tab-api/helpers';
import { freePort, graphLog, requestFrom, sandboxOf, startAppWith } from './helpers';

const ROUNDS = 5;
const REQUESTS = 20;

/** Resolves once a TCP connection to the port succeeds (polling while the server is not listening yet). */
async function accepting(port: number, giveUp: Promise<unknown>): Promise<void> {
  let stop = false;
  void giveUp.finally(() => (stop = true)).catch(() => {});
  while (!stop) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('hardening: lifecycle (real HTTP)', function () {
  this.timeout(60_000);

  describe('start-up', () => {
    let connector: RecordingConnector;
    before(async () => {
      connector = await startConnector();
    });
    after(async () => connector.close());

    it(`${ROUNDS} starts, ${REQUESTS} requests each as soon as the port accepts: never a 404, /healthz 200 only with /api/messages working`, async () => {
      let early = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const port = await freePort();
        const base = `http://127.0.0.1:${port}`;
        let started = false;
        const starting = startServer(loadConfig({ PORT: String(port), ...(await storageEnv()) }), { logger: silentLogger });
        void starting.then(
          () => (started = true),
          () => {},
        );
        await accepting(port, starting);
        if (!started) early++;
        const repliesBefore = connector.activities.length;
        const answers = await Promise.all(
          Array.from({ length: REQUESTS }, async (_, i) => {
            const res =
              i % 2
                ? await fetch(`${base}/healthz`)
                : await fetch(`${base}/api/messages`, {
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: JSON.stringify(teamsMessage(connector.url, 'help')),
                  });
            await res.arrayBuffer();
            return `${i % 2 ? 'GET /healthz' : 'POST /api/messages'} ${res.status}`;
          }),
        );
        const app = await starting;
        try {
          assert.ok(!answers.some((a) => a.endsWith(' 404')), `round ${round}: ${answers.join(', ')}`);
          // Held until every route exists: the bot answered each message, so /healthz could say ok.
          assert.deepEqual(
            answers.filter((a) => a.startsWith('POST')),
            new Array<string>(REQUESTS / 2).fill('POST /api/messages 200'),
          );
          assert.deepEqual(
            answers.filter((a) => a.startsWith('GET')),
            new Array<string>(REQUESTS / 2).fill('GET /healthz 200'),
          );
          await connector.waitFor(repliesBefore + REQUESTS / 2);
        } finally {
          await app.close();
        }
      }
      assert.ok(early > 0, `the port accepted before startServer resolved in ${early} of ${ROUNDS} starts: the window was hit`);
    });

    it(`the standalone sandbox: ${ROUNDS} starts, its identity routes never 404 while it starts`, async () => {
      let early = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const port = await freePort();
        const base = `http://127.0.0.1:${port}`;
        let started = false;
        const starting = startStandaloneSandbox({ port });
        void starting.then(
          () => (started = true),
          () => {},
        );
        await accepting(port, starting);
        if (!started) early++;
        const paths = [
          '/sandbox/identity/common/discovery/v2.0/keys',
          '/sandbox/identity/_stats',
          `/sandbox/identity/common/v2.0/.well-known/openid-configuration`,
        ];
        const answers = await Promise.all(
          Array.from({ length: REQUESTS }, async (_, i) => {
            const path = paths[i % paths.length] ?? '';
            const res = await fetch(`${base}${path}`);
            await res.arrayBuffer();
            return `${path} ${res.status}`;
          }),
        );
        const sandbox = await starting;
        try {
          assert.deepEqual(
            answers.filter((a) => !a.endsWith(' 200')),
            [],
            `round ${round}`,
          );
        } finally {
          await sandbox.close();
        }
      }
      assert.ok(early > 0, `the window was hit in ${early} of ${ROUNDS} starts`);
    });
  });

  describe('shutdown', () => {
    it('drainMs 500: a client that sent half a request does not hold the stop past ~1.5 s', async () => {
      const app = await startAppWith({ drainMs: 500 });
      const { port } = new URL(app.url);
      const socket: Socket = connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.on('error', () => {});
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write(`POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"type":`);
      await wait(100);
      const started = Date.now();
      await app.close();
      const took = Date.now() - started;
      assert.ok(took < 1_500, `closed in ${took} ms`);
      await closed;
      socket.destroy();
    });

    it('a command in flight when the stop begins still gets its answer, from the tab API and the bot', async () => {
      const logger = recordingLogger();
      const app = await startAppWith({ drainMs: 5_000, logger });
      const connector = await startConnector();
      try {
        const token = await ssoToken(app, ALICE);
        sandboxOf(app).faults.add({ path: '/me/presence', fault: { kind: 'delay', ms: 600 }, count: 2 });
        const tab = call(app.url, 'GET', { token });
        const bot = fetch(`${app.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(teamsMessage(connector.url, 'status')),
        });
        // Both Graph reads are held by the emulator once the rule is used up: the commands are mid-way.
        while (sandboxOf(app).faults.list().length > 0) await wait(5);
        const closing = app.close();
        assert.equal((await tab).status, 200);
        assert.equal((await bot).status, 200);
        const [reply] = await connector.waitFor(1);
        assert.match(said(reply ?? {}), /^Your status is /, 'the bot’s answer is its status reply');
        await closing;
        assert.deepEqual(
          logger.entries.filter((e) => e.level === 'warn'),
          [],
          'nothing was cut at the drain deadline',
        );
      } finally {
        await connector.close();
      }
    });
  });

  describe('sandbox exposure', () => {
    let app: RunningApp;
    let connector: RecordingConnector;
    before(async () => {
      app = await startAppWith();
      connector = await startConnector();
    });
    after(async () => {
      await app.close();
      await connector.close();
    });

    const activity = () => JSON.stringify(teamsMessage(connector.url, 'dnd 8h'));
    const assertNothingChanged = async () => {
      await wait(200);
      assert.equal(connector.activities.length, 0, 'the bot sent nothing');
      assert.deepEqual(await graphLog(app), [], 'no Graph call');
      assert.equal(sandboxOf(app).emulator.snapshot(SANDBOX_USER_ID).preferredPresence, null);
    };

    for (const [type, body] of [
      ['application/x-www-form-urlencoded', () => 'text=dnd+8h'],
      ['text/plain', activity],
    ] as const) {
      it(`a cross-site form post (${type}) to /api/messages is refused and changes nothing`, async () => {
        const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': type, origin: 'https://evil.example' }, body: body() });
        assert.ok([403, 415].includes(res.status), `answered ${res.status}`);
        await assertNothingChanged();
      });
    }

    it('the same body as text/plain without an Origin is refused too (JSON only)', async () => {
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: activity() });
      assert.equal(res.status, 415);
      await assertNothingChanged();
    });

    it('a request with Host: evil.example is 403 (DNS rebinding)', async () => {
      for (const [method, path, body] of [
        ['GET', '/healthz', undefined],
        ['GET', '/sandbox/graph/_state/users/x', undefined],
        ['POST', '/api/messages', activity()],
      ] as const) {
        const res = await requestFrom(app.url, {
          method,
          path,
          body,
          headers: { host: `evil.example:${new URL(app.url).port}`, 'content-type': 'application/json' },
        });
        assert.equal(res.status, 403, `${method} ${path}`);
      }
      await assertNothingChanged();
    });

    it('a same-origin call from the tab (Origin is the app’s own) works', async () => {
      const token = await ssoToken(app, ALICE);
      const res = await call(app.url, 'POST', { token, body: { state: 'Busy', durationMinutes: 30 }, headers: { origin: app.url } });
      assert.equal(res.status, 200);
      assert.equal(sandboxOf(app).emulator.snapshot(ALICE).preferredPresence?.availability, 'Busy');
    });
  });
});

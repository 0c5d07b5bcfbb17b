/** Starting and stopping a server: requests that arrive before the routes are held, not lost; a stop has a deadline. */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import * as restify from 'restify';
import { drain } from '../../edge/drain';
import { startGate } from '../../edge/start-gate';

async function listen(server: restify.Server): Promise<string> {
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

describe('edge/start-gate', () => {
  it('holds a request that arrives before its route exists, then routes it', async () => {
    const server = restify.createServer({ handleUncaughtExceptions: false });
    const gate = startGate(server);
    const url = await listen(server);
    try {
      const early = fetch(`${url}/later`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      server.get('/later', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
        res.send(200, { routed: true });
        next();
      });
      gate.open();
      const res = await early;
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { routed: true });
    } finally {
      await drain(server.server, 0);
    }
  });

  it('answers 503 with Retry-After once the start failed, or took too long', async () => {
    const server = restify.createServer({ handleUncaughtExceptions: false });
    const gate = startGate(server, 50);
    server.get('/x', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
      res.send(200);
      next();
    });
    const url = await listen(server);
    try {
      const slow = await fetch(`${url}/x`);
      assert.equal(slow.status, 503);
      assert.equal(slow.headers.get('retry-after'), '1');
      gate.fail();
      assert.equal((await fetch(`${url}/x`)).status, 503);
    } finally {
      await drain(server.server, 0);
    }
  });
});

describe('edge/drain', () => {
  it('lets a request in flight finish, then closes', async () => {
    const server = restify.createServer({ handleUncaughtExceptions: false });
    server.get('/slow', async (_req: restify.Request, res: restify.Response) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      res.send(200, { done: true });
    });
    const url = await listen(server);
    const inFlight = fetch(`${url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = drain(server.server, 5_000);
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(await stopped, { forced: false });
  });

  it('cuts a stalled client at the deadline instead of waiting for it', async () => {
    const server = restify.createServer({ handleUncaughtExceptions: false });
    const url = new URL(await listen(server));
    const socket = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    // Half a request, never finished: the kind of client that kept a stopping process alive past 12 s.
    socket.write('POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{');
    socket.on('error', () => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const result = await drain(server.server, 300);
    const took = Date.now() - started;
    assert.deepEqual(result, { forced: true });
    assert.ok(took >= 250 && took < 2_000, `stopped in ${took} ms`);
    socket.destroy();
  });
});

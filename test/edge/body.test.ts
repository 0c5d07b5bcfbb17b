/** edge/body.ts over real HTTP: caps on the bytes as sent, JSON only, no inflation, nothing left behind. */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { BodyError, readBody, readJson } from '../../edge/body';

interface Answer {
  status: number;
  body: string;
}

function send(port: number, headers: Record<string, string>, body: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('edge/body: reading a request body', () => {
  let server: Server;
  let port: number;
  let received: unknown[];

  before(async () => {
    received = [];
    server = createServer((req, res) => {
      readJson(req, 1024).then(
        (value) => {
          received.push(value);
          // Not chained: restify, once loaded by another test, replaces writeHead with one that returns nothing.
          res.writeHead(200);
          res.end('ok');
        },
        (err: unknown) => {
          res.writeHead(err instanceof BodyError ? err.status : 500, { connection: 'close' });
          res.end(err instanceof BodyError ? err.problem : 'error');
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (received = []));

  it('reads JSON, with or without a UTF-8 charset', async () => {
    assert.deepEqual(await send(port, { 'content-type': 'application/json' }, '{"a":1}'), { status: 200, body: 'ok' });
    assert.deepEqual(await send(port, { 'content-type': 'Application/JSON; charset=UTF-8' }, '{"é":"ü"}'), { status: 200, body: 'ok' });
    assert.deepEqual(received, [{ a: 1 }, { é: 'ü' }]);
  });

  it('refuses any Content-Encoding but identity: a gzip bomb is never inflated', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    assert.ok(bomb.length < 30_000, 'the bomb is small on the wire');
    const before = process.memoryUsage().rss;
    assert.deepEqual(await send(port, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, bomb), { status: 415, body: 'encoding' });
    assert.ok(process.memoryUsage().rss - before < 10 * 1024 * 1024, 'nothing was inflated');
    assert.equal((await send(port, { 'content-type': 'application/json', 'content-encoding': 'identity' }, '{}')).status, 200);
  });

  it('refuses other media types, multipart and forms included, and other charsets', async () => {
    for (const type of ['multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin1']) {
      assert.deepEqual(await send(port, { 'content-type': type }, '--x\r\n\r\n{}'), { status: 415, body: 'mediaType' }, type);
    }
    assert.deepEqual(await send(port, {}, '{}'), { status: 415, body: 'mediaType' });
    assert.deepEqual(received, []);
  });

  it('refuses a body over the cap whether it is announced or streamed', async () => {
    assert.deepEqual(await send(port, { 'content-type': 'application/json', 'content-length': '5000' }, 'x'.repeat(5000)), { status: 413, body: 'tooLarge' });
    // Chunked: no length announced; the reader stops at the cap.
    assert.deepEqual(await send(port, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, `"${'x'.repeat(5000)}"`), {
      status: 413,
      body: 'tooLarge',
    });
    assert.equal((await send(port, { 'content-type': 'application/json' }, `"${'x'.repeat(1000)}"`)).status, 200);
  });

  it('refuses malformed JSON and bytes that are not UTF-8', async () => {
    assert.deepEqual(await send(port, { 'content-type': 'application/json' }, '{"a":'), { status: 400, body: 'malformed' });
    assert.deepEqual(await send(port, { 'content-type': 'application/json' }, Buffer.from([0x22, 0xff, 0xfe, 0x22])), { status: 400, body: 'malformed' });
  });

  it('readBody takes the media types it is given', async () => {
    const other = createServer((req, res) => {
      readBody(req, { maxBytes: 100, types: ['application/x-www-form-urlencoded'] }).then(
        ({ type, text }) => res.end(`${type} ${text}`),
        () => {
          res.writeHead(415);
          res.end();
        },
      );
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const otherPort = (other.address() as AddressInfo).port;
      assert.deepEqual(await send(otherPort, { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'), {
        status: 200,
        body: 'application/x-www-form-urlencoded a=1',
      });
      assert.equal((await send(otherPort, { 'content-type': 'application/json' }, '{}')).status, 415);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});

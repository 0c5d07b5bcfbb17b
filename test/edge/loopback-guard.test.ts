/** Sandbox mode answers only the person at this machine: loopback Host names, no cross-origin writes. */
import assert from 'node:assert/strict';
import { sandboxRefusal } from '../../edge/loopback-guard';

const req = (method: string, headers: Record<string, string | undefined>) => ({ method, headers });

describe('edge/loopback-guard: sandboxRefusal', () => {
  it('accepts loopback host names with or without a port', () => {
    for (const host of ['127.0.0.1:3978', 'localhost:3978', 'LOCALHOST', '[::1]:3978', 'app.localhost:3978', '127.0.0.1']) {
      assert.equal(sandboxRefusal(req('GET', { host })), undefined, host);
    }
  });

  it('refuses any other Host: a DNS-rebinding page names its own', () => {
    for (const host of ['evil.example:3978', '127.0.0.1.nip.io:3978', '10.0.0.5:3978', 'localhost.evil.example', '']) {
      assert.equal(sandboxRefusal(req('GET', { host })), 'host', host);
    }
    assert.equal(sandboxRefusal(req('GET', {})), 'host');
  });

  it('refuses state-changing requests from another web origin, and allows same-origin and non-browser ones', () => {
    const host = '127.0.0.1:3978';
    assert.equal(sandboxRefusal(req('POST', { host, origin: 'https://evil.example' })), 'origin');
    assert.equal(sandboxRefusal(req('POST', { host, origin: 'http://localhost:3978' })), 'origin', 'another origin, even on this machine');
    assert.equal(sandboxRefusal(req('POST', { host, origin: 'null' })), 'origin');
    assert.equal(sandboxRefusal(req('DELETE', { host, 'sec-fetch-site': 'cross-site' })), 'origin');
    assert.equal(sandboxRefusal(req('POST', { host, origin: 'http://127.0.0.1:3978' })), undefined);
    assert.equal(sandboxRefusal(req('POST', { host })), undefined, 'the Playground and curl send no Origin');
    assert.equal(sandboxRefusal(req('GET', { host, origin: 'https://evil.example' })), undefined, 'reads are left to CORS');
  });
});

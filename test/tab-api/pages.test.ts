import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as restify from 'restify';
import { silentLogger } from '../../presence/log';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { tabFrameAncestors } from '../../tab/api/csp';
import { assetVersion } from '../../tab/asset-version';
import { registerTabPages } from '../../tab/api/static';
import { startSandboxApp } from './helpers';
import { storageEnv } from '../support/storage';

/** The list in Microsoft's "Tab requirements" page (see tab/api/csp.ts), written out here so a change to it is a test failure. */
const MICROSOFT_HOSTS = [
  'https://*.cloud.microsoft',
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
];
const SECRET = 'outside-the-tab-secret';

function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name = '', ...values]) => [name, values]),
  );
}

/** A GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(baseUrl: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tab pages: static files and security headers', () => {
  let base: string;
  let server: restify.Server;
  let url: string;

  const start = async (distDir: string, { frameAncestors = tabFrameAncestors(), production = false } = {}) => {
    server = restify.createServer({ handleUncaughtExceptions: false });
    registerTabPages(server, { distDir, frameAncestors, production });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    url = `http://127.0.0.1:${server.address().port}`;
  };

  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'tab-pages-'));
    const dist = join(base, 'dist');
    await mkdir(join(dist, 'chunks'), { recursive: true });
    const files: Record<string, string> = {
      'index.html': '<!doctype html><title>tab</title>',
      'auth-start.html': '<!doctype html><title>start</title>',
      'auth-end.html': '<!doctype html><title>end</title>',
      'main.js': 'console.log(1)',
      'app.js': 'console.log(2);\n//# sourceMappingURL=app.js.map\n',
      'app.js.map': '{"version":3,"file":"app.js"}',
      'styles.css': 'body{}',
      'main.js.map': '{"version":3}',
      'other.html': '<!doctype html><title>not a tab page</title>',
      'notes.txt': 'not served',
      '.hidden.js': 'hidden',
      'chunks/part.js': 'part',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dist, name), text);
    await writeFile(join(base, 'secret.js'), SECRET);
    await writeFile(join(base, 'package.json'), SECRET);
    await symlink(join(base, 'secret.js'), join(dist, 'link.js'));
  });
  after(async () => rm(base, { recursive: true, force: true }));
  afterEach(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
    });
  });

  it('serves index.html at /tab and /tab/, the auth pages, scripts, styles and (outside production) source maps, with their content types', async () => {
    await start(join(base, 'dist'));
    const expected: Record<string, [string, string]> = {
      '/tab': ['text/html; charset=utf-8', '<!doctype html><title>tab</title>'],
      '/tab/': ['text/html; charset=utf-8', '<!doctype html><title>tab</title>'],
      '/tab/index.html': ['text/html; charset=utf-8', '<!doctype html><title>tab</title>'],
      '/tab/auth-start.html': ['text/html; charset=utf-8', '<!doctype html><title>start</title>'],
      '/tab/auth-end.html': ['text/html; charset=utf-8', '<!doctype html><title>end</title>'],
      '/tab/main.js?v=abc123': ['text/javascript; charset=utf-8', 'console.log(1)'],
      '/tab/styles.css': ['text/css; charset=utf-8', 'body{}'],
      '/tab/main.js.map': ['application/json; charset=utf-8', '{"version":3}'],
      '/tab/chunks/part.js': ['text/javascript; charset=utf-8', 'part'],
    };
    for (const [path, [type, body]] of Object.entries(expected)) {
      const res = await fetch(`${url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), type, path);
      assert.equal(await res.text(), body, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  it('a script or style asked for by its content hash is cached for a year (immutable); the pages and unversioned files are no-cache with an ETag, and a reload with it is a 304 without a body', async () => {
    await start(join(base, 'dist'));
    const version = assetVersion(Buffer.from('console.log(1)'));
    const hashed = await fetch(`${url}/tab/main.js?v=${version}`);
    assert.equal(hashed.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    for (const path of ['/tab/main.js', '/tab/main.js?v=0000000000', '/tab/styles.css', '/tab/', '/tab/auth-end.html', `/tab/index.html?v=${version}`]) {
      const res = await fetch(`${url}${path}`);
      assert.equal(res.headers.get('cache-control'), 'no-cache', path);
      const etag = res.headers.get('etag');
      assert.match(etag ?? '', /^"[\w-]{27}"$/, path);
      const again = await fetch(`${url}${path}`, { headers: { 'if-none-match': `W/"other", ${etag ?? ''}` } });
      assert.equal(again.status, 304, path);
      assert.equal(await again.text(), '', path);
      assert.equal(again.headers.get('etag'), etag, path);
      assert.ok(again.headers.get('content-security-policy'), `${path}: the 304 has the security headers too`);
      assert.equal((await fetch(`${url}${path}`, { headers: { 'if-none-match': '"stale"' } })).status, 200, path);
    }
    const page = await fetch(`${url}/tab/`);
    const other = await fetch(`${url}/tab/auth-end.html`);
    assert.notEqual(page.headers.get('etag'), other.headers.get('etag'), 'an ETag per content');
  });

  it('every response, 404 included, has the CSP, nosniff and Referrer-Policy headers, and no X-Frame-Options; no HSTS outside production', async () => {
    await start(join(base, 'dist'));
    for (const path of ['/tab/', '/tab/main.js', '/tab/missing.js']) {
      const res = await fetch(`${url}${path}`);
      const csp = directives(res.headers.get('content-security-policy'));
      assert.deepEqual(csp.get('frame-ancestors'), MICROSOFT_HOSTS, path);
      assert.deepEqual(csp.get('script-src'), ["'self'"]);
      assert.deepEqual(csp.get('default-src'), ["'self'"]);
      assert.deepEqual(csp.get('style-src'), ["'self'"]);
      assert.deepEqual(csp.get('img-src'), ["'self'", 'data:']);
      assert.deepEqual(csp.get('object-src'), ["'none'"]);
      assert.deepEqual(csp.get('base-uri'), ["'self'"]);
      assert.deepEqual(csp.get('connect-src'), ["'self'", 'https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json']);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
      assert.equal(res.headers.get('x-frame-options'), null);
      assert.equal(res.headers.get('strict-transport-security'), null, path);
    }
  });

  it('production: HSTS on every response (pages, scripts, styles, 404s); source maps are 404 and scripts are served as built', async () => {
    await start(join(base, 'dist'), { production: true });
    for (const [path, status] of [
      ['/tab', 200],
      ['/tab/', 200],
      ['/tab/auth-start.html', 200],
      ['/tab/auth-end.html', 200],
      ['/tab/main.js', 200],
      ['/tab/styles.css', 200],
      ['/tab/missing.js', 404],
      ['/tab/app.js.map', 404],
      ['/tab/main.js.map', 404],
    ] as const) {
      const res = await fetch(`${url}${path}`);
      assert.equal(res.status, status, path);
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains', path);
      assert.ok(res.headers.get('content-security-policy'), path);
      if (path.endsWith('.map')) assert.equal(await res.text(), 'Not found.', path);
    }
    const script = await fetch(`${url}/tab/app.js`);
    assert.equal(await script.text(), 'console.log(2);\n//# sourceMappingURL=app.js.map\n', 'the bytes the build wrote');
  });

  it('sandbox mode: the source maps are served, next to their scripts', async () => {
    await start(join(base, 'dist'));
    const map = await fetch(`${url}/tab/app.js.map`);
    assert.equal(map.status, 200);
    assert.equal(await map.text(), '{"version":3,"file":"app.js"}');
  });

  it('404 for files it does not serve: other pages, other types, dotfiles, missing files', async () => {
    await start(join(base, 'dist'));
    for (const path of ['/tab/other.html', '/tab/notes.txt', '/tab/.hidden.js', '/tab/missing.js', '/tab/chunks/', '/tab/chunks', '/tab/chunks/index.html']) {
      const res = await fetch(`${url}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(await res.text(), 'Not found.', path);
    }
  });

  it('no directory traversal: nothing outside the tab folder is ever served', async () => {
    await start(join(base, 'dist'));
    const attempts = [
      '/tab/../secret.js',
      '/tab/../package.json',
      '/tab/..%2fsecret.js',
      '/tab/%2e%2e/secret.js',
      '/tab/%2e%2e%2fsecret.js',
      '/tab/chunks/../../secret.js',
      '/tab/chunks/%2e%2e/%2e%2e/secret.js',
      '/tab/..%5csecret.js',
      '/tab/..\\secret.js',
      `/tab/${encodeURIComponent(join(base, 'secret.js'))}`,
      '/tab//etc/passwd',
      '/tab/%2fetc%2fpasswd',
      '/tab/secret.js%00.js',
      '/tab/link.js',
      '/tab/%252e%252e/secret.js',
      '/tab/....//secret.js',
    ];
    for (const path of attempts) {
      const res = await rawGet(url, path);
      assert.notEqual(res.status, 200, path);
      assert.ok(!res.body.includes(SECRET), `${path} leaked the file`);
    }
  });

  it('before the tab is built the server still answers: 404 saying how to build it', async () => {
    await start(join(base, 'not-built'));
    const res = await fetch(`${url}/tab/`);
    assert.equal(res.status, 404);
    assert.equal(await res.text(), 'The tab is not built yet: run npm run build.');
    assert.ok(res.headers.get('content-security-policy'));
    assert.equal((await fetch(`${url}/tab/main.js`)).status, 404);
  });
});

describe('tab pages in the running app: frame-ancestors by mode (real HTTP)', () => {
  let app: RunningApp;
  afterEach(async () => app.close());

  it("sandbox mode: Microsoft's hosts plus this server's own origin", async () => {
    app = await startSandboxApp();
    const res = await fetch(`${app.url}/tab/`);
    assert.deepEqual(directives(res.headers.get('content-security-policy')).get('frame-ancestors'), [...MICROSOFT_HOSTS, app.url]);
    assert.equal(res.headers.get('x-frame-options'), null);
    assert.equal(res.headers.get('strict-transport-security'), null, 'plain http on loopback: no HSTS');
  });

  it("production mode: exactly Microsoft's hosts, nothing local; and the tab API still needs a token", async () => {
    app = await startServer(
      loadConfig({
        BOT_ID: '11111111-2222-4333-8444-555555555555',
        BOT_PASSWORD: 'x',
        BOT_DOMAIN: 'presence.example.com',
        HOST: '127.0.0.1',
        PORT: '0',
        ...(await storageEnv()),
      }),
      { logger: silentLogger },
    );
    const res = await fetch(`${app.url}/tab/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.deepEqual(directives(csp).get('frame-ancestors'), MICROSOFT_HOSTS);
    assert.ok(!/127\.0\.0\.1|localhost|http:/.test(csp), csp);
    assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
    const map = await fetch(`${app.url}/tab/main.js.map`);
    assert.equal(map.status, 404);
    assert.equal(map.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
    for (const method of ['GET', 'POST', 'DELETE']) {
      const api = await fetch(`${app.url}/api/presence`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? '{"state":"Busy"}' : undefined,
      });
      assert.equal(api.status, 401, method);
      assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'unauthenticated');
    }
  });
});

/**
 * The bench's side of the standalone sandbox (bench/children.ts): it reads the connection string the banner
 * prints, keeps the Azurite in the data folder it was given, and finds that Azurite's process for the CPU probe.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SandboxChild, azuritePid, parseSandboxBanner } from '../../bench/children';

const ROOT = resolve(__dirname, '..', '..');

const BANNER = [
  'sandbox listening on http://127.0.0.1:46333',
  '',
  '  Start the app against it (the one you set):',
  "    SANDBOX_URL=http://127.0.0.1:46333 SANDBOX_CLIENT_SECRET=abc AZURE_STORAGE_CONNECTION_STRING='DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;TableEndpoint=http://127.0.0.1:42953/devstoreaccount1;' npm start",
  '',
].join('\n');

describe('bench: the standalone sandbox child', () => {
  it('reads the URL and the connection string, and waits for the whole command line', () => {
    assert.deepEqual(parseSandboxBanner(BANNER), {
      url: 'http://127.0.0.1:46333',
      storageConnectionString: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;TableEndpoint=http://127.0.0.1:42953/devstoreaccount1;',
    });
    assert.equal(parseSandboxBanner(BANNER.slice(0, BANNER.indexOf('TableEndpoint'))), undefined);
    assert.deepEqual(parseSandboxBanner('sandbox listening on http://127.0.0.1:1\n    SANDBOX_URL=http://127.0.0.1:1 SANDBOX_CLIENT_SECRET=abc npm start\n'), {
      url: 'http://127.0.0.1:1',
    });
  });

  it("starts sandbox/standalone.ts with its Azurite in the given folder and finds that Azurite's pid", async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'bench-sandbox-'));
    const dataDir = join(dir, 'data');
    let stopMs = 0;
    const sandbox = await SandboxChild.start(join(ROOT, 'sandbox', 'standalone.ts'), 'bench-test-secret', dataDir, {
      env: { PATH: process.env.PATH ?? '' },
      nodeFlags: ['--require', require.resolve('tsx/cjs')],
      log: join(dir, 'sandbox.log'),
    });
    try {
      assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(sandbox.storageConnectionString, /TableEndpoint=http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1;/);
      const pid = sandbox.storePid();
      assert.ok(pid && pid !== sandbox.pid, 'the Azurite child is found');
      assert.equal(azuritePid(join(dataDir, 'storage')), pid);
    } finally {
      const stopping = Date.now();
      await sandbox.stop();
      stopMs = Date.now() - stopping;
    }
    // The Azurite child releases the lock as it exits, a moment after the sandbox (it saves its data first).
    const lock = join(dataDir, 'storage', 'azurite.lock.json');
    for (let waited = 0; existsSync(lock) && waited < 5_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(existsSync(lock), false, 'the Azurite stopped with the sandbox');
    assert.ok(stopMs < 10_000, `the sandbox stopped in ${stopMs} ms, not at the bench's 15 s kill`);
    rmSync(dir, { recursive: true, force: true });
  });
});

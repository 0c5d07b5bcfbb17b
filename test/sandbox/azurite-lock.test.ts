/** One data folder, one Azurite: two starts at the same moment on one folder, and exactly one gets it. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AzuriteInUseError, startAzurite } from '../../sandbox/storage/azurite';

describe('the sandbox storage folder lock', function () {
  this.timeout(60_000);

  it('two Azurites started at once on one folder: one runs, the other stops with AzuriteInUseError', async () => {
    const location = fs.mkdtempSync(path.join(os.tmpdir(), 'presence-lock-'));
    try {
      const results = await Promise.allSettled([startAzurite({ location }), startAzurite({ location })]);
      const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      assert.equal(started.length, 1);
      assert.ok(refused[0] instanceof AzuriteInUseError, String(refused[0]));
      const lock = JSON.parse(fs.readFileSync(path.join(location, 'azurite.lock.json'), 'utf8')) as { pid: number };
      assert.equal(lock.pid, started[0]?.pid, 'the lock names the Azurite that runs');
      await started[0]?.stop();
      assert.ok(!fs.existsSync(path.join(location, 'azurite.lock.json')), 'stopping releases the folder');
    } finally {
      fs.rmSync(location, { recursive: true, force: true });
    }
  });
});

/**
 * `npm start` as a process manager or a closing terminal stops it: SIGTERM to npm itself. npm passes the signal
 * to its script's shell; the script `exec`s node, so the app is that process, gets the signal, stops its Azurite
 * and releases the data folder. (With a plain `a && node …` the shell took the signal and the app and its
 * Azurite lived on, holding the folder: the next `npm start` refused it.)
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alive, waitUntil } from '../support/processes';

const ROOT = path.resolve(__dirname, '../..');

function startNpm(dataDir: string): { child: ChildProcess; banner: Promise<string> } {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', SANDBOX_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  for (const name of [
    'BOT_ID',
    'BOT_PASSWORD',
    'MANAGED_IDENTITY_CLIENT_ID',
    'BOT_DOMAIN',
    'AZURE_STORAGE_CONNECTION_STRING',
    'STORAGE',
    'SANDBOX_URL',
    'NODE_ENV',
  ])
    delete env[name];
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const banner = new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no banner within 90 s:\n${out}`)), 90_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Bot endpoint\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/messages/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
  });
  return { child, banner };
}

describe('durability: SIGTERM to `npm start` stops the app and its Azurite, and a restart gets the folder', function () {
  this.timeout(180_000);
  let dataDir: string;
  const children: ChildProcess[] = [];

  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presence-npm-start-'));
  });
  after(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('within 5 s of SIGTERM to npm no app or Azurite is left, the lock is gone, and `npm start` again answers', async () => {
    const first = startNpm(dataDir);
    children.push(first.child);
    const url = await first.banner;
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'storage', 'azurite.lock.json'), 'utf8')) as { pid: number };
    assert.ok(alive(lock.pid), 'Azurite runs while the app does');

    first.child.kill('SIGTERM');
    const appPort = Number(new URL(url).port);
    assert.ok(await waitUntil(() => !alive(lock.pid), 5000), `Azurite (pid ${lock.pid}) still runs 5 s after SIGTERM to npm`);
    assert.ok(await waitUntil(() => !fs.existsSync(path.join(dataDir, 'storage', 'azurite.lock.json')), 5000), 'the data folder lock is released');
    await assert.rejects(fetch(`http://127.0.0.1:${appPort}/healthz`), 'the app no longer answers');

    const second = startNpm(dataDir);
    children.push(second.child);
    const again = await second.banner;
    assert.equal((await fetch(`${again}/healthz`)).status, 200);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  });
});

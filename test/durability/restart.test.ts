/**
 * Nothing is lost on restart: `npm run dev`'s own code path (server/main.ts, sandbox mode, the embedded Azurite
 * in a data folder of its own), killed with SIGKILL after "dnd 2h" and started again on the same folder. The
 * app's record and the Graph emulator's state both come back, and the killed app's Azurite does not linger.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SANDBOX_TENANT_ID, SANDBOX_USER_ID, cardText, chat, startConnector, type RecordingConnector } from '../support/connector';
import { alive, waitUntil } from '../support/processes';

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
}

const ROOT = path.resolve(__dirname, '../..');

/** Starts server/main.ts as `npm run dev` does and resolves with its URL from the banner. */
function startApp(dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', SANDBOX_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  for (const name of [
    'BOT_ID',
    'BOT_PASSWORD',
    'MANAGED_IDENTITY_CLIENT_ID',
    'BOT_DOMAIN',
    'BOT_TENANT_ID',
    'AZURE_STORAGE_CONNECTION_STRING',
    'AZURE_STORAGE_TABLE_URL',
    'STORAGE',
    'SANDBOX_URL',
    'NODE_ENV',
  ])
    delete env[name];
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', '--disable-warning=DEP0111', 'server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no banner within 45 s:\n${out}`)), 45_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Bot endpoint\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/messages/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('durability: a restart keeps what was set (SIGKILL, embedded Azurite)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let connector: RecordingConnector;
  let running: Started | undefined;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presence-restart-'));
    connector = await startConnector();
  });
  after(async () => {
    if (running) {
      running.child.kill('SIGTERM');
      await exited(running.child);
    }
    await connector.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const say = (url: string, text: string) => chat(url, connector, text, 10_000);

  async function tabView(url: string): Promise<{ presence: { availability: string; source: string }; preferred?: { state: string; expiresAt: string } }> {
    const sso = (await (
      await fetch(`${url}/sandbox/identity/_sso`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: SANDBOX_USER_ID, tenantId: SANDBOX_TENANT_ID }),
      })
    ).json()) as { token: string };
    const res = await fetch(`${url}/api/presence`, { headers: { authorization: `Bearer ${sso.token}` } });
    assert.equal(res.status, 200);
    return (await res.json()) as { presence: { availability: string; source: string }; preferred?: { state: string; expiresAt: string } };
  }

  it('"dnd 2h", kill -9, start again: status and GET /api/presence still say Do not disturb, set by this app, until the same time', async () => {
    const first = await startApp(dataDir);
    running = first;
    const set = await say(first.url, 'dnd 2h');
    assert.match(cardText(set), /Do not disturb/);
    const before = await tabView(first.url);
    assert.equal(before.preferred?.state, 'DoNotDisturb');
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'storage', 'azurite.lock.json'), 'utf8')) as { pid: number };

    first.child.kill('SIGKILL');
    await exited(first.child);
    running = undefined;
    // The killed app's Azurite sees its parent go, saves its data and exits: no orphan holds the folder.
    assert.ok(await waitUntil(() => !alive(lock.pid), 10_000), `Azurite ${lock.pid} outlived its app`);

    const second = await startApp(dataDir);
    running = second;
    const after = await tabView(second.url);
    assert.equal(after.presence.availability, 'DoNotDisturb', 'the Graph emulator kept its state');
    assert.equal(after.presence.source, 'preferred', 'the app knows it set it');
    assert.deepEqual(after.preferred, before.preferred, 'the same end time');
    const status = await say(second.url, 'status');
    assert.match(cardText(status), /Do not disturb ends at/);
  });

  it('a second app on a folder in use stops with a sentence saying how to run several (and leaves the folder to the first)', async () => {
    assert.ok(running, 'the app of the previous test still runs');
    await assert.rejects(startApp(dataDir), (err: unknown) => /is in use by another process.*npm run sandbox.*SANDBOX_DATA_DIR/s.test(String(err)));
    const view = await tabView(running.url);
    assert.equal(view.preferred?.state, 'DoNotDisturb', 'the first app still works on its data');
  });
});

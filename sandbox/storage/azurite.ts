/**
 * Starts Azurite (Microsoft's Azure Storage emulator, Table service) on loopback in a child process: the
 * embedded store of sandbox mode, `npm run sandbox`'s store, and the tests' store. The app reaches it through
 * the same connection-string path as any Azure Storage account.
 *
 * A data folder is used by one Azurite at a time: a lock file in it names the process (and its connection
 * string, for inspection), so a second `npm start` on the same folder stops with a sentence instead of
 * corrupting its files.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Azurite's well-known development account (documented by Microsoft; not a secret). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const LOCK_FILE = 'azurite.lock.json';

export interface AzuriteOptions {
  /** The data folder, or 'memory' for Azurite's in-memory persistence (tests). */
  readonly location: string;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly startTimeoutMs?: number;
}

export interface RunningAzurite {
  readonly connectionString: string;
  readonly tableEndpoint: string;
  readonly location: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export class AzuriteInUseError extends Error {
  constructor(
    readonly location: string,
    readonly pid: number,
  ) {
    super(
      `The sandbox storage folder ${location} is in use by another process (pid ${pid}), an app or sandbox already running. ` +
        'Several instances share one sandbox and one store: stop it, run `npm run sandbox`, and start each instance as it prints. ' +
        'Or give this one a folder of its own with SANDBOX_DATA_DIR.',
    );
    this.name = 'AzuriteInUseError';
  }
}

interface Lock {
  readonly pid: number;
  readonly connectionString: string;
}

export function connectionStringFor(tableEndpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=${tableEndpoint};`;
}

export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const persistent = options.location !== 'memory';
  const location = persistent ? path.resolve(options.location) : 'memory';
  const lockPath = path.join(location, LOCK_FILE);
  if (persistent) await acquireLock(lockPath);
  const child = forkChild([location, host, String(options.port ?? 0)]);
  let port: number;
  try {
    port = await readyPort(child, options.startTimeoutMs ?? 20_000);
  } catch (err) {
    if (persistent) fs.rmSync(lockPath, { force: true });
    throw err;
  }
  const tableEndpoint = `http://${host}:${port}/${DEV_ACCOUNT}`;
  const connectionString = connectionStringFor(tableEndpoint);
  const pid = child.pid ?? 0;
  // From now on the lock names Azurite itself: it outlives this process by the moments it takes to save and exit.
  if (persistent) fs.writeFileSync(lockPath, JSON.stringify({ pid, connectionString } satisfies Lock));
  // The app may exit without stopping it (a crash): the child then sees its IPC channel close and exits itself.
  child.unref();
  child.channel?.unref();
  let stopped: Promise<void> | undefined;
  return {
    connectionString,
    tableEndpoint,
    location,
    pid,
    stop: () => {
      stopped ??= stopChild(child).then(() => {
        if (persistent) fs.rmSync(path.join(location, LOCK_FILE), { force: true });
      });
      return stopped;
    },
  };
}

function forkChild(args: string[]): ChildProcess {
  // From the sources (tsx: tests, npm run dev) the child is TypeScript too; from dist it is the compiled file.
  const fromSources = __filename.endsWith('.ts');
  const file = path.join(__dirname, `azurite-child${fromSources ? '.ts' : '.js'}`);
  return fork(file, args, {
    execArgv: fromSources ? ['--require', 'tsx/cjs'] : [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
}

function readyPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`Azurite did not start: ${why}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    child.once('exit', (code) => fail(`it exited (code ${code})`));
    child.once('message', (message: { ready?: boolean; port?: number; error?: string }) => {
      if (!message.ready || typeof message.port !== 'number') return fail(message.error ?? 'no port');
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stderr?.removeAllListeners('data');
      child.stderr?.destroy();
      resolve(message.port);
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // Closing the server saves Azurite's database to the data folder.
    if (child.connected) child.send('shutdown');
    else child.kill('SIGTERM');
  });
}

/**
 * Takes the folder's lock: created only if absent (`wx`, atomic in the file system), first in this process's
 * name. A lock whose owner is gone is taken over; a live owner is given a few seconds (a killed app's Azurite,
 * saving and exiting), then the folder counts as in use.
 */
async function acquireLock(lockPath: string): Promise<void> {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify({ pid: process.pid, connectionString: '' } satisfies Lock), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const lock = readLock(lockPath);
    // An unreadable lock may be one being written this instant: only an old one is taken over.
    if (lock ? !alive(lock.pid) : ageMs(lockPath) > 10_000) {
      fs.rmSync(lockPath, { force: true });
      continue;
    }
    if (waited >= 5000) throw new AzuriteInUseError(path.dirname(lockPath), lock?.pid ?? 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function readLock(lockPath: string): Lock | undefined {
  try {
    const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Partial<Lock>;
    return typeof lock.pid === 'number' && typeof lock.connectionString === 'string' ? { pid: lock.pid, connectionString: lock.connectionString } : undefined;
  } catch {
    return undefined;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

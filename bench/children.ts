/** The orchestrator's side of its child processes: bot servers, the load generator and the standalone sandbox. */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FromLoadgen, FromServer, LoadResult, LoadSpec, ServerStats, ToLoadgen, ToServer } from './protocol';

/** As `npm start` runs the app. */
export const NODE_FLAGS = ['--disable-warning=DEP0111'] as const;
const START_TIMEOUT_MS = 30_000;

export interface ChildOptions {
  /**
   * The child's whole environment (default: this process's). The orchestrator passes its childEnv(), which has the
   * app's variables cleared; spreading this process's environment under it would bring them back.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra node flags, e.g. --cpu-prof or --expose-gc. */
  readonly nodeFlags?: readonly string[];
  /** Where the child's stdout and stderr go. */
  readonly log: string;
}

/** Children that died without being asked to: a crash, which fails the bench. */
export const crashes: string[] = [];

abstract class Child<In, Out extends { type: string }> {
  private stopping = false;
  private readonly exited: Promise<number | null>;

  protected constructor(
    readonly name: string,
    protected readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (!this.stopping) crashes.push(`${name} exited (${signal ?? `code ${code ?? '?'}`})`);
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  protected send(message: In): void {
    this.child.send(message as object);
  }

  /** The next message that `match`es, or a rejection if the child exits first (or after `timeoutMs`, if not 0). */
  protected next<T extends Out>(what: string, match: (m: Out) => m is T, timeoutMs = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = () => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (timer) clearTimeout(timer);
      };
      const onMessage = (m: Out) => {
        if (match(m)) {
          cleanup();
          resolve(m);
        }
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`${this.name} exited while the bench waited for ${what}`));
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      if (timeoutMs)
        timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms`));
        }, timeoutMs);
    });
  }

  /** Asks it to stop (a normal exit, so --cpu-prof writes its profile); kills it if it does not within 15 s. */
  async stop(stopMessage?: In): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.stopping = true;
    if (stopMessage !== undefined && this.child.connected) this.send(stopMessage);
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

function forkWithLog(script: string, options: ChildOptions): ChildProcess {
  const fd = openSync(options.log, 'a');
  try {
    return fork(script, [], {
      execArgv: [...NODE_FLAGS, ...(options.nodeFlags ?? [])],
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd, 'ipc'],
    });
  } finally {
    closeSync(fd);
  }
}

/** A bot server (bench/app-entry.ts or bench/echo-bot.ts) with the IPC channel of bench/server-child.ts. */
export class ServerChild extends Child<ToServer, FromServer> {
  private ids = 0;

  private constructor(
    name: string,
    child: ChildProcess,
    readonly url: string,
  ) {
    super(name, child);
  }

  static async start(name: string, script: string, options: ChildOptions): Promise<ServerChild> {
    const child = forkWithLog(script, options);
    const ready = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not ready within ${START_TIMEOUT_MS} ms (see ${options.log})`)), START_TIMEOUT_MS);
      child.on('message', (m: FromServer) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve(m.url);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (code ${code ?? '?'}) before it was ready (see ${options.log})`));
      });
    });
    return new ServerChild(name, child, ready);
  }

  /** Switches the child's telemetry on or off (an app started with BENCH_TELEMETRY_SWITCH), once it says it has. */
  async telemetry(on: boolean): Promise<void> {
    const id = ++this.ids;
    const reply = this.next('telemetry', (m): m is Extract<FromServer, { type: 'telemetry' }> => m.type === 'telemetry' && m.id === id, 30_000);
    this.send({ type: 'telemetry', id, on });
    await reply;
  }

  async stats(gc = false): Promise<ServerStats> {
    const id = ++this.ids;
    const reply = this.next('stats', (m): m is Extract<FromServer, { type: 'stats' }> => m.type === 'stats' && m.id === id, 30_000);
    this.send({ type: 'stats', id, gc });
    return (await reply).stats;
  }

  override stop(): Promise<void> {
    return super.stop({ type: 'stop' });
  }
}

/** bench/loadgen.ts. */
export class LoadgenChild extends Child<ToLoadgen, FromLoadgen> {
  private ids = 0;

  static async start(script: string, options: ChildOptions): Promise<LoadgenChild> {
    const child = forkWithLog(script, options);
    const loadgen = new LoadgenChild('load generator', child);
    await loadgen.next('ready', (m): m is FromLoadgen => m.type === 'ready', START_TIMEOUT_MS);
    return loadgen;
  }

  async run(spec: LoadSpec): Promise<LoadResult> {
    const id = ++this.ids;
    const done = this.next('a load result', (m): m is Extract<FromLoadgen, { type: 'result' | 'error' }> => m.type !== 'ready' && m.id === id);
    this.send({ type: 'run', id, spec });
    const outcome = await done;
    if (outcome.type === 'error') throw new Error(`load generator: ${outcome.message}`);
    return outcome.result;
  }

  override stop(): Promise<void> {
    return super.stop({ type: 'stop' });
  }
}

/** What the standalone sandbox's banner says: its URL and the connection string of the Azurite it hosts. */
export interface SandboxBanner {
  readonly url: string;
  /** Undefined when it hosts no store (STORAGE=memory): app instances would then each start their own. */
  readonly storageConnectionString?: string;
}

/**
 * Reads the banner of sandbox/standalone.ts as far as it has come: undefined until the "Start the app against it"
 * command line is complete (it ends with `npm start`), so a banner split across chunks is not read half-way.
 */
export function parseSandboxBanner(text: string): SandboxBanner | undefined {
  const url = /sandbox listening on (http:\/\/\S+)/.exec(text)?.[1];
  const start = /SANDBOX_URL=\S+ SANDBOX_CLIENT_SECRET=\S+( AZURE_STORAGE_CONNECTION_STRING='([^']*)')? npm start/.exec(text);
  if (!url || !start) return undefined;
  return { url, ...(start[2] ? { storageConnectionString: start[2] } : {}) };
}

/**
 * sandbox/standalone.ts in its own process, with its data (the Azurite it hosts: the Graph emulator's table and
 * every app instance's) in `dataDir`, a folder of this run's own; its banner gives the URL and connection string.
 */
export class SandboxChild extends Child<never, never> {
  private constructor(
    child: ChildProcess,
    readonly url: string,
    readonly clientSecret: string,
    readonly storageConnectionString: string,
    readonly dataDir: string,
  ) {
    super('standalone sandbox', child);
  }

  static async start(script: string, clientSecret: string, dataDir: string, options: ChildOptions): Promise<SandboxChild> {
    const child = spawn(process.execPath, [...NODE_FLAGS, ...(options.nodeFlags ?? []), script], {
      env: { ...(options.env ?? process.env), SANDBOX_PORT: '0', SANDBOX_CLIENT_SECRET: clientSecret, SANDBOX_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(options.log, { flags: 'a' });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const banner = await new Promise<SandboxBanner>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`standalone sandbox not ready within ${START_TIMEOUT_MS} ms (see ${options.log})`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        const parsed = parseSandboxBanner(seen);
        if (parsed) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          resolve(parsed);
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`standalone sandbox exited (code ${code ?? '?'}) (see ${options.log})`));
      });
    });
    const sandbox = new SandboxChild(child, banner.url, clientSecret, banner.storageConnectionString ?? '', dataDir);
    if (!banner.storageConnectionString) {
      await sandbox.stop();
      throw new Error(
        `the standalone sandbox printed no AZURE_STORAGE_CONNECTION_STRING (see ${options.log}): the app instances would each start an Azurite of their own`,
      );
    }
    return sandbox;
  }

  /**
   * The pid of the Azurite it hosts (its child), from the lock file Azurite's launcher writes in the data folder
   * (sandbox/storage/azurite.ts); undefined when there is none, or it is not this sandbox's child.
   */
  storePid(): number | undefined {
    const pid = azuritePid(join(this.dataDir, 'storage'));
    return pid !== undefined && parentPid(pid) === this.pid ? pid : undefined;
  }
}

/** The pid in `<location>/azurite.lock.json`, where sandbox/storage/azurite.ts records the Azurite using that folder. */
export function azuritePid(location: string): number | undefined {
  try {
    const lock = JSON.parse(readFileSync(join(location, 'azurite.lock.json'), 'utf8')) as { pid?: unknown };
    return typeof lock.pid === 'number' && lock.pid > 0 ? lock.pid : undefined;
  } catch {
    return undefined;
  }
}

/** A process's parent pid, from /proc (field 4 of proc(5)). */
function parentPid(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in milliseconds, from /proc; undefined where there is no /proc. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5) (utime, stime), counted from the state field (3).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU time the whole machine has been busy (all cores, every process), in milliseconds, from /proc/stat. */
export function machineBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return (((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in bytes, from /proc. */
export function processRssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `npm run bench` (a few minutes) and `npm run bench:smoke` (seconds, for CI): how fast a command turns into a
 * presence change, side by side with botbuilder's own floor in the same run. See BENCHMARKS.md.
 *
 * Processes: this one (orchestrator and the connector stand-in both bots reply to), the load generator, the
 * baseline echo bot, the app in sandbox mode, and the sandbox (Graph emulator + identity issuer) on its own, so
 * the app's CPU is what is measured, with the store (Azurite) it hosts as its child. All but this one run
 * compiled JavaScript, as `npm start` does. Every process that holds data gets a folder of this run's own under
 * bench-output/logs/<run>/data (never the developer's .sandbox), and every app instance its own tables.
 *
 * Flags: --smoke (CI size; exits 1 only when something is broken: errors, a crash, wrong token counts, a store
 * write too many or too few; never on timing), --profile (the app under load runs with `node --cpu-prof`; the
 * profile is summarized; figures from a profiled run are not comparable), --memory-store (the app instances keep
 * their records in memory, STORAGE=memory, instead of the sandbox's Azurite: what the store costs the app, by
 * difference; not the product's path). Runs with either flag do not replace bench-output/latest.json.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { ENV_VARS } from '../server/config';
import type { StoreStats } from '../storage/counting-store';
import { buildForBench } from './build';
import { startIngestion, type Ingestion } from './ingestion';
import { LoadgenChild, NODE_FLAGS, SandboxChild, ServerChild, crashes, machineBusyMs, processCpuMs, processRssBytes } from './children';
import { startBenchConnector, type BenchConnector, type ReplyCounts } from './connector';
import { parserBench, tokenPathBench, type ParserResult, type TokenPathResult } from './micro';
import { shareOfFiles, summarizeProfile } from './profile';
import { benchActivity, type LoadResult, type LoadSpec } from './protocol';
import { median, percentile, round } from './stats';
import {
  WRITES_PER_TIMED_SET,
  printReport,
  type BenchReport,
  type CpuRatios,
  type MemoryPoint,
  type Plan,
  type ProfileReport,
  type StoreOps,
  type TabResult,
  type TelemetryFigures,
  type TurnFigures,
} from './report';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'bench-output');

const PLANS: Readonly<Record<Plan['name'], Plan>> = {
  full: {
    name: 'full',
    users: 200,
    tenants: 20,
    connections: 20,
    rounds: 4,
    roundMs: 3_000,
    warmupMs: 2_000,
    telemetryWarmupMs: 20_000,
    tokenCommands: 1_000,
    memoryUsers: 10_000,
    memorySteps: 4,
    memoryTenants: 100,
    overCapacityUsers: 2_500,
    tokenCacheSize: 10_000,
    startupRuns: 5,
    microMs: 1_000,
  },
  smoke: {
    name: 'smoke',
    users: 200,
    tenants: 20,
    connections: 20,
    rounds: 1,
    roundMs: 1_000,
    warmupMs: 300,
    telemetryWarmupMs: 300,
    tokenCommands: 400,
    memoryUsers: 300,
    memorySteps: 1,
    memoryTenants: 10,
    overCapacityUsers: 100,
    tokenCacheSize: 300,
    startupRuns: 1,
    microMs: 100,
  },
};

/** `dnd 8h`-style commands: each is one preferred-presence change, one Graph call. */
const COMMANDS = ['dnd 8h', 'busy 1h30m', 'available 45 minutes', 'brb 15m', 'away 2 hours', 'dnd 90', 'offline 4h'];
const APP_REPLY = /"summary":"Your status is /;
/** The `status` reply of a user the app set something for: the store's record was read (bot/replies.ts). */
const STATUS_REPLY = /"summary":"Your status is [^"]* ends at /;
const ECHO_REPLY = /"text":"Echo: /;
/** User index ranges per phase, so no phase meets another's users. */
const USERS = { load: 0, memoryWarm: 500_000, memory: 1_000_000, startup: 9_000_000 };

interface CpuProbe {
  readonly name: string;
  readonly read: () => number | undefined;
}

class Accumulator {
  private latencies: number[] = [];
  private ok = 0;
  private ms = 0;
  private readonly failures: Record<string, number> = {};
  private replies = 0;
  private unexpected = 0;
  private readonly samples: string[] = [];
  private readonly cpu = new Map<string, number | undefined>();

  add(result: LoadResult, counts: ReplyCounts, cpu: ReadonlyMap<string, number | undefined>): void {
    this.latencies = this.latencies.concat(result.latenciesMs);
    this.ok += result.ok;
    this.ms += result.elapsedMs;
    for (const [key, n] of Object.entries(result.failures)) this.failures[key] = (this.failures[key] ?? 0) + n;
    this.replies += counts.replies;
    this.unexpected += counts.unexpected;
    this.samples.push(...counts.samples.slice(0, 3 - this.samples.length));
    for (const [name, ms] of cpu) {
      const sum = this.cpu.has(name) ? this.cpu.get(name) : 0;
      this.cpu.set(name, sum === undefined || ms === undefined ? undefined : sum + ms);
    }
  }

  figures(): TurnFigures {
    const failed = Object.values(this.failures).reduce((a, b) => a + b, 0);
    const missing = Math.max(0, this.ok - this.replies);
    const cpuMsPerTurn: Record<string, number | undefined> = {};
    let ours = 0;
    for (const [name, ms] of this.cpu) {
      if (name === MACHINE) continue;
      cpuMsPerTurn[name] = ms === undefined || !this.ok ? undefined : round(ms / this.ok, 3);
      ours += ms ?? 0;
    }
    const machine = this.cpu.get(MACHINE);
    return {
      turns: this.ok,
      seconds: round(this.ms / 1000, 2),
      turnsPerSecond: round(this.ok / (this.ms / 1000), 1),
      p50Ms: round(percentile(this.latencies, 0.5), 2),
      p90Ms: round(percentile(this.latencies, 0.9), 2),
      p99Ms: round(percentile(this.latencies, 0.99), 2),
      maxMs: round(Math.max(...this.latencies, 0), 2),
      errors: failed + missing + this.unexpected,
      failures: { ...this.failures, ...(missing ? { 'missing replies': missing } : {}), ...(this.unexpected ? { 'unexpected replies': this.unexpected } : {}) },
      unexpectedReplies: [...this.samples],
      cpuMsPerTurn,
      backgroundCpuPercent: machine === undefined || !this.ms ? undefined : round((100 * Math.max(0, machine - ours)) / (this.ms * cpus().length), 0),
    };
  }
}

/** The probe for the whole machine's CPU: what is not the bench's own processes is background noise. */
const MACHINE = 'machine';

/** Runs one load and accounts for it: replies checked against `expected`, CPU per process over exactly that run. */
async function measured(
  loadgen: LoadgenChild,
  connector: BenchConnector,
  spec: LoadSpec,
  expected: RegExp,
  probes: readonly CpuProbe[],
  ...into: Accumulator[]
): Promise<LoadResult> {
  connector.expect(expected);
  const before = probes.map((p) => p.read());
  const result = await loadgen.run(spec);
  const after = probes.map((p) => p.read());
  const cpu = new Map(
    probes.map((p, i) => {
      const a = after[i];
      const b = before[i];
      return [p.name, a === undefined || b === undefined ? undefined : a - b] as const;
    }),
  );
  const counts = connector.counts();
  for (const figures of into) figures.add(result, counts, cpu);
  return result;
}

function thisProcessCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The bot process's CPU per turn in one telemetry round, with telemetry switched off and on. */
interface RoundCpu {
  readonly off: number;
  readonly on: number;
}

/** CPU per turn with telemetry on over off, in one instance: over all its rounds, and the median and range of each round's own ratio. */
function ratios(on: TurnFigures, off: TurnFigures, rounds: readonly RoundCpu[]): CpuRatios {
  const sorted = rounds
    .map((r) => r.on / r.off)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return {
    cpuRatio: round((on.cpuMsPerTurn.bot ?? Number.NaN) / (off.cpuMsPerTurn.bot ?? Number.NaN), 3),
    medianRatio: round(median(sorted), 3),
    roundRange: [round(sorted[0] ?? Number.NaN, 2), round(sorted[sorted.length - 1] ?? Number.NaN, 2)],
  };
}

/**
 * Telemetry on against off, each instance against itself: CPU per turn of the bot's process, and what reached the
 * ingestion stand-in per turn with telemetry on. The target is read on the deployed sampling's median round ratio.
 */
async function telemetryFigures(
  ...variants: { server: ServerChild; ingestion: Ingestion; on: Accumulator; off: Accumulator; sent: Accumulator; rounds: readonly RoundCpu[] }[]
): Promise<TelemetryFigures> {
  const [on, all] = await Promise.all(
    variants.map(async (t) => {
      await t.server.stop();
      const [turns, off] = [t.on.figures(), t.off.figures()];
      const sent = t.sent.figures().turns;
      return {
        turns,
        off,
        ...ratios(turns, off, t.rounds),
        envelopesPerTurn: round(t.ingestion.envelopes.length / sent, 2),
        kilobytesPerTurn: round(t.ingestion.bytes() / 1024 / sent, 2),
      };
    }),
  );
  if (!on || !all) throw new Error('two telemetry variants expected');
  return { on, everyTrace: all, target: { cpuRatio: 1.1, met: on.medianRatio <= 1.1 } };
}

/** The app's variables cleared, so a developer's shell (BOT_ID, LOG_LEVEL, ...) cannot change what is measured. */
function childEnv(extra: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !(key in ENV_VARS)) env[key] = value;
  return { ...env, ...extra };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Milliseconds from spawning `script` to the first 200 answer to a message activity (a whole turn, reply sent). */
async function timeToFirstAnswer(script: string, env: Readonly<Record<string, string>>, connector: BenchConnector, user: number, log: string): Promise<number> {
  const port = await freePort();
  const body = JSON.stringify(benchActivity(connector.url, user, 1, 'dnd 8h', user));
  const fd = openSync(log, 'a');
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, script], { env: childEnv({ ...env, PORT: String(port) }), stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  try {
    for (;;) {
      if (performance.now() - started > 30_000) throw new Error(`${script}: no answer within 30 s (see ${log})`);
      if (child.exitCode !== null) throw new Error(`${script} exited (code ${child.exitCode}) before answering (see ${log})`);
      try {
        const res = await request(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await res.body.dump();
        if (res.statusCode === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await sleep(2);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function getJson<T>(url: string): Promise<T> {
  const res = await request(url);
  return (await res.body.json()) as T;
}

interface IdentityStats {
  readonly ssoTokensIssued: number;
  readonly oboExchanges: number;
}
interface GraphRequest {
  readonly userId: string | null;
  readonly status: number;
  readonly path: string;
}

/** Store operations between two counter readings; undefined when the app did not report them. */
function storeDiff(before: StoreStats | undefined, after: StoreStats | undefined): StoreStats | undefined {
  if (!before || !after) return undefined;
  return {
    reads: after.reads - before.reads,
    writes: after.writes - before.writes,
    deletes: after.deletes - before.deletes,
    lists: after.lists - before.lists,
  };
}

function gitDescription(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() ? ' (with uncommitted changes)' : '';
    return `${commit}${dirty}`;
  } catch {
    return 'unknown';
  }
}

/** Warnings and errors the app logged (JSON lines): a Graph retry or a failed turn shows here even when the reply looks fine. */
function logProblems(path: string): { warn: number; error: number; samples: string[] } {
  if (!existsSync(path)) return { warn: 0, error: 0, samples: [] };
  const lines = readFileSync(path, 'utf8').split('\n');
  const warn = lines.filter((l) => l.includes('"level":"warn"'));
  const error = lines.filter((l) => l.includes('"level":"error"') || /^(Error|TypeError|RangeError|Unhandled)/.test(l));
  return { warn: warn.length, error: error.length, samples: [...error, ...warn].slice(0, 3).map((l) => l.slice(0, 240)) };
}

/**
 * tab/bench.ts, written with the tab (JavaScript bytes gzipped, time to usable buttons in headless Chromium):
 * run if it exists, its report kept as it prints it. A non-zero exit with a report (a budget missed) is a
 * figure, not a breakage; no report at all is a failure.
 */
function runTabBench(plan: Plan, dataDir: string): TabResult {
  const script = join(ROOT, 'tab', 'bench.ts');
  if (!existsSync(script)) return { status: 'not built yet' };
  if (plan.name === 'smoke') return { status: 'skipped in smoke' };
  // It starts the app with the embedded Azurite in <cwd>/.sandbox (loadConfig({ PORT: '0' }), not the environment),
  // so it runs in a folder of this run's own: the developer's .sandbox stays untouched and free. Its paths are its own.
  mkdirSync(dataDir, { recursive: true });
  const run = spawnSync(process.execPath, [...NODE_FLAGS, '--require', require.resolve('tsx/cjs'), script], {
    cwd: dataDir,
    encoding: 'utf8',
    timeout: 300_000,
    env: childEnv({}),
  });
  const stdout = (run.stdout ?? '').trim();
  if (!stdout) return { status: 'failed', exitCode: run.status, output: `${run.error?.message ?? ''}${(run.stderr ?? '').slice(-500)}` };
  try {
    return { status: 'ran', exitCode: run.status, output: JSON.parse(stdout) as unknown };
  } catch {
    return { status: 'ran', exitCode: run.status, output: stdout };
  }
}

/** The newest CPU profile `node --cpu-prof` wrote in `dir`, summarized. */
function profileIn(dir: string): ProfileReport | undefined {
  if (!existsSync(dir)) return undefined;
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  return file
    ? { file, summary: summarizeProfile(file, 20), parserPercent: round(shareOfFiles(file, ['/bot/parse.js', '/bot/duration-text.js']), 2) }
    : undefined;
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const plan = PLANS[args.has('--smoke') ? 'smoke' : 'full'];
  const profiling = args.has('--profile');
  const memoryStore = args.has('--memory-store');
  const variant = [...(profiling ? ['profiling'] : []), ...(memoryStore ? ['app store in memory'] : [])];
  const started = Date.now();
  const startLoad = loadavg().map((l) => round(l, 2));
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const logs = join(OUT, 'logs', stamp);
  mkdirSync(logs, { recursive: true });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`bench (${[plan.name, ...variant].join(', ')}): Node ${process.version}, ${cpus().length} CPUs; logs in ${logs}`);

  const built = await buildForBench(ROOT, join(OUT, 'build'));
  if (built.typeErrors)
    say(`NOTE: tsc reported type errors (it still emitted; the bench runs what it emitted):\n${built.typeErrors.split('\n').slice(0, 10).join('\n')}`);
  const js = (path: string) => join(built.outdir, path.replace(/\.ts$/, '.js'));

  say('· command parser and token path (in-process)');
  const parser: ParserResult = parserBench(plan.microMs);
  const tokenPath: TokenPathResult = await tokenPathBench(plan.microMs);

  const connector = await startBenchConnector();
  const secret = randomBytes(24).toString('base64url');
  // The store's data, this run's own: the standalone sandbox hosts an Azurite there; in-process runs get theirs.
  const data = join(logs, 'data');
  const sandbox = await SandboxChild.start(js('sandbox/standalone.ts'), secret, join(data, 'sandbox'), {
    env: childEnv({ SANDBOX_REQUEST_LOG: String(Math.max(2_000, plan.tokenCommands * 2)) }),
    log: join(logs, 'sandbox.log'),
  });
  const storeProbe = (): number | undefined => {
    const pid = sandbox.storePid();
    return pid === undefined ? undefined : processCpuMs(pid);
  };
  if (storeProbe() === undefined) say("NOTE: the store's process (the sandbox's Azurite) was not found: its CPU is not reported");
  let instances = 0;
  /**
   * An app instance against the standalone sandbox: its Graph, issuer and Azurite, and tables of its own (bench1users, ...).
   * With --memory-store its records stay in its memory instead (the emulator still keeps its state in the Azurite).
   */
  const remoteEnv = (): Record<string, string> => ({
    SANDBOX_URL: sandbox.url,
    SANDBOX_CLIENT_SECRET: secret,
    ...(memoryStore
      ? { STORAGE: 'memory' }
      : { AZURE_STORAGE_CONNECTION_STRING: sandbox.storageConnectionString, AZURE_STORAGE_TABLE_PREFIX: `bench${++instances}` }),
  });
  const children: { stop(): Promise<void> }[] = [sandbox];
  const stopAll = () => Promise.all(children.map((c) => c.stop().catch(() => undefined)));

  try {
    say(`· start-up to first answered request (${plan.startupRuns} run${plan.startupRuns > 1 ? 's' : ''} each)`);
    const startup = { echo: [] as number[], app: [] as number[], appInProcessSandbox: [] as number[] };
    for (let i = 0; i < plan.startupRuns; i++) {
      startup.echo.push(await timeToFirstAnswer(js('bench/echo-bot.ts'), {}, connector, USERS.startup + 3 * i, join(logs, 'startup.log')));
      startup.app.push(await timeToFirstAnswer(js('server/main.ts'), remoteEnv(), connector, USERS.startup + 3 * i + 1, join(logs, 'startup.log')));
      // As `npm start` runs it: the sandbox mounted and the embedded Azurite started, in a fresh data folder each time.
      const inProcessData = { SANDBOX_DATA_DIR: join(data, `startup-${i + 1}`) };
      startup.appInProcessSandbox.push(
        await timeToFirstAnswer(js('server/main.ts'), inProcessData, connector, USERS.startup + 3 * i + 2, join(logs, 'startup.log')),
      );
    }

    const profileDir = join(OUT, 'profiles', stamp);
    const loadgen = await LoadgenChild.start(js('bench/loadgen.ts'), { env: childEnv({}), log: join(logs, 'loadgen.log') });
    children.push(loadgen);
    const echo = await ServerChild.start('echo bot', js('bench/echo-bot.ts'), { env: childEnv({ PORT: '0' }), log: join(logs, 'echo.log') });
    children.push(echo);
    const appLog = join(logs, 'app.log');
    const app = await ServerChild.start('app', js('bench/app-entry.ts'), {
      env: childEnv({ PORT: '0', ...remoteEnv() }),
      nodeFlags: profiling ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      log: appLog,
    });
    children.push(app);
    const probes = (server: ServerChild): CpuProbe[] => [
      { name: 'bot', read: () => processCpuMs(server.pid) },
      { name: 'sandbox', read: () => processCpuMs(sandbox.pid) },
      { name: 'store', read: storeProbe },
      { name: 'loadgen', read: () => processCpuMs(loadgen.pid) },
      { name: 'connector', read: thisProcessCpuMs },
      { name: MACHINE, read: machineBusyMs },
    ];
    const spec = (url: string, extra: Partial<LoadSpec>): LoadSpec => ({
      url,
      serviceUrl: connector.url,
      connections: plan.connections,
      users: { first: USERS.load, count: plan.users, tenants: plan.tenants },
      commands: COMMANDS,
      ...extra,
    });

    say(`· token work: ${plan.tokenCommands} commands from ${plan.users} new users`);
    await request(`${sandbox.url}/sandbox/graph/_requests`, { method: 'DELETE' }).then((r) => r.body.dump());
    const idBefore = await getJson<IdentityStats>(`${sandbox.url}/sandbox/identity/_stats`);
    const tokenStatsBefore = await app.stats();
    const brokerBefore = tokenStatsBefore.tokens;
    const tokenTurns = new Accumulator();
    await measured(loadgen, connector, spec(app.url, { requests: plan.tokenCommands }), APP_REPLY, probes(app), tokenTurns);
    const idAfter = await getJson<IdentityStats>(`${sandbox.url}/sandbox/identity/_stats`);
    const tokenStatsAfter = await app.stats();
    const brokerAfter = tokenStatsAfter.tokens;
    const tokenStoreOps = storeDiff(tokenStatsBefore.store, tokenStatsAfter.store);
    const graphRequests = (await getJson<{ requests: GraphRequest[] }>(`${sandbox.url}/sandbox/graph/_requests`)).requests;
    const perUser = new Map<string, number>();
    for (const r of graphRequests) perUser.set(r.userId ?? '?', (perUser.get(r.userId ?? '?') ?? 0) + 1);
    const commandsPerUser = plan.tokenCommands / plan.users;
    const tokenWork = {
      commands: plan.tokenCommands,
      users: plan.users,
      ssoTokensIssued: idAfter.ssoTokensIssued - idBefore.ssoTokensIssued,
      ssoValidations: (brokerAfter?.ssoValidations ?? 0) - (brokerBefore?.ssoValidations ?? 0),
      oboExchanges: idAfter.oboExchanges - idBefore.oboExchanges,
      brokerExchanges: (brokerAfter?.exchanges ?? 0) - (brokerBefore?.exchanges ?? 0),
      cacheHits: (brokerAfter?.cacheHits ?? 0) - (brokerBefore?.cacheHits ?? 0),
      graphCalls: graphRequests.length,
      graphNot200: graphRequests.filter((r) => r.status !== 200).length,
      usersWithOtherThanExpectedGraphCalls: [...perUser.values()].filter((n) => n !== commandsPerUser).length + Math.max(0, plan.users - perUser.size),
      turns: tokenTurns.figures(),
    };
    const per1000 = (n: number) => round((n * 1000) / plan.tokenCommands, 0);
    const tokenWorkOk =
      tokenWork.oboExchanges === plan.users &&
      tokenWork.ssoTokensIssued === plan.users &&
      tokenWork.ssoValidations === plan.users &&
      tokenWork.graphCalls === plan.tokenCommands &&
      tokenWork.graphNot200 === 0 &&
      tokenWork.usersWithOtherThanExpectedGraphCalls === 0 &&
      tokenWork.turns.errors === 0;

    // Telemetry: two more instances of the app exporting to Application Insights stand-ins on loopback, one sampling
    // as deployed (at most 5 traces a second), one keeping every trace; each switches its telemetry off and on between
    // rounds (BENCH_TELEMETRY_SWITCH), so on and off are compared in one process: two instances of the app differ by
    // more than telemetry costs (BENCHMARKS.md).
    const withTelemetry = async (name: string, sampler: Readonly<Record<string, string>>) => {
      const ingestion = await startIngestion();
      const ca = join(logs, `${name}-ca.pem`);
      writeFileSync(ca, ingestion.ca);
      children.push({ stop: () => ingestion.close() });
      const env = { APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString, NODE_EXTRA_CA_CERTS: ca, BENCH_TELEMETRY_SWITCH: '1', ...sampler };
      const server = await ServerChild.start(`app (${name})`, js('bench/app-entry.ts'), {
        env: childEnv({ PORT: '0', ...remoteEnv(), ...env }),
        log: join(logs, `app-${name}.log`),
      });
      children.push(server);
      return { server, ingestion, on: new Accumulator(), off: new Accumulator(), sent: new Accumulator(), rounds: [] as RoundCpu[] };
    };
    const telemetryOn = await withTelemetry('telemetry-on', { OTEL_TRACES_SAMPLER: 'microsoft.rate_limited', OTEL_TRACES_SAMPLER_ARG: '5' });
    const telemetryAll = await withTelemetry('telemetry-every-trace', { OTEL_TRACES_SAMPLER: 'always_on' });

    say(
      `· throughput: ${plan.users} users, ${plan.connections} connections, ${plan.rounds} x ${plan.roundMs / 1000} s per bot, alternating; telemetry on against off`,
    );
    const warm = new Accumulator();
    await measured(loadgen, connector, spec(echo.url, { durationMs: plan.warmupMs }), ECHO_REPLY, probes(echo), warm);
    await measured(loadgen, connector, spec(app.url, { durationMs: plan.warmupMs }), APP_REPLY, probes(app), warm);
    // Each of their users signs in once first (new to these instances), so the rounds measure returning users only;
    // then a long warm-up, half with telemetry off and half on, so the JIT compiler has seen both.
    for (const t of [telemetryOn, telemetryAll]) {
      await measured(loadgen, connector, spec(t.server.url, { requests: 2 * plan.users }), APP_REPLY, probes(t.server), warm, t.sent);
      for (const on of [false, true]) {
        await t.server.telemetry(on);
        await measured(
          loadgen,
          connector,
          spec(t.server.url, { durationMs: plan.telemetryWarmupMs / 2 }),
          APP_REPLY,
          probes(t.server),
          warm,
          ...(on ? [t.sent] : []),
        );
      }
    }
    const baseline = new Accumulator();
    const cached = new Accumulator();
    for (let round = 0; round < plan.rounds; round++) {
      await measured(loadgen, connector, spec(echo.url, { durationMs: plan.roundMs }), ECHO_REPLY, probes(echo), baseline);
      await measured(loadgen, connector, spec(app.url, { durationMs: plan.roundMs }), APP_REPLY, probes(app), cached);
    }
    // Telemetry on against off in rounds of their own, twice as many, without the echo bot in between: in each round
    // each instance runs once with its telemetry off and once on, in turn first (so neither always follows the other).
    // Each round's ratio is kept: it compares runs a few seconds apart, and the median of those ratios is not moved
    // by one odd round.
    const botCpu = (a: Accumulator) => a.figures().cpuMsPerTurn.bot ?? Number.NaN;
    for (let round = 0; round < 2 * plan.rounds; round++) {
      for (const t of [telemetryOn, telemetryAll]) {
        const cpu = { off: Number.NaN, on: Number.NaN };
        for (const on of round % 2 ? [true, false] : [false, true]) {
          await t.server.telemetry(on);
          const run = new Accumulator();
          await measured(
            loadgen,
            connector,
            spec(t.server.url, { durationMs: plan.roundMs }),
            APP_REPLY,
            probes(t.server),
            run,
            on ? t.on : t.off,
            ...(on ? [t.sent] : []),
          );
          cpu[on ? 'on' : 'off'] = botCpu(run);
        }
        t.rounds.push(cpu);
      }
    }
    // Stopped now, so each flushes what it holds: what reached the stand-in per turn is what a deployment ingests.
    const telemetry = await telemetryFigures(telemetryOn, telemetryAll);
    const warmErrors = warm.figures().errors;

    // Store operations per command, returning users (tokens cached, records stored): one set each, then one status each.
    const storeUsers = { first: USERS.load, count: plan.users, tenants: plan.tenants };
    say(`· store operations per command: ${plan.users} returning users, one "dnd 8h" each, then one "status" each`);
    const storeOpsOf = async (command: string, expected: RegExp): Promise<StoreOps> => {
      const before = (await app.stats()).store;
      const turns = new Accumulator();
      await measured(loadgen, connector, spec(app.url, { requests: plan.users, users: storeUsers, commands: [command] }), expected, probes(app), turns);
      const ops = storeDiff(before, (await app.stats()).store);
      const per = (n: number | undefined) => (n === undefined ? undefined : round(n / plan.users, 3));
      return {
        command,
        commands: plan.users,
        ops,
        perCommand: ops && { reads: per(ops.reads), writes: per(ops.writes), deletes: per(ops.deletes), lists: per(ops.lists) },
        turns: turns.figures(),
      };
    };
    const storeSet = await storeOpsOf('dnd 8h', APP_REPLY);
    const storeStatus = await storeOpsOf('status', STATUS_REPLY);
    const storeTargets = {
      // The record, and the reminder "dnd 8h" plans: one row of the jobs store (presence/jobs.ts).
      writesPerSet: storeSet.ops?.writes === WRITES_PER_TIMED_SET * plan.users,
      writesPerStatus: storeStatus.ops?.writes === 0,
    };
    const appStats = await app.stats();
    await echo.stop();
    await app.stop();

    const profile = profiling ? profileIn(profileDir) : undefined;

    say(
      `· memory and the uncached path: ${plan.memoryUsers} distinct new users, then ${plan.overCapacityUsers} more (TOKEN_CACHE_SIZE ${plan.tokenCacheSize})`,
    );
    const memLog = join(logs, 'app-memory.log');
    const memApp = await ServerChild.start('app (memory)', js('bench/app-entry.ts'), {
      env: childEnv({ PORT: '0', TOKEN_CACHE_SIZE: String(plan.tokenCacheSize), ...remoteEnv() }),
      nodeFlags: ['--expose-gc', ...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'new-users')}`] : [])],
      log: memLog,
    });
    children.push(memApp);
    const point = async (users: number, step?: Accumulator): Promise<MemoryPoint> => {
      const stats = await memApp.stats(true);
      const turns = step?.figures();
      return {
        users,
        cachedUsers: stats.tokens?.cachedUsers ?? 0,
        heapUsedMb: round(stats.memory.heapUsed / 2 ** 20, 2),
        rssMb: round((processRssBytes(memApp.pid) ?? stats.memory.rss) / 2 ** 20, 1),
        ...(turns ? { step: { turnsPerSecond: turns.turnsPerSecond, p50Ms: turns.p50Ms, cpuMsPerTurn: turns.cpuMsPerTurn } } : {}),
      };
    };
    const memWarm = new Accumulator();
    const startRssMb = round((processRssBytes(memApp.pid) ?? 0) / 2 ** 20, 1);
    await measured(
      loadgen,
      connector,
      spec(memApp.url, { requests: 600, users: { first: USERS.memoryWarm, count: 200, tenants: plan.tenants } }),
      APP_REPLY,
      probes(memApp),
      memWarm,
    );
    const points: MemoryPoint[] = [await point(0)];
    const uncached = new Accumulator();
    const step = Math.ceil(plan.memoryUsers / plan.memorySteps);
    let done = 0;
    const steps = [...Array.from({ length: plan.memorySteps }, () => step), plan.overCapacityUsers];
    for (const count of steps) {
      const step = new Accumulator();
      await measured(
        loadgen,
        connector,
        spec(memApp.url, { requests: count, users: { first: USERS.memory + done, count, tenants: plan.memoryTenants }, commands: ['dnd 8h'] }),
        APP_REPLY,
        probes(memApp),
        uncached,
        step,
      );
      done += count;
      points.push(await point(done, step));
    }
    await memApp.stop();
    const newUsersProfile = profiling ? profileIn(join(profileDir, 'new-users')) : undefined;
    const base = points[0];
    const full = points[plan.memorySteps];
    const bytesPerCachedUser =
      base && full && full.cachedUsers > base.cachedUsers
        ? Math.round(((full.heapUsedMb - base.heapUsedMb) * 2 ** 20) / (full.cachedUsers - base.cachedUsers))
        : undefined;

    const tab = runTabBench(plan, join(data, 'tab'));
    await stopAll();

    const problems = logProblems(appLog);
    const memProblems = logProblems(memLog);
    const b = baseline.figures();
    const a = cached.figures();
    const u = uncached.figures();
    const ratios = {
      throughput: round(a.turnsPerSecond / b.turnsPerSecond, 3),
      p50: round(a.p50Ms / b.p50Ms, 3),
      p99: round(a.p99Ms / b.p99Ms, 3),
      startup: round(median(startup.app) / median(startup.echo), 2),
      cpuPerTurn: round((a.cpuMsPerTurn.bot ?? Number.NaN) / (b.cpuMsPerTurn.bot ?? Number.NaN), 3),
    };
    // Timing targets are read, never enforced (noise on a shared machine); counts are.
    const targets = {
      throughput: ratios.throughput >= 0.6,
      p50: ratios.p50 <= 1.5,
      cpuPerTurn: ratios.cpuPerTurn <= 1.5,
      tokenWork: tokenWorkOk,
      storeWrites: storeTargets.writesPerSet && storeTargets.writesPerStatus,
    };
    const broken = [
      ...crashes,
      ...(b.errors ? [`baseline: ${b.errors} errors`] : []),
      ...(a.errors ? [`app: ${a.errors} errors`] : []),
      ...(telemetry.on.turns.errors + telemetry.on.off.errors + telemetry.everyTrace.turns.errors + telemetry.everyTrace.off.errors
        ? ['app with telemetry on or switched off: errors']
        : []),
      ...(telemetry.everyTrace.envelopesPerTurn < 1 ? ['telemetry on sent less than one item per turn to the ingestion stand-in'] : []),
      ...(u.errors ? [`app, new users: ${u.errors} errors`] : []),
      ...(warmErrors || memWarm.figures().errors ? ['errors during warm-up'] : []),
      ...(tokenWorkOk ? [] : ['token work is not one exchange per user and one Graph call per command']),
      ...(storeSet.ops && storeStatus.ops ? [] : ['the app reported no store counters']),
      ...(storeSet.ops && !storeTargets.writesPerSet
        ? [`store writes for ${plan.users} sets: ${storeSet.ops.writes} (target ${WRITES_PER_TIMED_SET * plan.users}, ${WRITES_PER_TIMED_SET} per timed set)`]
        : []),
      ...(storeStatus.ops && !storeTargets.writesPerStatus ? [`store writes for ${plan.users} status commands: ${storeStatus.ops.writes} (target 0)`] : []),
      ...(storeSet.turns.errors || storeStatus.turns.errors ? [`store phase: ${storeSet.turns.errors + storeStatus.turns.errors} errors`] : []),
      ...(problems.error + memProblems.error ? [`app logged ${problems.error + memProblems.error} errors`] : []),
      ...(problems.warn + memProblems.warn ? [`app logged ${problems.warn + memProblems.warn} warnings (Graph retries?)`] : []),
      ...(tab.status === 'failed' ? ['tab/bench.ts failed'] : []),
    ];

    const previousPath = join(OUT, 'latest.json');
    const previousReport =
      plan.name === 'full' && existsSync(previousPath)
        ? (JSON.parse(readFileSync(previousPath, 'utf8')) as { date?: string; throughput?: { ratios?: typeof ratios } })
        : undefined;
    const previous = previousReport && { date: previousReport.date, ratios: previousReport.throughput?.ratios };

    const report: BenchReport = {
      date: new Date(started).toISOString(),
      plan,
      environment: {
        appStore: memoryStore ? 'memory (--memory-store)' : "Azure Table API: the standalone sandbox's Azurite",
        typeErrors: Boolean(built.typeErrors),
        loadAverageAtStart: startLoad,
        loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
        node: process.version,
        platform: `${platform()} ${process.arch}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        commit: gitDescription(),
      },
      notes: [
        "The Graph emulator keeps Graph's throttle (10,000 requests per 30 s per tenant); the load is spread across tenants as a multi-tenant deployment sees it.",
        'Turn latency is request to response: CloudAdapter answers after the turn, reply to the connector included.',
        'cpuMsPerTurn: CPU time of each process over the measured run, divided by answered turns (from /proc). "store" is the Azurite the standalone sandbox hosts (its child process), not counted as the app\'s.',
        "store: operations on the app's stores (server/storage.ts stats(): reads, writes = create/replace/upsert, deletes, lists), from the app over IPC; the Graph emulator's own table is not counted.",
        "startup.appInProcessSandbox includes starting the embedded Azurite (a fresh data folder each run) and creating the tables; startup.app includes creating its tables on the sandbox's Azurite.",
      ],
      throughput: { baseline: b, app: a, ratios, targets },
      telemetry,
      store: { set: storeSet, status: storeStatus, targets: storeTargets, tokenWork: tokenStoreOps },
      tokenWork: {
        ...tokenWork,
        per1000: {
          ssoTokensIssued: per1000(tokenWork.ssoTokensIssued),
          ssoValidations: per1000(tokenWork.ssoValidations),
          oboExchanges: per1000(tokenWork.oboExchanges),
          graphCalls: per1000(tokenWork.graphCalls),
          cacheHits: per1000(tokenWork.cacheHits),
        },
      },
      tokenPath: { cached: a, uncached: u, micro: tokenPath },
      memory: { tokenCacheSize: plan.tokenCacheSize, startRssMb, points, bytesPerCachedUser },
      startup: {
        runs: startup,
        medianMs: {
          echo: round(median(startup.echo), 0),
          app: round(median(startup.app), 0),
          appInProcessSandbox: round(median(startup.appInProcessSandbox), 0),
        },
      },
      parser: parser,
      tab,
      appLog: { app: problems, memory: memProblems, finalMemory: appStats.memory, finalTokens: appStats.tokens },
      profile,
      newUsersProfile,
      broken,
    };
    mkdirSync(OUT, { recursive: true });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    const dated = join(OUT, `bench-${[plan.name, ...(profiling ? ['profile'] : []), ...(memoryStore ? ['memory-store'] : [])].join('-')}-${stamp}.json`);
    writeFileSync(dated, json);
    // latest.json is what the next full run compares with: only a run of the product's path, unprofiled.
    const latest = variant.length ? undefined : join(OUT, plan.name === 'full' ? 'latest.json' : 'smoke-latest.json');
    if (latest) writeFileSync(latest, json);

    printReport(report, { previous, variant }, say);
    say('');
    say(`JSON: ${latest ?? dated}; took ${round((Date.now() - started) / 1000, 0)} s`);
    if (broken.length) {
      say(`BROKEN: ${broken.join('; ')}`);
      for (const sample of [...a.unexpectedReplies, ...u.unexpectedReplies, ...problems.samples, ...memProblems.samples]) say(`  ${sample}`);
      process.exitCode = 1;
    } else {
      say('nothing broken (no errors, no crash, token work and store writes as expected)');
    }
  } finally {
    await stopAll();
    await connector.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

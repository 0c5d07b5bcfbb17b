/** The bench's figures as a record (written as JSON) and as the tables it prints. */
import type { StoreStats } from '../storage/counting-store';
import type { ParserResult, TokenPathResult } from './micro';
import { formatSummary, type ProfileSummary } from './profile';
import { fmt, ratio, round, table } from './stats';

export interface Plan {
  readonly name: 'full' | 'smoke';
  readonly users: number;
  readonly tenants: number;
  readonly connections: number;
  /** Throughput: rounds of (baseline, app), each `roundMs` long, after `warmupMs` each. */
  readonly rounds: number;
  readonly roundMs: number;
  readonly warmupMs: number;
  /** How long each telemetry instance is warmed up before its rounds (half with telemetry off, half on). */
  readonly telemetryWarmupMs: number;
  readonly tokenCommands: number;
  /** Memory: distinct new users, in `memorySteps` equal steps, then `overCapacityUsers` more. */
  readonly memoryUsers: number;
  readonly memorySteps: number;
  readonly memoryTenants: number;
  readonly overCapacityUsers: number;
  readonly tokenCacheSize: number;
  readonly startupRuns: number;
  readonly microMs: number;
}

export interface TurnFigures {
  readonly turns: number;
  readonly seconds: number;
  readonly turnsPerSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Failed requests, missing replies and unexpected replies. */
  readonly errors: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly unexpectedReplies: readonly string[];
  /** CPU milliseconds per answered turn, per process (undefined without /proc). */
  readonly cpuMsPerTurn: Readonly<Record<string, number | undefined>>;
  /** CPU the machine spent on processes other than the bench's during the runs, percent of all cores: noise. */
  readonly backgroundCpuPercent?: number;
}

export interface TabResult {
  readonly status: 'not built yet' | 'skipped in smoke' | 'ran' | 'failed';
  readonly exitCode?: number | null;
  /** Its report: parsed when it prints JSON, else its text. */
  readonly output?: unknown;
}

export interface ProfileReport {
  readonly file: string;
  readonly summary: ProfileSummary;
  /** Self time in the command parser's files, percent of the app's busy time. */
  readonly parserPercent: number;
}

export interface MemoryPoint {
  readonly users: number;
  readonly cachedUsers: number;
  readonly heapUsedMb: number;
  readonly rssMb: number;
  /** The step of new users that led here: how fast, and the CPU per turn by process (the store's grows with its tables). */
  readonly step?: { readonly turnsPerSecond: number; readonly p50Ms: number; readonly cpuMsPerTurn: Readonly<Record<string, number | undefined>> };
}

export interface TokenWork {
  readonly commands: number;
  readonly users: number;
  readonly ssoTokensIssued: number;
  readonly ssoValidations: number;
  readonly oboExchanges: number;
  readonly brokerExchanges: number;
  readonly cacheHits: number;
  readonly graphCalls: number;
  readonly graphNot200: number;
  readonly usersWithOtherThanExpectedGraphCalls: number;
  readonly turns: TurnFigures;
}

export interface Ratios {
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly startup: number;
  /** App CPU per turn / echo bot CPU per turn (the store's and the sandbox's processes not counted). Absent in runs before the store. */
  readonly cpuPerTurn?: number;
}

/** Store writes of a set with an end: the user's record, and its reminder's row in the jobs store (presence/jobs.ts). */
export const WRITES_PER_TIMED_SET = 2;

/** Store operations for `commands` turns of one command, one per returning user (token cached, record stored). */
export interface StoreOps {
  readonly command: string;
  readonly commands: number;
  /** The app's counters' difference over the run; undefined when the app did not report them. */
  readonly ops?: StoreStats;
  readonly perCommand?: { readonly [K in keyof StoreStats]: number | undefined };
  readonly turns: TurnFigures;
}

/** CPU per turn (the bot's process) with telemetry on over off, in one instance switching between rounds. */
export interface CpuRatios {
  /** Over all the rounds' turns together. */
  readonly cpuRatio: number;
  /** The median of each round's own ratio (runs a few seconds apart): what the target is read on. */
  readonly medianRatio: number;
  /** The lowest and highest round's ratio. */
  readonly roundRange: readonly [number, number];
}

/** One instance with telemetry on in its sampling: its rounds on and off, their CPU ratios, and what it sent. */
export interface TelemetryVariant extends CpuRatios {
  /** Its returning users' turns with telemetry on. */
  readonly turns: TurnFigures;
  /** The same instance's turns with its telemetry switched off. */
  readonly off: TurnFigures;
  /** Items (requests, dependencies, metrics) that reached the ingestion stand-in, per turn with telemetry on. */
  readonly envelopesPerTurn: number;
  readonly kilobytesPerTurn: number;
}

export interface TelemetryFigures {
  /** Sampling as deployed: at most 5 traces a second. */
  readonly on: TelemetryVariant;
  /** Every trace kept: the most telemetry can cost. */
  readonly everyTrace: TelemetryVariant;
  /** Read on the deployed sampling's median round ratio. */
  readonly target: { readonly cpuRatio: number; readonly met: boolean };
}

export interface BenchReport {
  readonly date: string;
  readonly plan: Plan;
  readonly environment: {
    /** Where the app instances kept their records. */
    readonly appStore: string;
    readonly typeErrors: boolean;
    readonly loadAverageAtStart: readonly number[];
    readonly loadAverageAtEnd: readonly number[];
    readonly node: string;
    readonly platform: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly commit: string;
  };
  readonly notes: readonly string[];
  readonly throughput: {
    readonly baseline: TurnFigures;
    readonly app: TurnFigures;
    readonly ratios: Ratios;
    readonly targets: {
      readonly throughput: boolean;
      readonly p50: boolean;
      readonly cpuPerTurn: boolean;
      readonly tokenWork: boolean;
      readonly storeWrites: boolean;
    };
  };
  readonly telemetry: TelemetryFigures;
  /** Store operations per command (targets: two writes per timed set (the record, the reminder's row), none per status), and what the token phase's new users cost. */
  readonly store: {
    readonly set: StoreOps;
    readonly status: StoreOps;
    readonly targets: { readonly writesPerSet: boolean; readonly writesPerStatus: boolean };
    readonly tokenWork?: StoreStats;
  };
  readonly tokenWork: TokenWork & { readonly per1000: Readonly<Record<string, number>> };
  readonly tokenPath: { readonly cached: TurnFigures; readonly uncached: TurnFigures; readonly micro: TokenPathResult };
  readonly memory: {
    readonly tokenCacheSize: number;
    readonly startRssMb: number;
    readonly points: readonly MemoryPoint[];
    readonly bytesPerCachedUser?: number;
  };
  readonly startup: {
    readonly runs: Readonly<Record<string, readonly number[]>>;
    readonly medianMs: { readonly echo: number; readonly app: number; readonly appInProcessSandbox: number };
  };
  readonly parser: ParserResult;
  readonly tab: TabResult;
  readonly appLog: unknown;
  readonly profile?: ProfileReport;
  readonly newUsersProfile?: ProfileReport;
  readonly broken: readonly string[];
}

/** Prints the report's tables (the JSON holds the same figures). */
export function printReport(
  report: BenchReport,
  context: { previous?: { date?: string; ratios?: Ratios }; variant: readonly string[] },
  say: (line: string) => void,
): void {
  const { plan, profile, newUsersProfile, tab, parser } = report;
  const { previous, variant } = context;
  const { baseline: b, app: a, ratios, targets } = report.throughput;
  const u = report.tokenPath.uncached;
  const tokenPath = report.tokenPath.micro;
  const tokenWork = report.tokenWork;
  const tokenWorkOk = targets.tokenWork;
  const per1000 = (n: number) => round((n * 1000) / plan.tokenCommands, 0);
  const { startRssMb, points, bytesPerCachedUser } = report.memory;
  const full = points[plan.memorySteps];
  const last = points[points.length - 1];
  const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const cpuCell = (f: TurnFigures, name: string) => fmt(f.cpuMsPerTurn[name], 2);
  const pct = (value: number | undefined) => (value === undefined ? '-' : `${value}%`);
  say('');
  say(
    `Teams Presence bench (${plan.name}) ${report.date}, Node ${process.version}, ${report.environment.cpus} x ${report.environment.cpuModel}, commit ${report.environment.commit}`,
  );
  say(
    `Load average (1, 5, 15 min): ${report.environment.loadAverageAtStart.join(', ')} at start, ${report.environment.loadAverageAtEnd.join(', ')} at the end`,
  );
  say(
    `Load: ${plan.users} users in ${plan.tenants} tenants, ${plan.connections} connections, ${plan.rounds} x ${plan.roundMs / 1000} s per bot (alternating); commands like "dnd 8h"`,
  );
  say(`App store: ${report.environment.appStore}${variant.length ? `; ${variant.join(', ').toUpperCase()}: not comparable with a plain run` : ''}`);
  say('');
  say(
    table([
      ['turns (returning users)', 'turns/s', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/turn: bot', 'sandbox', 'store', 'loadgen', 'connector', 'background CPU'],
      [
        'baseline: echo bot (CloudAdapter)',
        fmt(b.turnsPerSecond, 0),
        fmt(b.p50Ms, 2),
        fmt(b.p99Ms, 2),
        b.errors,
        cpuCell(b, 'bot'),
        '-',
        '-',
        cpuCell(b, 'loadgen'),
        cpuCell(b, 'connector'),
        pct(b.backgroundCpuPercent),
      ],
      [
        'app, sandbox mode',
        fmt(a.turnsPerSecond, 0),
        fmt(a.p50Ms, 2),
        fmt(a.p99Ms, 2),
        a.errors,
        cpuCell(a, 'bot'),
        cpuCell(a, 'sandbox'),
        cpuCell(a, 'store'),
        cpuCell(a, 'loadgen'),
        cpuCell(a, 'connector'),
        pct(a.backgroundCpuPercent),
      ],
      ['app / baseline', ratio(ratios.throughput), ratio(ratios.p50), ratio(ratios.p99), '', ratio(ratios.cpuPerTurn), '', '', '', '', ''],
      ['target', '>= 0.60x', '<= 1.50x', '', '0', '<= 1.50x', '', '', '', '', ''],
      ['result', pass(targets.throughput), pass(targets.p50), '', pass(a.errors === 0 && b.errors === 0), pass(targets.cpuPerTurn), '', '', '', '', ''],
      ...(previous?.ratios
        ? [
            [
              `previous run (${previous.date ?? '?'})`,
              ratio(previous.ratios.throughput),
              ratio(previous.ratios.p50),
              ratio(previous.ratios.p99),
              '',
              ratio(previous.ratios.cpuPerTurn),
              '',
              '',
              '',
              '',
              '',
            ],
          ]
        : []),
    ]),
  );
  say('  CPU ms/turn "bot" is the bot\'s own process; "sandbox" (Graph emulator, issuer) and "store" (its Azurite) are not the app\'s and not in the ratio.');
  say('');
  const telemetry = report.telemetry;
  const telemetryRow = (label: string, v: TelemetryVariant, target: string, result: string) => [
    label,
    fmt(v.turns.turnsPerSecond, 0),
    fmt(v.turns.p50Ms, 2),
    v.turns.errors + v.off.errors,
    cpuCell(v.off, 'bot'),
    cpuCell(v.turns, 'bot'),
    // Three digits: 1.104x is a miss of the 1.10x target, which two would show as 1.10x.
    ratio(v.cpuRatio, 3),
    ratio(v.medianRatio, 3),
    `${ratio(v.roundRange[0])} to ${ratio(v.roundRange[1])}`,
    target,
    result,
    fmt(v.envelopesPerTurn, 2),
    fmt(v.kilobytesPerTurn, 2),
  ];
  say(
    table([
      [
        'telemetry (returning users, one instance each)',
        'turns/s on',
        'p50 ms on',
        'errors',
        'CPU ms/turn: off',
        'on',
        'on / off: all turns',
        'median round',
        'rounds',
        'target',
        'result',
        'items sent/turn',
        'KB sent/turn',
      ],
      telemetryRow('sampled as deployed (5 traces/s)', telemetry.on, `median <= ${ratio(telemetry.target.cpuRatio)}`, pass(telemetry.target.met)),
      telemetryRow('every trace kept', telemetry.everyTrace, '', ''),
    ]),
  );
  say(
    '  Telemetry goes to an Application Insights ingestion stand-in on loopback (HTTPS), through the Azure Monitor distro as deployed; items and KB per turn are what it received, uncompressed.',
  );
  const noisy = Math.max(a.backgroundCpuPercent ?? 0, b.backgroundCpuPercent ?? 0);
  if (noisy >= 10)
    say(`NOTE: other processes used up to ${noisy}% of the machine's CPU during the measured runs: absolute figures are noisy; rerun on a quiet machine.`);
  say('');
  const { store } = report;
  const opsRow = (label: string, o: StoreOps, target: number, ok: boolean) => [
    label,
    o.commands,
    o.ops?.reads ?? '-',
    o.ops?.writes ?? '-',
    o.ops?.deletes ?? '-',
    o.ops?.lists ?? '-',
    fmt(o.perCommand?.reads, 2),
    fmt(o.perCommand?.writes, 2),
    target,
    o.ops ? pass(ok) : '-',
    o.turns.errors,
    cpuCell(o.turns, 'bot'),
    cpuCell(o.turns, 'store'),
  ];
  say(
    table([
      [
        'store operations per command (returning users)',
        'commands',
        'reads',
        'writes',
        'deletes',
        'lists',
        'reads/cmd',
        'writes/cmd',
        'target writes/cmd',
        'result',
        'errors',
        'app CPU ms/cmd',
        'store CPU ms/cmd',
      ],
      opsRow(`set ("${store.set.command}")`, store.set, WRITES_PER_TIMED_SET, store.targets.writesPerSet),
      opsRow(`status ("${store.status.command}")`, store.status, 0, store.targets.writesPerStatus),
    ]),
  );
  const t = store.tokenWork;
  if (t)
    say(
      `  new users (token work, ${plan.tokenCommands} commands): ${t.reads} reads, ${t.writes} writes, ${t.deletes} deletes, ${t.lists} lists (${fmt(t.reads / plan.tokenCommands, 2)} reads, ${fmt(t.writes / plan.tokenCommands, 2)} writes per command)`,
    );
  say('');
  say(
    table([
      [`token work: ${plan.tokenCommands} commands, ${plan.users} new users`, 'count', 'per 1,000', 'target per 1,000'],
      ['SSO tokens issued (sandbox issuer)', tokenWork.ssoTokensIssued, per1000(tokenWork.ssoTokensIssued), per1000(plan.users)],
      ['SSO validations (app)', tokenWork.ssoValidations, per1000(tokenWork.ssoValidations), per1000(plan.users)],
      ['on-behalf-of exchanges (sandbox issuer)', tokenWork.oboExchanges, per1000(tokenWork.oboExchanges), per1000(plan.users)],
      ['Graph calls (emulator)', tokenWork.graphCalls, per1000(tokenWork.graphCalls), 1000],
      ['Graph calls not 200 / users not at 1 call per command', `${tokenWork.graphNot200} / ${tokenWork.usersWithOtherThanExpectedGraphCalls}`, '', '0 / 0'],
      ['token cache hits (app)', tokenWork.cacheHits, per1000(tokenWork.cacheHits), per1000(plan.tokenCommands - plan.users)],
      ['result', pass(tokenWorkOk), '', ''],
    ]),
  );
  say('');
  say(
    table([
      ['token path: a turn', 'turns/s', 'p50 ms', 'p99 ms', 'errors', 'app CPU ms/turn', 'sandbox CPU ms/turn'],
      [
        'cached (returning user: one Graph call)',
        fmt(a.turnsPerSecond, 0),
        fmt(a.p50Ms, 2),
        fmt(a.p99Ms, 2),
        a.errors,
        cpuCell(a, 'bot'),
        cpuCell(a, 'sandbox'),
      ],
      [
        `uncached (new user: SSO token, validation, OBO, Graph) x${u.turns}`,
        fmt(u.turnsPerSecond, 0),
        fmt(u.p50Ms, 2),
        fmt(u.p99Ms, 2),
        u.errors,
        cpuCell(u, 'bot'),
        cpuCell(u, 'sandbox'),
      ],
      [
        'uncached / cached',
        ratio(round(u.turnsPerSecond / a.turnsPerSecond, 3)),
        ratio(round(u.p50Ms / a.p50Ms, 3)),
        '',
        '',
        ratio(round((u.cpuMsPerTurn.bot ?? NaN) / (a.cpuMsPerTurn.bot ?? NaN), 3)),
        '',
      ],
    ]),
  );
  say(
    `  uncached: each new user's first command, while the store's tables (the app's and the emulator's) grow by ${u.turns} rows; the memory table below has the CPU per turn by step`,
  );
  say(
    `  in-process: cached-token lookup ${fmt(tokenPath.cachedLookup.microsEach, 2)} us; SSO token validation (RS256) ${fmt(tokenPath.ssoValidation.microsEach, 1)} us`,
  );
  say('');
  say(
    table([
      [
        `memory: app, TOKEN_CACHE_SIZE ${plan.tokenCacheSize}`,
        'cached users',
        'heap MB (after GC)',
        'RSS MB',
        'step: turns/s',
        'CPU ms/turn: app',
        'sandbox',
        'store',
      ],
      ['started', '-', '-', fmt(startRssMb, 1), '', '', '', ''],
      ...points.map((p, i) => [
        i === 0 ? 'warm (200 users)' : `+${p.users} new users${p === last && points.length > 2 ? ' (over capacity)' : ''}`,
        p.cachedUsers,
        fmt(p.heapUsedMb, 1),
        fmt(p.rssMb, 1),
        fmt(p.step?.turnsPerSecond, 0),
        fmt(p.step?.cpuMsPerTurn.bot, 2),
        fmt(p.step?.cpuMsPerTurn.sandbox, 2),
        fmt(p.step?.cpuMsPerTurn.store, 2),
      ]),
    ]),
  );
  say(
    `  bytes per cached user (heap: the token cache entry; what the app set is in the store): ${bytesPerCachedUser ?? '-'}; over capacity: heap ${full && last ? `${fmt(last.heapUsedMb - full.heapUsedMb, 1)} MB` : '-'} more, cached users ${last?.cachedUsers ?? '-'} (bounded)`,
  );
  say('');
  say(
    table([
      [`start-up to first answered request (median of ${plan.startupRuns})`, 'ms', 'x echo bot'],
      ['baseline: echo bot', fmt(report.startup.medianMs.echo, 0), ''],
      ['app (SANDBOX_URL: sandbox in another process)', fmt(report.startup.medianMs.app, 0), ratio(ratios.startup)],
      [
        'app (npm start: sandbox mounted, embedded Azurite started)',
        fmt(report.startup.medianMs.appInProcessSandbox, 0),
        ratio(round(report.startup.medianMs.appInProcessSandbox / report.startup.medianMs.echo, 2)),
      ],
    ]),
  );
  say('');
  say(
    `command parser: ${fmt(parser.overall.perSecond, 0)} phrasings/s (${fmt(parser.overall.microsEach, 2)} us each, ${parser.phrasings} phrasings); slowest: ${parser.slowest.map((s) => `"${s.text}" ${fmt(s.microsEach, 1)} us`).join(', ')}; in pt-BR, ja and ru: ${fmt(parser.localized.perSecond, 0)} phrasings/s (${fmt(parser.localized.microsEach, 2)} us each, ${parser.localized.phrasings} phrasings)`,
  );
  if (profile) say(`  share of the profiled app's CPU in the parser: ${profile.parserPercent}%`);
  if (tab.status === 'ran')
    say(
      `tab (tab/bench.ts${tab.exitCode ? `, exit code ${tab.exitCode}` : ''}):\n${typeof tab.output === 'string' ? tab.output : JSON.stringify(tab.output, null, 2)}`,
    );
  else say(`tab: ${tab.status}${tab.status === 'not built yet' ? ' (TODO: tab/bench.ts: JS gzip bytes, time to usable buttons)' : ''}`);
  for (const [what, p] of [
    ['returning users (token phase, warm-up, throughput)', profile],
    ['new users (memory phase)', newUsersProfile],
  ] as const) {
    if (!p) continue;
    say('');
    say(`profile of the app, ${what}: ${p.file}`);
    say(formatSummary(p.summary));
  }
}

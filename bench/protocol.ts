/** What the bench orchestrator (bench/run.ts) and its child processes say to each other over the IPC channel. */
import type { BrokerStats } from '../presence/tokens/broker';
import type { StoreStats } from '../storage/counting-store';

/** A bot server child (bench/app-entry.ts, bench/echo-bot.ts). */
export interface ServerStats {
  readonly memory: NodeJS.MemoryUsage;
  /** The Graph token broker's counters (the app only): counts, never a token. */
  readonly tokens?: BrokerStats;
  /** Operations on the app's two stores since it started (server/storage.ts; the app only): counts, never a record. */
  readonly store?: StoreStats;
  /** Whether a full garbage collection ran first (the child needs --expose-gc). */
  readonly collected: boolean;
}

export type ToServer =
  | { readonly type: 'stats'; readonly id: number; readonly gc: boolean }
  /** An app started with BENCH_TELEMETRY_SWITCH: its telemetry on or off from now on (bench/telemetry-switch.ts). */
  | { readonly type: 'telemetry'; readonly id: number; readonly on: boolean }
  | { readonly type: 'stop' };
export type FromServer =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'stats'; readonly id: number; readonly stats: ServerStats }
  | { readonly type: 'telemetry'; readonly id: number };

/** One load run: `requests` turns, or as many as fit in `durationMs`, over `connections` keep-alive connections. */
export interface LoadSpec {
  /** The bot's origin; activities go to POST {url}/api/messages. */
  readonly url: string;
  /** The connector stand-in's origin, the activities' serviceUrl (where replies go). */
  readonly serviceUrl: string;
  readonly connections: number;
  readonly durationMs?: number;
  readonly requests?: number;
  /**
   * Users first..first+count-1, taken in turn: turn k is from user first + k % count and says
   * commands[floor(k / count) % commands.length], so each user goes through the commands in order.
   * User u is in tenant u % tenants (load spread across tenants, as a multi-tenant app sees it).
   */
  readonly users: { readonly first: number; readonly count: number; readonly tenants: number };
  readonly commands: readonly string[];
}

export interface LoadResult {
  /** 200 answers. */
  readonly ok: number;
  /** Any other status, or no answer (keyed by status or error code). */
  readonly failures: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  /** Each answered turn's latency in milliseconds, in completion order. */
  readonly latenciesMs: readonly number[];
}

export type ToLoadgen = { readonly type: 'run'; readonly id: number; readonly spec: LoadSpec } | { readonly type: 'stop' };
export type FromLoadgen =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly result: LoadResult }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

/** Deterministic, distinct Entra-shaped IDs for bench users and tenants. */
export function benchUserId(index: number): string {
  return `be11c4a0-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function benchTenantId(index: number): string {
  return `be11c4a0-7e4a-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** A Teams personal-chat message activity, shaped like test/support/connector.ts's teamsMessage(). */
export function benchActivity(serviceUrl: string, user: number, tenants: number, text: string, id: number): Record<string, unknown> {
  const aadObjectId = benchUserId(user);
  const tenantId = benchTenantId(user % tenants);
  return {
    type: 'message',
    id: `bench-${id}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    text,
    locale: 'en-US',
    localTimezone: 'America/Los_Angeles',
    from: { id: `29:${aadObjectId}`, name: `Bench User ${user}`, aadObjectId },
    recipient: { id: '28:presence-bot', name: 'Presence' },
    conversation: { id: `a:${aadObjectId}`, conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
  };
}

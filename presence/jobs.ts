/**
 * Timers on the durable store, run inside every instance (no extra service): at least once, from a due-time index
 * polled with leases.
 *
 * A job is one row of the jobs store, keyed by its due time (`{due ms, 15 digits}_{job id}`) and holding the job
 * (whose, which kind, its data, which attempt): planning one is one write, and `list(DUE, { rowsBelow: now })`
 * reads what is due, in time order, without reading what is not. An instance claims a due row with an
 * ETag-conditional replace that sets a lease: of several instances polling at once exactly one wins, the others
 * skip the row. The winner runs the job and deletes the row. If it dies first, the lease lapses and another
 * instance runs the job again, so handlers are idempotent: they check the user's record before they act (a job
 * whose status was changed since is a no-op). A failed run is retried with backoff; after the last attempt the
 * handler's `gaveUp` tells the user. `forget` deletes a user's jobs (a scan of the index: rare, never per turn).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from './log';
import { isStoreError, type RecordStore, type StoreKey } from './store';
import type { Identity } from './tokens/identity';
import { NO_TELEMETRY, failureOf, tracedLogger, type Span, type Telemetry } from './telemetry';

export interface JobSpec {
  /** Which handler runs it. */
  readonly kind: string;
  readonly dueAt: Date;
  /** The handler's own data, stored as JSON. */
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface Job extends JobSpec {
  readonly id: string;
  readonly owner: Identity;
  /** 0 on the first run. */
  readonly attempt: number;
}

/** Thrown by a handler when trying again cannot help (the chat is gone): the job gives up at once. */
export class FinalJobFailure extends Error {
  constructor(readonly reason: string) {
    super(`job cannot succeed: ${reason}`);
    this.name = 'FinalJobFailure';
  }
}

export interface JobHandler {
  /**
   * Does the job, or throws to have it retried (FinalJobFailure: not retried). Must be idempotent: it may run twice.
   * `trace`: the run's span, for what the job does.
   */
  run(job: Job, trace: Span): Promise<void>;
  /** After the last attempt failed: tell the user, best effort. */
  gaveUp?(job: Job, error: unknown, trace: Span): Promise<void>;
}

export interface JobSchedulerOptions {
  /** The due-time index, which holds the jobs (shared by every instance). */
  readonly index: RecordStore;
  /** Handlers by job kind; more with `handle`. */
  readonly handlers?: Readonly<Record<string, JobHandler>>;
  readonly logger: Logger;
  /** The app's clock (in sandbox mode the emulator's, which tests and people can advance). */
  readonly now: () => number;
  readonly pollMs?: number;
  readonly leaseMs?: number;
  /** Due rows read per poll. */
  readonly batch?: number;
  /** Jobs run at once by one instance. */
  readonly concurrency?: number;
  readonly maxAttempts?: number;
  /** A span per run, its lateness, and a count per failed run. */
  readonly telemetry?: Telemetry;
}

const DUE = 'due';
/** Rows outlive their due time by this much, then expire: a row a crash left behind goes away. */
const KEEP_AFTER_DUE_MS = 7 * 24 * 3600_000;
const DEFAULTS = { pollMs: 1000, leaseMs: 60_000, batch: 100, concurrency: 16, maxAttempts: 5 };

/** A job as its row holds it, with the lease of the instance running it. */
interface Entry {
  readonly job: Job;
  readonly leaseUntil?: number;
}

export class JobScheduler {
  private readonly settings: typeof DEFAULTS;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<number> | undefined;
  private readonly handlers: Map<string, JobHandler>;

  constructor(private readonly options: JobSchedulerOptions) {
    this.settings = {
      pollMs: options.pollMs ?? DEFAULTS.pollMs,
      leaseMs: options.leaseMs ?? DEFAULTS.leaseMs,
      batch: options.batch ?? DEFAULTS.batch,
      concurrency: options.concurrency ?? DEFAULTS.concurrency,
      maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
    };
    this.handlers = new Map(Object.entries(options.handlers ?? {}));
  }

  /** Who runs jobs of `kind` (a handler that also schedules them, such as reminders, is made after the scheduler). */
  handle(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Plans the job: one write. Returns its ID. */
  async schedule(owner: Identity, spec: JobSpec, trace?: Span): Promise<string> {
    const job: Job = { id: randomUUID(), owner, kind: spec.kind, dueAt: spec.dueAt, payload: spec.payload, attempt: 0 };
    await this.write(job, trace);
    return job.id;
  }

  /** The owner's jobs that have not run yet, soonest first. Reads the whole index: not for a turn's path. */
  async pending(owner: Identity): Promise<Job[]> {
    return (await this.rowsOf(owner)).map(([, job]) => job);
  }

  /** Cancels a job that has not run. */
  async cancel(owner: Identity, id: string, trace?: Span): Promise<boolean> {
    const row = (await this.rowsOf(owner, trace)).find(([, job]) => job.id === id);
    return row ? this.options.index.delete({ partition: DUE, row: row[0] }, undefined, { trace }) : false;
  }

  /** Deletes every job of the owner's (`forget me`); returns how many. */
  async forget(owner: Identity, trace?: Span): Promise<number> {
    let deleted = 0;
    for (const [row] of await this.rowsOf(owner, trace)) if (await this.options.index.delete({ partition: DUE, row }, undefined, { trace })) deleted += 1;
    return deleted;
  }

  /** Polls every `pollMs` until stopped; a poll never overlaps the previous one. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.polling) return;
      this.polling = this.runDue()
        .catch((err: unknown) => (this.options.logger.warn('job poll failed', { error: err }), 0))
        .finally(() => (this.polling = undefined));
    }, this.settings.pollMs);
    this.timer.unref();
  }

  /** Stops polling and waits for the jobs in hand. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  /** One poll: claims and runs the jobs due now (up to `batch`); resolves with how many this instance ran. */
  async runDue(): Promise<number> {
    const now = this.options.now();
    const due = [...(await this.options.index.list(DUE, { rowsBelow: `${pad(now)}~`, limit: this.settings.batch }))];
    let ran = 0;
    const next = async (): Promise<void> => {
      for (let item = due.shift(); item; item = due.shift()) {
        const [row, record] = item;
        const key = { partition: DUE, row };
        const entry = parseEntry(record.value);
        if (!entry) {
          await this.options.index.delete(key, record.etag).catch(() => false);
          continue;
        }
        // Leased elsewhere, or a kind only a newer version knows (a rolling deploy): left for the instance that can run it.
        if ((entry.leaseUntil !== undefined && entry.leaseUntil > now) || !this.handlers.has(entry.job.kind)) continue;
        try {
          const lease = await this.claim(key, entry.job, record.etag);
          if (lease !== undefined && (await this.runOne(key, lease, entry.job))) ran += 1;
        } catch (err) {
          // One job's store failure is that job's: its lease lapses and it runs again; the poll goes on.
          this.options.logger.warn('job poll: a job could not be handled', { kind: entry.job.kind, error: err });
        }
      }
    };
    await Promise.all(Array.from({ length: this.settings.concurrency }, next));
    return ran;
  }

  private write(job: Job, trace?: Span): Promise<string> {
    const options = { expiresAt: new Date(job.dueAt.getTime() + KEEP_AFTER_DUE_MS), trace };
    return this.options.index.create(rowKey(job.dueAt.getTime(), job.id), serialize(job), options);
  }

  private async rowsOf(owner: Identity, trace?: Span): Promise<[string, Job][]> {
    const rows = await this.options.index.list(DUE, { trace });
    const mine = (job: Job) => job.owner.tenantId === owner.tenantId && job.owner.userId === owner.userId;
    return [...rows].flatMap(([row, record]): [string, Job][] => {
      const entry = parseEntry(record.value);
      return entry && mine(entry.job) ? [[row, entry.job]] : [];
    });
  }

  /** The lease on a due row (from now: a poll's later rows are claimed later), or undefined when another instance claimed it first. */
  private async claim(key: StoreKey, job: Job, etag: string): Promise<string | undefined> {
    const now = this.options.now();
    try {
      return await this.options.index.replace(key, { ...serialize(job), leaseUntil: now + this.settings.leaseMs }, etag, {
        expiresAt: new Date(now + KEEP_AFTER_DUE_MS),
      });
    } catch (err) {
      if (isStoreError(err, 'conflict')) return undefined;
      throw err;
    }
  }

  /** Runs a claimed job; true when its handler ran (successfully or not). */
  private async runOne(key: StoreKey, lease: string, job: Job): Promise<boolean> {
    const { index } = this.options;
    const handler = this.handlers.get(job.kind);
    if (!handler) return false;
    const telemetry = this.options.telemetry ?? NO_TELEMETRY;
    const lateMs = Math.max(0, this.options.now() - job.dueAt.getTime());
    telemetry.record('jobLateness', lateMs, { kind: job.kind });
    const attributes = { 'app.job.kind': job.kind, 'app.attempt': job.attempt + 1, 'app.job.late_ms': Math.round(lateMs) };
    // A root span of its own (a request in Application Insights): nobody's request is waiting on it.
    await telemetry.span(`job ${job.kind}`, { kind: 'consumer', attributes }, async (span) => {
      try {
        await handler.run(job, span);
      } catch (err) {
        span.fail(failureOf(err).code);
        telemetry.count('jobFailures', { kind: job.kind, final: this.isFinal(job, err) });
        await this.failed(job, err, key, lease, span);
        return;
      }
      await index.delete(key, lease, { trace: span }).catch(() => false);
    });
    return true;
  }

  /** Whether a run that failed so was the job's last: its attempts are spent, or trying again cannot help. */
  private isFinal(job: Job, error: unknown): boolean {
    return job.attempt + 1 >= this.settings.maxAttempts || error instanceof FinalJobFailure;
  }

  /** A failed run: again after a backoff (a row of its own), or, after the last attempt, given up and said so. */
  private async failed(job: Job, error: unknown, key: StoreKey, lease: string, trace: Span): Promise<void> {
    const { index } = this.options;
    const logger = tracedLogger(this.options.logger, trace);
    const attempt = job.attempt + 1;
    logger.warn('job failed', { kind: job.kind, attempt, error, ...(error instanceof FinalJobFailure ? { reason: error.reason } : {}) });
    if (this.isFinal(job, error)) {
      await this.handlers
        .get(job.kind)
        ?.gaveUp?.(job, error, trace)
        .catch((err: unknown) => logger.error('job give-up failed', { kind: job.kind, error: err }));
      await index.delete(key, lease, { trace }).catch(() => false);
      return;
    }
    const retry = { ...job, attempt, dueAt: new Date(this.options.now() + backoffMs(attempt)) };
    await this.write(retry, trace);
    // The row is gone already when the job was cancelled or forgotten meanwhile: then so is its retry.
    if (!(await index.delete(key, lease, { trace }).catch(() => true)))
      await index.delete(rowKey(retry.dueAt.getTime(), retry.id), undefined, { trace }).catch(() => false);
  }
}

/** 10 s, 40 s, 2 min 40 s, 10 min 40 s (each 4 times the last): five tries within a quarter of an hour. */
function backoffMs(attempt: number): number {
  return 10_000 * 4 ** (attempt - 1);
}

function pad(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(15, '0');
}

function rowKey(dueMs: number, id: string): StoreKey {
  return { partition: DUE, row: `${pad(dueMs)}_${id}` };
}

function serialize(job: Job): Record<string, unknown> {
  return { id: job.id, owner: job.owner, kind: job.kind, dueAt: job.dueAt.toISOString(), payload: job.payload, attempt: job.attempt };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJob(value: unknown): Job | undefined {
  if (!isRecord(value) || !isRecord(value.owner) || !isRecord(value.payload)) return undefined;
  const { id, kind, dueAt, attempt } = value;
  const { tenantId, userId } = value.owner;
  if (typeof id !== 'string' || typeof kind !== 'string' || typeof dueAt !== 'string' || typeof attempt !== 'number') return undefined;
  if (typeof tenantId !== 'string' || typeof userId !== 'string' || Number.isNaN(Date.parse(dueAt))) return undefined;
  return { id, kind, dueAt: new Date(dueAt), payload: value.payload, attempt, owner: { tenantId, userId } };
}

function parseEntry(value: unknown): Entry | undefined {
  const job = parseJob(value);
  if (!job || !isRecord(value)) return undefined;
  return { job, ...(typeof value.leaseUntil === 'number' ? { leaseUntil: value.leaseUntil } : {}) };
}

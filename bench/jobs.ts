/**
 * `npm run bench:jobs`: the timers on Azure Table Storage (an in-memory Azurite on loopback), one instance.
 * - throughput: jobs one instance runs per second when many are due at once (the handler does nothing);
 * - lateness: with PENDING jobs waiting far ahead, jobs coming due over a few seconds, each one's delay from its
 *   due time to its run (target: p99 under 5 s, the bound).
 * `--smoke` runs it small, so it cannot rot.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { JobScheduler } from '../presence/jobs';
import { silentLogger } from '../presence/log';
import { startAzurite } from '../sandbox/storage/azurite';
import { TableRecordStore } from '../storage/table-store';
import { fmt, percentile, table } from './stats';

const smoke = process.argv.includes('--smoke');
const PLAN = smoke ? { pending: 300, burst: 200, spread: 100, spreadMs: 3_000 } : { pending: 10_000, burst: 2_000, spread: 1_000, spreadMs: 10_000 };
const OWNER = (i: number) => ({ tenantId: '00000000-0000-4000-8000-000000000001', userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` });
const TARGET_P99_MS = 5_000;

async function main(): Promise<void> {
  const azurite = await startAzurite({ location: 'memory' });
  try {
    const open = async (name: string) => {
      const store = TableRecordStore.open({ kind: 'connectionString', connectionString: azurite.connectionString }, `bench${name}${Date.now()}`);
      await store.ensureTable();
      return store;
    };
    const index = await open('jobs');
    const lateness: number[] = [];
    let ran = 0;
    const scheduler = new JobScheduler({
      index,
      logger: silentLogger,
      now: Date.now,
      handlers: {
        bench: {
          run: (job) => {
            ran += 1;
            if (job.payload.measure) lateness.push(Date.now() - job.dueAt.getTime());
            return Promise.resolve();
          },
        },
      },
    });
    const schedule = async (count: number, dueAt: (i: number) => number, measure: boolean) => {
      for (let i = 0; i < count; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, count - i) }, (_, k) =>
            scheduler.schedule(OWNER(i + k), { kind: 'bench', dueAt: new Date(dueAt(i + k)), payload: { measure } }),
          ),
        );
      }
    };

    // Throughput: a burst all due now, run by polls back to back.
    const scheduledAt = Date.now();
    await schedule(PLAN.burst, () => scheduledAt, false);
    const start = Date.now();
    while (ran < PLAN.burst) await scheduler.runDue();
    const perSecond = PLAN.burst / ((Date.now() - start) / 1000);

    // Lateness: PENDING jobs a day ahead, then SPREAD jobs due over the next few seconds, with the scheduler polling as in the app.
    await schedule(PLAN.pending, (i) => Date.now() + 24 * 3600_000 + i, false);
    // Due from a second after they are all written, so none is late for having been written late.
    const measuredFrom = Date.now() + 1_000 + PLAN.spread * 2;
    await schedule(PLAN.spread, (i) => measuredFrom + (i * PLAN.spreadMs) / PLAN.spread, true);
    scheduler.start();
    const deadline = Date.now() + PLAN.spreadMs + 30_000;
    while (lateness.length < PLAN.spread && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await scheduler.stop();

    const p50 = percentile(lateness, 0.5);
    const p99 = percentile(lateness, 0.99);
    const pass = lateness.length === PLAN.spread && p99 < TARGET_P99_MS;
    console.log(
      table([
        ['timers (one instance, Azurite)', 'jobs', 'pending', 'result'],
        ['throughput: jobs run per second, all due at once', `${PLAN.burst} (${fmt(perSecond, 0)}/s)`, '0', ''],
        [
          `lateness: due to run, p50 / p99 ms (target p99 < ${TARGET_P99_MS})`,
          `${lateness.length} (${fmt(p50, 0)} / ${fmt(p99, 0)})`,
          String(PLAN.pending),
          pass ? 'PASS' : 'FAIL',
        ],
      ]),
    );
    const out = join(__dirname, '..', 'bench-output');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, `jobs${smoke ? '-smoke' : ''}.json`),
      JSON.stringify({ plan: PLAN, perSecond, lateness: { count: lateness.length, p50, p99 } }, null, 2),
    );
    if (!pass) process.exitCode = 1;
  } finally {
    await azurite.stop();
  }
}

void main();

/**
 * `npm run bench:jobs` (second part): what renewing sessions past Graph's 4 hours costs. USERS users each set
 * `presenting 24h` through the service (sandbox mounted, store in memory, the app's clock the emulator's); the clock
 * is then moved to each renewal in turn and the Graph calls and token requests counted. Between renewals the
 * cached Graph tokens are dropped, as the 3 h 50 min between two renewals would (a Graph token lasts about an
 * hour), so each renewal pays its refresh-token grant. Target: one Graph call per renewal.
 * `--smoke` runs it small, so it cannot rot.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../presence/log';
import { startServer } from '../server/app';
import { loadConfig } from '../server/config';
import { fmt, table } from './stats';

const smoke = process.argv.includes('--smoke');
/** At most 500 a round: the emulator's request log holds the last 500. */
const USERS = smoke ? 10 : 200;
const HOUR = 3_600_000;
/** A renewal comes 10 minutes before Graph's end (presence/timers.ts): every 3 h 50 min after the first set. */
const RENEWAL_EVERY_MS = 4 * HOUR - 10 * 60_000;
const ROUNDS = 5;
const TENANT = '00000000-0000-0000-0000-000000000001';
/** One tenant's many users at once: no fair-use limit in the way of the measurement. */
const UNLIMITED_LIMITS = { user: { burst: 1e6, perSecond: 1e6 }, tenant: { requests: 1e9, windowMs: 30_000 } };
const user = (i: number) => ({ tenantId: TENANT, userId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}` });

async function main(): Promise<void> {
  const app = await startServer(loadConfig({ PORT: '0', STORAGE: 'memory' }), { logger: silentLogger, jobPollMs: 50, limits: UNLIMITED_LIMITS });
  const sandbox = app.sandbox;
  if (!sandbox) throw new Error('sandbox expected');
  try {
    for (let i = 0; i < USERS; i++) {
      const ssoToken = await sandbox.issuer.issueSsoToken(user(i));
      await app.service.execute({ kind: 'sso', ssoToken }, { kind: 'set', state: 'Presenting', durationMs: 24 * HOUR });
    }
    // The emulator's request log keeps the last 500: a round's requests are told apart by their time (after its advance).
    const since = (at: number) => sandbox.graphRequests().filter((r) => Date.parse(r.time) >= at);
    const setPresence = (at: number) => since(at).filter((r) => r.path.endsWith('/presence/setPresence')).length;
    const start = sandbox.emulator.now();
    const rounds: { graph: number; setPresence: number; tokens: number; ms: number; cpuMs: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (let i = 0; i < USERS; i++) app.tokens.evict(user(i));
      const tokens = sandbox.issuer.stats.refreshes;
      const cpu = process.cpuUsage();
      const t0 = Date.now();
      sandbox.emulator.advance(start + round * RENEWAL_EVERY_MS - sandbox.emulator.now());
      const at = sandbox.emulator.now();
      while (setPresence(at) < USERS && Date.now() - t0 < 60_000) await new Promise((resolve) => setTimeout(resolve, 20));
      const used = process.cpuUsage(cpu);
      rounds.push({
        graph: since(at).length,
        setPresence: setPresence(at),
        tokens: sandbox.issuer.stats.refreshes - tokens,
        ms: Date.now() - t0,
        cpuMs: (used.user + used.system) / 1000,
      });
    }
    const renewals = rounds.reduce((n, r) => n + r.setPresence, 0);
    const perRenewal = (key: 'graph' | 'tokens' | 'cpuMs') => rounds.reduce((n, r) => n + r[key], 0) / renewals;
    const pass = renewals === USERS * ROUNDS && perRenewal('graph') === 1;
    console.log(
      table([
        [`renewals (presenting 24h, ${USERS} users, ${ROUNDS} rounds)`, 'per renewal', 'result'],
        ['Graph calls (target 1)', fmt(perRenewal('graph'), 2), pass ? 'PASS' : 'FAIL'],
        ['token requests (refresh-token grant, Graph token evicted)', fmt(perRenewal('tokens'), 2), ''],
        ['CPU ms, app and in-process sandbox together', fmt(perRenewal('cpuMs'), 2), ''],
        ['wall ms per round of all users', fmt(rounds.reduce((n, r) => n + r.ms, 0) / ROUNDS, 0), ''],
      ]),
    );
    const out = join(__dirname, '..', 'bench-output');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `renewals${smoke ? '-smoke' : ''}.json`), JSON.stringify({ users: USERS, rounds }, null, 2));
    if (!pass) process.exitCode = 1;
  } finally {
    await app.close();
  }
}

void main();

/**
 * The load generator, in its own process so its CPU is not the server's: undici keep-alive connections, each
 * sending one activity at a time (a closed loop, like Teams users waiting for the answer) and timing the turn
 * from request to response. CloudAdapter answers a message activity only after the turn, reply included, so
 * the response time is the whole turn.
 */
import { Pool } from 'undici';
import { benchActivity, type FromLoadgen, type LoadResult, type LoadSpec, type ToLoadgen } from './protocol';

const HEADERS = { 'content-type': 'application/json' };

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const pool = new Pool(spec.url, { connections: spec.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const latenciesMs: number[] = [];
  const failures: Record<string, number> = {};
  const fail = (key: string) => {
    failures[key] = (failures[key] ?? 0) + 1;
  };
  const total = spec.requests ?? Number.POSITIVE_INFINITY;
  const start = performance.now();
  const deadline = spec.durationMs === undefined ? Number.POSITIVE_INFINITY : start + spec.durationMs;
  let next = 0;

  const worker = async (): Promise<void> => {
    for (;;) {
      const k = next;
      if (k >= total || performance.now() >= deadline) return;
      next++;
      const user = spec.users.first + (k % spec.users.count);
      const text = spec.commands[Math.floor(k / spec.users.count) % spec.commands.length] ?? 'status';
      const body = JSON.stringify(benchActivity(spec.serviceUrl, user, spec.users.tenants, text, k));
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: '/api/messages', method: 'POST', headers: HEADERS, body });
        await res.body.dump();
        if (res.statusCode === 200) latenciesMs.push(performance.now() - t0);
        else fail(`HTTP ${res.statusCode}`);
      } catch (err) {
        fail(err instanceof Error ? ((err as { code?: string }).code ?? err.name) : 'error');
      }
    }
  };

  await Promise.all(Array.from({ length: spec.connections }, worker));
  const elapsedMs = performance.now() - start;
  await pool.close();
  return { ok: latenciesMs.length, failures, elapsedMs, latenciesMs };
}

if (require.main === module) {
  const send = (message: FromLoadgen) => process.send?.(message);
  process.on('message', (message: ToLoadgen) => {
    if (message.type === 'stop') process.exit(0);
    runLoad(message.spec).then(
      (result) => send({ type: 'result', id: message.id, result }),
      (err: unknown) => send({ type: 'error', id: message.id, message: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

import type { Logger } from '../presence/log';
import type { AppStores } from '../presence/store';

/**
 * How often each instance deletes expired records (any instance may; deletes are conditional): sign-in claims
 * and pending commands often, per-user records past their retention and timers' index rows orphaned by a crash a
 * few times a day (a whole-table scan).
 */
export const SWEEP_EVERY_MS: Readonly<Record<keyof AppStores, number>> = { transient: 5 * 60_000, users: 6 * 3600_000, jobs: 6 * 3600_000 };

/** Starts the periodic sweeps; they never keep the process alive. Returns the function that stops them. */
export function startSweepers(stores: AppStores, logger: Logger): () => void {
  const timers = (Object.keys(SWEEP_EVERY_MS) as (keyof AppStores)[]).map((name) => {
    const timer = setInterval(() => {
      stores[name].sweep(new Date()).then(
        (deleted) => logger.debug('swept expired records', { store: name, deleted }),
        (err: unknown) => logger.warn('sweep failed', { store: name, error: err }),
      );
    }, SWEEP_EVERY_MS[name]);
    timer.unref();
    return timer;
  });
  return () => timers.forEach(clearInterval);
}

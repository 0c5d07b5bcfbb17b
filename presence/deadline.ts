/** What `Deadline.run` rejects with when the deadline passes first; each caller turns it into its own coded error. */
export class DeadlineExceeded extends Error {
  constructor() {
    super('deadline exceeded');
    this.name = 'DeadlineExceeded';
  }
}

/**
 * One command's time budget, shared by every call it makes (token exchange, Graph attempts, retry waits).
 * It holds no timer itself: `run` starts one for the call it wraps and stops it when the call settles, so a
 * finished command leaves nothing behind. Built on `now` and `setTimeout`, so sinon's fake timers drive it.
 */
export class Deadline {
  private constructor(
    private readonly at: number,
    private readonly now: () => number,
  ) {}

  static after(ms: number, now: () => number = Date.now): Deadline {
    return new Deadline(now() + ms, now);
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.now());
  }

  /**
   * Runs `work` with a signal that aborts when the deadline passes, and rejects with DeadlineExceeded then,
   * whether or not `work` heeds the signal. Once the deadline has passed, `work` is not started at all.
   */
  run<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const remaining = this.remainingMs();
    if (remaining <= 0) return Promise.reject(new DeadlineExceeded());
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new DeadlineExceeded());
        controller.abort(new DeadlineExceeded());
      }, remaining);
      // The async wrapper turns a synchronous throw into a rejection, so the timer is always stopped.
      void (async () => work(controller.signal))()
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
  }
}

/** `work` under the deadline when there is one; without one it runs unbounded (no signal). */
export function within<T>(deadline: Deadline | undefined, work: (signal?: AbortSignal) => Promise<T>): Promise<T> {
  return deadline ? deadline.run(work) : work();
}

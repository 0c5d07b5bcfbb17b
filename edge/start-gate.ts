import type { Next, Request, Response, Server } from 'restify';

/**
 * The server listens before it knows its own URL (the sandbox's routes and tokens name it), so for a moment
 * it accepts connections that no route is registered for yet. The gate holds every request that arrives in
 * that moment until every route is in place, then lets it through: nothing meets a 404, and /healthz says
 * ok only once the server is ready. A start that fails, or takes longer than `holdMs`, answers 503.
 */
export function startGate(server: Server, holdMs = 10_000): { open(): void; fail(): void } {
  let state: 'starting' | 'open' | 'failed' = 'starting';
  let settle: () => void = () => {};
  const ready = new Promise<void>((resolve) => (settle = resolve));
  const answer = (res: Response, next: Next) => {
    if (state === 'open') return next();
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ status: 'starting' }));
    return next(false);
  };
  server.pre((_req: Request, res: Response, next: Next) => {
    if (state !== 'starting') return answer(res, next);
    // Each request waits for the start, or for holdMs of its own, whichever comes first.
    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise<void>((resolve) => (timer = setTimeout(resolve, holdMs)));
    void Promise.race([ready, tooLong]).then(() => {
      clearTimeout(timer);
      answer(res, next);
    });
    return undefined;
  });
  return {
    open: () => {
      state = 'open';
      settle();
    },
    fail: () => {
      state = 'failed';
      settle();
    },
  };
}

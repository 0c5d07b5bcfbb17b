/** Graph's presence throttling: at most `limit` requests per `windowMs` per app per tenant (fixed windows). */
import { GraphError } from './graph-error';

export interface ThrottleLimits {
  readonly limit: number;
  readonly windowMs: number;
}

/** The seeds: 10,000 requests per 30 seconds per app per tenant. */
export const GRAPH_PRESENCE_THROTTLE: ThrottleLimits = { limit: 10_000, windowMs: 30_000 };

export class TenantThrottle {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limits: ThrottleLimits) {}

  /** Counts one request for `tenantId` at `now`; throws a 429 GraphError (with Retry-After) over the limit. */
  take(tenantId: string, now: number): void {
    let window = this.windows.get(tenantId);
    if (!window || now - window.start >= this.limits.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(tenantId, window);
    }
    window.count += 1;
    if (window.count > this.limits.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.start + this.limits.windowMs - now) / 1000));
      throw new GraphError(429, 'TooManyRequests', 'Too many requests.', retryAfterSeconds);
    }
  }
}

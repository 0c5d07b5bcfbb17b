import { LruMap } from './tokens/lru';

/** A token bucket's shape: `burst` requests at once, then `perSecond` on average. */
export interface BucketLimits {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * Token buckets per key (a user, a client address), in this instance's memory: O(1) per check, and at most
 * `maxKeys` buckets (the least recently used go first; a forgotten bucket comes back full, which only errs
 * towards letting a request through).
 */
export class RateLimiter {
  private readonly buckets: LruMap<{ tokens: number; at: number }>;

  constructor(
    private readonly limits: BucketLimits,
    maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limits.burst >= 1) || !(limits.perSecond > 0)) throw new RangeError('a bucket needs a burst of at least 1 and a positive rate');
    this.buckets = new LruMap(maxKeys);
  }

  /** Takes one token for `key`: 0 when the request may go ahead, else the whole seconds until a token is back. */
  take(key: string): number {
    const wait = this.peek(key);
    if (wait === 0) {
      const bucket = this.fill(key);
      bucket.tokens -= 1;
    }
    return wait;
  }

  /** Gives back a token taken for a request that turned out not to count (never beyond the burst). */
  refund(key: string): void {
    const bucket = this.fill(key);
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + 1);
  }

  /** The seconds until `key` has a token (0: it has one now), without taking it. */
  peek(key: string): number {
    const { tokens } = this.fill(key);
    if (tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - tokens) / this.limits.perSecond));
  }

  private fill(key: string): { tokens: number; at: number } {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limits.burst, at: now };
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.limits.perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket;
  }
}

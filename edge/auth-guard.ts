import type { IncomingMessage } from 'node:http';
import { RateLimiter, type BucketLimits } from '../presence/rate-limit';
import { NO_TELEMETRY, type Telemetry } from '../presence/telemetry';
import { clientAddress } from './client-address';

export interface AuthGuardOptions {
  /** Failed authentications per client address: a burst, then a steady rate. */
  readonly failures: BucketLimits;
  readonly trustForwardedFor: boolean;
  readonly now?: () => number;
  /** Counts each request refused for its address's failures. */
  readonly telemetry?: Telemetry;
}

/**
 * Sits in front of token validation: each validation takes one of its address's tokens first, and a request
 * whose token turns out valid gives it back. So an address that keeps failing is answered 429 before its next
 * token is even looked at, a burst of forged tokens sent all at once is bounded like one sent in a row, and a
 * busy, well-behaved caller (the Bot Framework's few addresses carry every user's messages) is never slowed:
 * its validations hold a token only for the moment they take.
 */
export class AuthGuard {
  private readonly failures: RateLimiter;

  constructor(private readonly options: AuthGuardOptions) {
    this.failures = new RateLimiter(options.failures, 10_000, options.now);
  }

  /**
   * Before validating a token: 0 and a reservation when the address may try (then call `settle`), or the
   * seconds to wait.
   */
  begin(req: IncomingMessage): number {
    const wait = this.failures.take(this.key(req));
    if (wait > 0) (this.options.telemetry ?? NO_TELEMETRY).count('rateLimited', { scope: 'sign_in' });
    return wait;
  }

  /** After validating: a valid token gives the reservation back; a refused one keeps it, as a failure. */
  settle(req: IncomingMessage, valid: boolean): void {
    if (valid) this.failures.refund(this.key(req));
  }

  private key(req: IncomingMessage): string {
    return clientAddress(req, this.options.trustForwardedFor);
  }
}

/** What sandbox mode and tests use unless told otherwise: 30 failures at once, then one a second. */
export const DEFAULT_AUTH_FAILURES: BucketLimits = { burst: 30, perSecond: 1 };

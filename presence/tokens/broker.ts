import { identityKey, type Identity } from './identity';
import { LruMap } from './lru';
import type { GraphToken, TokenExchanger } from './obo';
import type { SsoTokenValidator } from './sso-validator';

export interface BrokerOptions {
  readonly validator: Pick<SsoTokenValidator, 'validate'>;
  readonly exchanger: TokenExchanger;
  /** How many users' Graph tokens are kept; the least recently used go first. */
  readonly cacheSize: number;
  /** A token is reused until this long before it expires. */
  readonly refreshBeforeMs?: number;
  readonly now?: () => number;
}

export interface BrokerStats {
  ssoValidations: number;
  exchanges: number;
  cacheHits: number;
  cachedUsers: number;
}

/**
 * Turns a Teams SSO token into a Graph token for the same user: validates it, exchanges it on
 * behalf of the user, and caches the result per user, so a returning user costs no token request.
 */
export class GraphTokenBroker {
  private readonly cache: LruMap<GraphToken>;
  private readonly inflight = new Map<string, Promise<GraphToken>>();
  private readonly counters = { ssoValidations: 0, exchanges: 0, cacheHits: 0 };

  constructor(private readonly options: BrokerOptions) {
    this.cache = new LruMap(options.cacheSize);
  }

  /** A still-valid cached Graph token for this user, or undefined. */
  cached(identity: Identity): string | undefined {
    const key = identityKey(identity);
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt - (this.options.refreshBeforeMs ?? 5 * 60_000) <= this.now()) {
      this.cache.delete(key);
      return undefined;
    }
    this.counters.cacheHits++;
    return entry.accessToken;
  }

  /** Validates the SSO token (throws `unauthenticated`), then returns a cached or freshly exchanged Graph token. */
  async fromSso(ssoToken: string): Promise<{ identity: Identity; graphToken: string }> {
    this.counters.ssoValidations++;
    const { identity } = await this.options.validator.validate(ssoToken);
    const cached = this.cached(identity);
    if (cached) return { identity, graphToken: cached };
    const key = identityKey(identity);
    let pending = this.inflight.get(key);
    if (!pending) {
      this.counters.exchanges++;
      pending = this.options.exchanger.exchange(ssoToken, identity.tenantId).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const token = await pending;
    this.cache.set(key, token);
    return { identity, graphToken: token.accessToken };
  }

  /** Forget a user's token (Graph rejected it). */
  evict(identity: Identity): void {
    this.cache.delete(identityKey(identity));
  }

  stats(): BrokerStats {
    return { ...this.counters, cachedUsers: this.cache.size };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

import type { Deadline } from '../deadline';
import { PresenceError } from '../errors';
import { identityKey, type Identity } from './identity';
import { LruMap } from './lru';
import type { GraphToken, TokenExchanger } from './obo';
import type { SsoTokenValidator } from './sso-validator';
import { NO_TELEMETRY, type Span, type Telemetry } from '../telemetry';

export interface BrokerOptions {
  readonly validator: Pick<SsoTokenValidator, 'validate'>;
  readonly exchanger: TokenExchanger;
  /** How many users' Graph tokens are kept; the least recently used go first. */
  readonly cacheSize: number;
  /** A token is reused until this long before it expires. */
  readonly refreshBeforeMs?: number;
  /**
   * Every exchange asks for offline access too, and the refresh token is held in memory with the Graph token: a
   * command that plans a timer later keeps it (presence/tokens/refresh-tokens.ts) without a second exchange. Only
   * where timers are on (a data key to seal refresh tokens).
   */
  readonly offlineAccess?: boolean;
  readonly now?: () => number;
  /** Counts each cache lookup, hit or miss. */
  readonly telemetry?: Telemetry;
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
    const telemetry = this.options.telemetry ?? NO_TELEMETRY;
    const entry = this.cache.get(key);
    const fresh = entry && entry.expiresAt - (this.options.refreshBeforeMs ?? 5 * 60_000) > this.now();
    if (entry && !fresh) this.cache.delete(key);
    telemetry.count('tokenCache', { result: fresh ? 'hit' : 'miss' });
    if (!entry || !fresh) return undefined;
    this.counters.cacheHits++;
    return entry.accessToken;
  }

  /**
   * Validates the SSO token (throws `unauthenticated` or `token_expired`), then returns a cached or freshly exchanged Graph token.
   * With `expected` (the bot's sender), a token for anyone else is refused before it is exchanged or cached.
   */
  async fromSso(ssoToken: string, expected?: Identity, deadline?: Deadline): Promise<{ identity: Identity; graphToken: string }> {
    const identity = await this.validate(ssoToken, expected);
    return { identity, graphToken: await this.graphToken(identity, ssoToken, deadline) };
  }

  /** Only the validation: who the SSO token names (refused when it is not `expected`). No request leaves the process but the keys' fetch. */
  async validate(ssoToken: string, expected?: Identity): Promise<Identity> {
    this.counters.ssoValidations++;
    const { identity } = await this.options.validator.validate(ssoToken);
    if (expected && identityKey(expected) !== identityKey(identity)) {
      throw new PresenceError('unauthenticated', { detail: 'sso token is for another user than the sender' });
    }
    return identity;
  }

  /**
   * The Graph token for a user whose SSO token `validate` accepted: cached, or exchanged on their behalf.
   * `deadline` bounds the exchange this call starts. A call that joins an exchange already under way waits on it,
   * bounded by the first caller's deadline: with the service's one budget per command, that deadline is the earlier.
   */
  async graphToken(identity: Identity, ssoToken: string, deadline?: Deadline, trace?: Span): Promise<string> {
    const cached = this.cached(identity);
    if (cached) return cached;
    const key = identityKey(identity);
    let pending = this.inflight.get(key);
    if (!pending) {
      this.counters.exchanges++;
      pending = this.options.exchanger
        .exchange(ssoToken, identity.tenantId, deadline, this.options.offlineAccess, trace)
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const token = await pending;
    this.cache.set(key, token);
    return token.accessToken;
  }

  /**
   * A fresh exchange that asks for offline access too, bypassing the cache: the refresh token a timer needs to act
   * hours later (presence/timers.ts). The Graph token it brings is cached as any other.
   */
  async offlineToken(identity: Identity, ssoToken: string, deadline?: Deadline, trace?: Span): Promise<GraphToken> {
    this.counters.exchanges++;
    const token = await this.options.exchanger.exchange(ssoToken, identity.tenantId, deadline, true, trace);
    this.remember(identity, token);
    return token;
  }

  /**
   * Caches a Graph token obtained another way (a timer's refresh): the user's next command costs no token request.
   * Its refresh token is not held: the one that replaced it is kept sealed already.
   */
  remember(identity: Identity, token: GraphToken): void {
    this.cache.set(identityKey(identity), { accessToken: token.accessToken, expiresAt: token.expiresAt });
  }

  /**
   * Hands over the refresh token the user's cached exchange brought (offlineAccess), once: the store keeps it from
   * then on, and a timer's use rotates it, so this copy must not be kept again later.
   */
  takeRefreshToken(identity: Identity): string | undefined {
    const key = identityKey(identity);
    const entry = this.cache.get(key);
    if (!entry?.refreshToken) return undefined;
    this.cache.set(key, { accessToken: entry.accessToken, expiresAt: entry.expiresAt });
    return entry.refreshToken;
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

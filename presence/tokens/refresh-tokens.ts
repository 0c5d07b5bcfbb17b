/**
 * A user's refresh token, kept only for timers that must act while the user is not chatting (restore, renewal,
 * scheduled statuses): sealed at rest (sealed.ts), in the user's own partition (so `forget me` deletes it), replaced
 * on every use (Entra rotates refresh tokens), and deleted when Entra refuses it (revoked, expired, consent
 * withdrawn). Never in a log, never in a reply.
 */
import type { Deadline } from '../deadline';
import { PresenceError } from '../errors';
import { isStoreError, userPartition, type RecordStore, type WriteOptions } from '../store';
import type { Span } from '../telemetry';
import type { Identity } from './identity';
import type { GraphToken, OnBehalfOfExchanger } from './obo';
import { open, seal, sealedUnderOtherKey, type DataKey } from './sealed';

const ROW = 'refresh_token';

export interface RefreshTokensOptions {
  /** The users store: the token's row sits beside the user's record. */
  readonly store: RecordStore;
  readonly key: DataKey;
  readonly exchanger: Pick<OnBehalfOfExchanger, 'redeem'>;
  readonly now?: () => number;
}

/**
 * A kept token's row expires after this long without use: Entra's refresh tokens lapse after 90 days unused, so one
 * older is useless, and a row no timer released is swept then.
 */
const UNUSED_LIFETIME_MS = 90 * 24 * 3600_000;

export class RefreshTokens {
  constructor(private readonly options: RefreshTokensOptions) {}

  /** Keeps the refresh token an on-behalf-of exchange with offline access returned. */
  async keep(identity: Identity, refreshToken: string, trace?: Span): Promise<void> {
    const partition = userPartition(identity);
    await this.options.store.upsert({ partition, row: ROW }, seal(this.options.key, refreshToken, partition), this.lifetime(trace));
  }

  /**
   * Whether a refresh token is kept for the user (it may still be refused when redeemed). Read from the store every
   * time: another instance may have released it a moment ago, and a plan made on a stale "yes" would fail later.
   */
  async has(identity: Identity, trace?: Span): Promise<boolean> {
    return (await this.options.store.read({ partition: userPartition(identity), row: ROW }, { trace })) !== undefined;
  }

  /**
   * A Graph token for the user from their refresh token, which is replaced by the one Entra returns with it;
   * undefined when none is kept (or it no longer opens). Refused by Entra: deleted, and consent_required.
   */
  async graphToken(identity: Identity, deadline?: Deadline, trace?: Span): Promise<GraphToken | undefined> {
    const partition = userPartition(identity);
    const key = { partition, row: ROW };
    const stored = await this.options.store.read(key, { trace });
    if (!stored) return undefined;
    const refreshToken = open(this.options.key, stored.value, partition);
    if (refreshToken === undefined) {
      // Sealed under another key: left for an instance that has that key, and this try fails (to be retried).
      if (sealedUnderOtherKey(this.options.key, stored.value)) throw new PresenceError('internal', { detail: 'refresh token sealed under another data key' });
      // Tampered or moved: useless, so dropped.
      await this.options.store.delete(key, stored.etag, { trace }).catch(() => false);
      return undefined;
    }
    let fresh: GraphToken;
    try {
      fresh = await this.options.exchanger.redeem(refreshToken, identity.tenantId, deadline, trace);
    } catch (err) {
      // Conditional on what was read: a token another instance rotated in meanwhile is not thrown away.
      if (err instanceof PresenceError && err.code === 'consent_required') await this.options.store.delete(key, stored.etag, { trace }).catch(() => false);
      throw err;
    }
    if (fresh.refreshToken) {
      try {
        await this.options.store.replace(key, seal(this.options.key, fresh.refreshToken, partition), stored.etag, this.lifetime(trace));
      } catch (err) {
        // Another instance redeemed the same token at the same moment and kept its own replacement: keep that one.
        if (!isStoreError(err, 'conflict')) throw err;
      }
    }
    return fresh;
  }

  /** Deletes the user's refresh token (no timer left that needs it). */
  forget(identity: Identity, trace?: Span): Promise<boolean> {
    return this.options.store.delete({ partition: userPartition(identity), row: ROW }, undefined, { trace });
  }

  private lifetime(trace: Span | undefined): WriteOptions {
    return { expiresAt: new Date((this.options.now ?? Date.now)() + UNUSED_LIFETIME_MS), trace };
  }
}

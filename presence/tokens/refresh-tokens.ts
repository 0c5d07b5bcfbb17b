/**
 * A user's refresh token, kept only for timers that must act while the user is not chatting (restore, renewal,
 * scheduled statuses): sealed at rest (sealed.ts), in the user's own partition (so `forget me` deletes it), replaced
 * on every use (Entra rotates refresh tokens), and deleted when Entra refuses it (revoked, expired, consent
 * withdrawn). Never in a log, never in a reply.
 */
import type { Deadline } from '../deadline';
import { PresenceError } from '../errors';
import { isStoreError, userPartition, type RecordStore } from '../store';
import type { Identity } from './identity';
import type { GraphToken, OnBehalfOfExchanger } from './obo';
import { open, seal, sealedUnderOtherKey, type DataKey } from './sealed';

const ROW = 'refresh_token';

export interface RefreshTokensOptions {
  /** The users store: the token's row sits beside the user's record. */
  readonly store: RecordStore;
  readonly key: DataKey;
  readonly exchanger: Pick<OnBehalfOfExchanger, 'redeem'>;
}

export class RefreshTokens {
  constructor(private readonly options: RefreshTokensOptions) {}

  /** Keeps the refresh token an on-behalf-of exchange with offline access returned. */
  async keep(identity: Identity, refreshToken: string): Promise<void> {
    const partition = userPartition(identity);
    await this.options.store.upsert({ partition, row: ROW }, seal(this.options.key, refreshToken, partition));
  }

  /**
   * A Graph token for the user from their refresh token, which is replaced by the one Entra returns with it;
   * undefined when none is kept (or it no longer opens). Refused by Entra: deleted, and consent_required.
   */
  async graphToken(identity: Identity, deadline?: Deadline): Promise<GraphToken | undefined> {
    const partition = userPartition(identity);
    const key = { partition, row: ROW };
    const stored = await this.options.store.read(key);
    if (!stored) return undefined;
    const refreshToken = open(this.options.key, stored.value, partition);
    if (refreshToken === undefined) {
      // Tampered or moved: useless, so dropped. Sealed under another key: left for an instance that has that key.
      if (!sealedUnderOtherKey(this.options.key, stored.value)) await this.options.store.delete(key, stored.etag).catch(() => false);
      return undefined;
    }
    let fresh: GraphToken;
    try {
      fresh = await this.options.exchanger.redeem(refreshToken, identity.tenantId, deadline);
    } catch (err) {
      // Conditional on what was read: a token another instance rotated in meanwhile is not thrown away.
      if (err instanceof PresenceError && err.code === 'consent_required') await this.options.store.delete(key, stored.etag).catch(() => false);
      throw err;
    }
    if (fresh.refreshToken) {
      try {
        await this.options.store.replace(key, seal(this.options.key, fresh.refreshToken, partition), stored.etag);
      } catch (err) {
        // Another instance redeemed the same token at the same moment and kept its own replacement: keep that one.
        if (!isStoreError(err, 'conflict')) throw err;
      }
    }
    return fresh;
  }

  /** Deletes the user's refresh token (no job left that needs it). */
  forget(identity: Identity): Promise<boolean> {
    return this.options.store.delete({ partition: userPartition(identity), row: ROW });
  }
}

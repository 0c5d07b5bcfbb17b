import { randomBytes } from 'node:crypto';
import type { SandboxUser } from './issuer';
import { tokenError, type TokenError } from './token-error';

/**
 * Entra ID's default: a refresh token unused for 90 days expires (Microsoft Learn, "Refresh tokens in the
 * Microsoft identity platform"; not configurable there). Each use replaces the token, so the 90 days restart.
 */
const REFRESH_TOKEN_INACTIVITY_MS = 90 * 86_400_000;

/** What a refresh token stands for: one user's grant to one client, with the scopes granted at the exchange. */
export interface RefreshGrant {
  readonly user: SandboxUser;
  readonly clientId: string;
  readonly scope: string;
  /** When the exchange made the grant; kept through rotations. */
  readonly grantedAt: number;
}

interface Held {
  readonly grant: RefreshGrant;
  readonly issuedAt: number;
  revokedAt?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The sandbox issuer's refresh tokens: opaque random strings, as a client must treat Entra's (encrypted, only the
 * identity platform reads them). Single use, which is stricter than Entra: Entra leaves a used token valid and tells
 * clients to delete it once they hold the new one (Learn: "doesn't revoke old refresh tokens when used"); here a
 * client that keeps using the old one fails, so the sandbox shows it. A reuse revokes nothing else: Entra never
 * does, and a client racing two refreshes would otherwise meet a failure production cannot produce.
 *
 * In memory only, like the issuer's consent switch: the sandbox restarts rarely, and a restart then looks to a
 * client like every grant gone (`invalid_grant`), which it has to handle anyway.
 */
export class RefreshTokens {
  private readonly held = new Map<string, Held>();

  issue(grant: RefreshGrant, now: number): string {
    const token = randomBytes(32).toString('base64url');
    this.held.set(token, { grant, issuedAt: now });
    return token;
  }

  /** The grant behind `token` if `clientId` may redeem it now, or Entra's refusal; nothing is used up. */
  check(token: string, clientId: string, now: number): { readonly ok: true; readonly grant: RefreshGrant } | TokenError {
    const held = this.held.get(token);
    // Unknown, already used, or another app's: Entra answers AADSTS70000 to a refresh token redeemed by the wrong client.
    if (!held || held.grant.clientId !== clientId) return tokenError(now, 400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
    if (held.revokedAt !== undefined) {
      const description =
        'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. ' +
        `The grant was issued on '${iso(held.grant.grantedAt)}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${iso(held.revokedAt)}'.`;
      return tokenError(now, 400, 'invalid_grant', 50173, description);
    }
    if (now - held.issuedAt >= REFRESH_TOKEN_INACTIVITY_MS) {
      const inactive = `${REFRESH_TOKEN_INACTIVITY_MS / 86_400_000}.00:00:00`;
      const description = `The refresh token has expired due to inactivity. The token was issued on ${iso(held.issuedAt)} and was inactive for ${inactive}.`;
      return tokenError(now, 400, 'invalid_grant', 700082, description);
    }
    return { ok: true, grant: held.grant };
  }

  /** Redeems `token`: it stops working, and the new one returned stands for the same grant. */
  rotate(token: string, grant: RefreshGrant, now: number): string {
    this.held.delete(token);
    return this.issue(grant, now);
  }

  /** Revokes every refresh token of the user (in that tenant only, if given), as an admin's "revoke sessions" does; how many. */
  revoke(userId: string, tenantId: string | undefined, now: number): number {
    let count = 0;
    for (const held of this.held.values()) {
      const { user } = held.grant;
      if (user.userId !== userId || (tenantId !== undefined && user.tenantId !== tenantId) || held.revokedAt !== undefined) continue;
      held.revokedAt = now;
      count++;
    }
    return count;
  }
}

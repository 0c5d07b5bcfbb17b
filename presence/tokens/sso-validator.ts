import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { PresenceError } from '../errors';
import type { Identity } from './identity';

export interface SsoValidatorOptions {
  /** The app's client ID; v2 SSO tokens carry it as `aud`. */
  readonly clientId: string;
  /** The Application ID URI (api://{domain}/botid-{clientId}); v1 tokens carry it as `aud`. */
  readonly applicationIdUri?: string;
  /** e.g. https://login.microsoftonline.com; the issuer must be {authorityHost}/{tid}/v2.0. */
  readonly authorityHost: string;
  /** Tenants allowed to use the app; undefined allows every tenant. */
  readonly allowedTenants?: readonly string[];
  /** The signing keys; defaults to the authority's JWKS, fetched and cached. */
  readonly keys?: JWTVerifyGetKey;
  readonly requiredScope?: string;
  readonly clockToleranceSeconds?: number;
}

export interface ValidatedSso {
  readonly identity: Identity;
  readonly expiresAt: Date;
  readonly name?: string;
}

/**
 * Validates a Teams SSO token: signature (JWKS), audience, issuer for its tenant, expiry, and the access_as_user scope.
 * A token that passes everything but expiry is `token_expired`; any other failure is `unauthenticated`.
 */
export class SsoTokenValidator {
  private readonly keys: JWTVerifyGetKey;
  private readonly audiences: string[];
  private readonly authorityHost: string;

  constructor(private readonly options: SsoValidatorOptions) {
    this.authorityHost = options.authorityHost.replace(/\/+$/, '');
    this.keys = options.keys ?? createRemoteJWKSet(new URL(`${this.authorityHost}/common/discovery/v2.0/keys`), { cacheMaxAge: 24 * 3600_000 });
    this.audiences = [options.clientId, ...(options.applicationIdUri ? [options.applicationIdUri] : [])];
  }

  async validate(token: string): Promise<ValidatedSso> {
    let payload: JWTPayload;
    let expired = false;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        audience: this.audiences,
        clockTolerance: this.options.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp', 'iss', 'tid', 'oid'],
      }));
    } catch (err) {
      // The keys could not be fetched: the identity platform is at fault, not the user's token.
      if (
        !(err instanceof joseErrors.JOSEError) ||
        err instanceof joseErrors.JWKSTimeout ||
        err instanceof joseErrors.JWKSInvalid ||
        err.code === 'ERR_JOSE_GENERIC'
      ) {
        throw new PresenceError('identity_unavailable', { detail: `sso keys: ${joseReason(err)}` });
      }
      // jose (5.x) checks `exp` last, after the signature, audience, required claims and `nbf` (the tests hold it
      // to that). An expired token's claims still go through this app's own checks below: only a token that a
      // fresh one from Teams would replace is token_expired, the caller's cue to get one and retry.
      if (!(err instanceof joseErrors.JWTExpired && err.claim === 'exp'))
        throw new PresenceError('unauthenticated', { detail: `sso token: ${joseReason(err)}` });
      payload = err.payload;
      expired = true;
    }
    const tid = stringClaim(payload, 'tid');
    const oid = stringClaim(payload, 'oid');
    if (!tid || !oid) throw new PresenceError('unauthenticated', { detail: 'sso token: missing tid/oid' });
    if (!this.issuersFor(tid).includes(String(payload.iss))) throw new PresenceError('unauthenticated', { detail: 'sso token: issuer does not match tenant' });
    const scopes = (stringClaim(payload, 'scp') ?? '').split(' ');
    if (!scopes.includes(this.options.requiredScope ?? 'access_as_user')) throw new PresenceError('unauthenticated', { detail: 'sso token: scope missing' });
    if (this.options.allowedTenants && !this.options.allowedTenants.includes(tid)) {
      throw new PresenceError('tenant_not_allowed', { detail: 'sso token: tenant not in allow-list' });
    }
    if (expired) throw new PresenceError('token_expired', { detail: 'sso token: ERR_JWT_EXPIRED' });
    return { identity: { tenantId: tid, userId: oid }, expiresAt: new Date((payload.exp ?? 0) * 1000), name: stringClaim(payload, 'name') };
  }

  private issuersFor(tid: string): string[] {
    const issuers = [`${this.authorityHost}/${tid}/v2.0`];
    if (this.authorityHost === 'https://login.microsoftonline.com') issuers.push(`https://sts.windows.net/${tid}/`);
    return issuers;
  }
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function joseReason(err: unknown): string {
  return err instanceof joseErrors.JOSEError ? err.code : err instanceof Error ? err.name : 'unknown';
}

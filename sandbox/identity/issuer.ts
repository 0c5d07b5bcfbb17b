import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, type JWK, type KeyLike } from 'jose';
import { RefreshTokens } from './refresh-tokens';
import { tokenError, type TokenError } from './token-error';

/** Sandbox users are any aadObjectId/tenant seen. The default one is the Agents Playground's Alex Wilber, with well-formed GUIDs (the Playground's own built-in IDs have 13 digits in the last group; `npm run playground` gives it these). */
export const SANDBOX_USER = { userId: '00000000-0000-0000-0000-000000000020', tenantId: '00000000-0000-0000-0000-000000000001', name: 'Alex Wilber' } as const;

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const GRAPH_SCOPE_PREFIX = `${GRAPH_AUDIENCE}/`;
/** The OpenID Connect scope that asks for a refresh token; Entra leaves it out of the answer's `scope` (the on-behalf-of flow's own example). */
const OFFLINE_ACCESS = 'offline_access';

export interface SandboxUser {
  readonly userId: string;
  readonly tenantId: string;
  readonly name?: string;
}

export interface IssuerOptions {
  /** e.g. http://127.0.0.1:3978/sandbox/identity: tokens are issued as {authorityHost}/{tid}/v2.0. */
  readonly authorityHost: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenLifetimeSeconds?: number;
  /**
   * The issuer's clock (epoch ms) for refresh tokens' inactivity and error timestamps; the sandbox passes the Graph
   * emulator's, so `/sandbox/graph/_clock` ages them. Default Date.now. Signed tokens keep the wall clock: their
   * verifiers (jose here and in the app) check `exp` and `nbf` against real time.
   */
  readonly now?: () => number;
}

export type TokenResult =
  | {
      readonly ok: true;
      readonly body: { token_type: 'Bearer'; access_token: string; expires_in: number; scope: string; refresh_token?: string };
    }
  | TokenError;

export interface GraphTokenClaims {
  readonly userId: string;
  readonly tenantId: string;
  readonly scopes: readonly string[];
}

/**
 * A stand-in for the Microsoft identity platform: signs Teams-SSO-shaped tokens for sandbox users and
 * performs the on-behalf-of exchange for Graph tokens, so sandbox mode runs the production code path.
 */
export class SandboxIssuer {
  readonly stats = { ssoTokensIssued: 0, oboExchanges: 0, refreshes: 0 };
  private readonly kid = randomUUID();
  private readonly consentRevoked = new Set<string>();
  private readonly refreshTokens = new RefreshTokens();
  /** Confidential clients and their secrets: the app, and any a test registers. */
  private readonly clients: Map<string, string>;

  private constructor(
    private readonly options: IssuerOptions,
    private readonly privateKey: KeyLike,
    private readonly publicKey: KeyLike,
    private readonly jwk: JWK,
  ) {
    this.clients = new Map([[options.clientId, options.clientSecret]]);
  }

  static async create(options: IssuerOptions): Promise<SandboxIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return new SandboxIssuer(options, privateKey, publicKey, await exportJWK(publicKey));
  }

  get authorityHost(): string {
    return this.options.authorityHost;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.jwk, kid: this.kid, use: 'sig', alg: 'RS256' }] };
  }

  issuerFor(tenantId: string): string {
    return `${this.options.authorityHost}/${tenantId}/v2.0`;
  }

  /** What Teams' getAuthToken would return for this user: audience = the app, scope access_as_user. */
  async issueSsoToken(user: SandboxUser): Promise<string> {
    this.stats.ssoTokensIssued++;
    return this.sign(user, this.options.clientId, 'access_as_user', { azp: 'sandbox-teams-client' });
  }

  /** Withholds (or restores) a user's consent, so the consent path can be exercised locally. */
  setConsent(userId: string, granted: boolean): void {
    if (granted) this.consentRevoked.delete(userId);
    else this.consentRevoked.add(userId);
  }

  /** Registers another confidential client (an app of its own), e.g. to see a refresh token redeemed by the wrong app refused. */
  registerClient(clientId: string, clientSecret: string): void {
    this.clients.set(clientId, clientSecret);
  }

  /** Revokes every refresh token of the user (in that tenant only, if given), as an admin's "revoke sessions" does; how many. */
  revokeRefreshTokens(userId: string, tenantId?: string): number {
    return this.refreshTokens.revoke(userId, tenantId, this.now());
  }

  /** The token endpoint: the refresh-token grant, or else the on-behalf-of grant (which refuses any other grant type). */
  token(form: URLSearchParams, tenantId: string): Promise<TokenResult> {
    return form.get('grant_type') === 'refresh_token' ? this.refresh(form) : this.onBehalfOf(form, tenantId);
  }

  /** The token endpoint's jwt-bearer (on-behalf-of) grant; with `offline_access` in `scope`, a refresh token too. */
  async onBehalfOf(form: URLSearchParams, tenantId: string): Promise<TokenResult> {
    const fail = (status: number, error: string, code: number, description: string) => tokenError(this.now(), status, error, code, description);
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || form.get('requested_token_use') !== 'on_behalf_of') {
      return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const clientId = this.clientOf(form);
    if (clientId === undefined) return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    const assertion = form.get('assertion') ?? '';
    let user: SandboxUser;
    try {
      const { payload } = await jwtVerify(assertion, this.publicKey, { audience: this.options.clientId, issuer: this.issuerFor(tenantId) });
      if (
        typeof payload.oid !== 'string' ||
        typeof payload.tid !== 'string' ||
        typeof payload.scp !== 'string' ||
        !payload.scp.split(' ').includes('access_as_user')
      )
        throw new Error('claims');
      user = { userId: payload.oid, tenantId: payload.tid, name: typeof payload.name === 'string' ? payload.name : undefined };
    } catch {
      return fail(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
    }
    const requested = (form.get('scope') ?? '').split(' ');
    const scopes = graphScopes(requested);
    if (scopes.length === 0) return fail(400, 'invalid_scope', 70011, 'The provided value for the input parameter scope is not valid.');
    if (this.consentRevoked.has(user.userId)) {
      return fail(400, 'invalid_grant', 65001, 'The user or administrator has not consented to use the application.');
    }
    this.stats.oboExchanges++;
    const granted = [...new Set([...scopes.filter((s) => s !== '.default'), 'Presence.ReadWrite', 'User.Read'])].join(' ');
    const answer = await this.graphToken(user, clientId, granted);
    if (!requested.includes(OFFLINE_ACCESS)) return { ok: true, body: answer };
    const now = this.now();
    const refresh_token = this.refreshTokens.issue({ user, clientId, scope: granted, grantedAt: now }, now);
    return { ok: true, body: { ...answer, refresh_token } };
  }

  /**
   * The token endpoint's refresh_token grant (RFC 6749 section 6): a Graph token for the same user, tenant and
   * scopes as the exchange that made the grant, and a new refresh token in place of the one redeemed. `scope` is
   * optional, as on Entra's refresh leg (where it may only narrow the original's), so it is not read. Nor is the
   * path's tenant: Entra's refresh tokens are not tied to a tenant either.
   */
  private async refresh(form: URLSearchParams): Promise<TokenResult> {
    const now = this.now();
    const clientId = this.clientOf(form);
    if (clientId === undefined) return tokenError(now, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    const token = form.get('refresh_token');
    if (!token) return tokenError(now, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
    const checked = this.refreshTokens.check(token, clientId, now);
    if (!checked.ok) return checked;
    const { grant } = checked;
    // Consent withdrawn since the exchange: Entra answers a refresh with invalid_grant AADSTS65001, suberror
    // consent_required (a refresh's answer quoted at https://learn.microsoft.com/en-us/answers/questions/1520238).
    // The refresh token is not used up: it works again once consent is granted.
    if (this.consentRevoked.has(grant.user.userId)) {
      const description = `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`;
      return tokenError(now, 400, 'invalid_grant', 65001, description, 'consent_required');
    }
    const answer = await this.graphToken(grant.user, clientId, grant.scope);
    this.stats.refreshes++;
    return { ok: true, body: { ...answer, refresh_token: this.refreshTokens.rotate(token, grant, now) } };
  }

  /** Verifies a sandbox Graph token (the emulator's bearer check). */
  async verifyGraphToken(token: string): Promise<GraphTokenClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { audience: GRAPH_AUDIENCE });
      if (typeof payload.oid !== 'string' || typeof payload.tid !== 'string' || payload.iss !== this.issuerFor(payload.tid)) return undefined;
      return { userId: payload.oid, tenantId: payload.tid, scopes: typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [] };
    } catch {
      return undefined;
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The client the form authenticates (client_id and its client_secret), if any. */
  private clientOf(form: URLSearchParams): string | undefined {
    const clientId = form.get('client_id') ?? '';
    const secret = this.clients.get(clientId);
    return secret !== undefined && form.get('client_secret') === secret ? clientId : undefined;
  }

  private async graphToken(user: SandboxUser, clientId: string, scope: string) {
    const lifetime = this.options.tokenLifetimeSeconds ?? 3600;
    const access_token = await this.sign(user, GRAPH_AUDIENCE, scope, { appid: clientId }, lifetime);
    return { token_type: 'Bearer' as const, access_token, expires_in: lifetime, scope };
  }

  private sign(user: SandboxUser, audience: string, scp: string, extra: Record<string, string>, lifetimeSeconds = 3600): Promise<string> {
    return new SignJWT({ oid: user.userId, tid: user.tenantId, scp, name: user.name ?? 'Sandbox User', ver: '2.0', ...extra })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuerFor(user.tenantId))
      .setAudience(audience)
      .setSubject(user.userId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${lifetimeSeconds}s`)
      .sign(this.privateKey);
  }
}

/** The Graph scopes named in a `scope` list, without the resource prefix (`Presence.ReadWrite`, `.default`). */
function graphScopes(scope: readonly string[]): string[] {
  return scope.filter((s) => s.startsWith(GRAPH_SCOPE_PREFIX)).map((s) => s.slice(GRAPH_SCOPE_PREFIX.length));
}

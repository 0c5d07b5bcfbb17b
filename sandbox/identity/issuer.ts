import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, type JWK, type KeyLike } from 'jose';

/** Sandbox users are any aadObjectId/tenant seen. The default one is the Agents Playground's Alex Wilber, with well-formed GUIDs (the Playground's own built-in IDs have 13 digits in the last group; `npm run playground` gives it these). */
export const SANDBOX_USER = { userId: '00000000-0000-0000-0000-000000000020', tenantId: '00000000-0000-0000-0000-000000000001', name: 'Alex Wilber' } as const;

const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const GRAPH_SCOPE_PREFIX = `${GRAPH_AUDIENCE}/`;

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
}

export type OboResult =
  | { readonly ok: true; readonly body: { token_type: 'Bearer'; access_token: string; expires_in: number; scope: string } }
  | { readonly ok: false; readonly status: number; readonly body: { error: string; error_description: string; error_codes: number[] } };

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
  readonly stats = { ssoTokensIssued: 0, oboExchanges: 0 };
  private readonly kid = randomUUID();
  private readonly consentRevoked = new Set<string>();

  private constructor(
    private readonly options: IssuerOptions,
    private readonly privateKey: KeyLike,
    private readonly publicKey: KeyLike,
    private readonly jwk: JWK,
  ) {}

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

  /** The token endpoint's jwt-bearer (on-behalf-of) grant. */
  async onBehalfOf(form: URLSearchParams, tenantId: string): Promise<OboResult> {
    const fail = (status: number, error: string, code: number, description: string): OboResult => ({
      ok: false,
      status,
      body: { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code] },
    });
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || form.get('requested_token_use') !== 'on_behalf_of') {
      return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret) {
      return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }
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
    const scopes = (form.get('scope') ?? '')
      .split(' ')
      .filter((s) => s.startsWith(GRAPH_SCOPE_PREFIX))
      .map((s) => s.slice(GRAPH_SCOPE_PREFIX.length));
    if (scopes.length === 0) return fail(400, 'invalid_scope', 70011, 'The provided value for the input parameter scope is not valid.');
    if (this.consentRevoked.has(user.userId)) {
      return fail(400, 'invalid_grant', 65001, 'The user or administrator has not consented to use the application.');
    }
    this.stats.oboExchanges++;
    const granted = [...new Set([...scopes.filter((s) => s !== '.default'), 'Presence.ReadWrite', 'User.Read'])].join(' ');
    const lifetime = this.options.tokenLifetimeSeconds ?? 3600;
    const access_token = await this.sign(user, GRAPH_AUDIENCE, granted, { appid: this.options.clientId }, lifetime);
    return { ok: true, body: { token_type: 'Bearer', access_token, expires_in: lifetime, scope: granted } };
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

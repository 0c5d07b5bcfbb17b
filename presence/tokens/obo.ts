import { DeadlineExceeded, within, type Deadline } from '../deadline';
import { PresenceError } from '../errors';
import { isRecord, responseJson, type HttpSend } from '../http';
import { NO_TELEMETRY, failureOf, type Span, type Telemetry } from '../telemetry';

/** How the app proves itself to Entra: a client secret, or a signed assertion (a managed identity's federated credential). */
export type ClientCredential =
  { readonly kind: 'secret'; readonly secret: string } | { readonly kind: 'assertion'; readonly getAssertion: () => Promise<string> };

export interface GraphToken {
  readonly accessToken: string;
  readonly expiresAt: number;
  /** With `offlineAccess` or from a refresh: the refresh token that replaces the one used (rotation). */
  readonly refreshToken?: string;
}

/** Exchanges a user's SSO token for a Graph token on their behalf. */
export interface TokenExchanger {
  /**
   * When `deadline` passes first: identity_unavailable, and the request to Entra is aborted. `offlineAccess`: a
   * refresh token too.
   */
  exchange(ssoToken: string, tenantId: string, deadline?: Deadline, offlineAccess?: boolean, trace?: Span): Promise<GraphToken>;
}

export interface OboOptions {
  readonly authorityHost: string;
  readonly clientId: string;
  readonly credential: ClientCredential;
  readonly scopes: readonly string[];
  readonly http: HttpSend;
  readonly now?: () => number;
  readonly telemetry?: Telemetry;
}

export const GRAPH_SCOPES = ['https://graph.microsoft.com/Presence.ReadWrite'] as const;

/** Entra errors that mean the user must sign in or consent interactively. */
const CONSENT_ERRORS = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required']);
/** Entra's code for an assertion outside its valid time range. */
const ASSERTION_EXPIRED = 500133;

/** The OAuth 2.0 on-behalf-of flow (grant type jwt-bearer) against the Microsoft identity platform's token endpoint. */
export class OnBehalfOfExchanger implements TokenExchanger {
  private readonly authorityHost: string;
  /** The token endpoint's host, for its spans (parsed once). */
  private readonly host: string;
  private readonly telemetry: Telemetry;

  constructor(private readonly options: OboOptions) {
    this.authorityHost = options.authorityHost.replace(/\/+$/, '');
    this.host = new URL(this.authorityHost).host;
    this.telemetry = options.telemetry ?? NO_TELEMETRY;
  }

  /** `offlineAccess`: also a refresh token, for work done later without the user (timers). */
  exchange(ssoToken: string, tenantId: string, deadline?: Deadline, offlineAccess = false, trace?: Span): Promise<GraphToken> {
    const scopes = [...this.options.scopes, ...(offlineAccess ? ['offline_access'] : [])];
    return this.grant(tenantId, deadline, trace, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      assertion: ssoToken,
      scope: scopes.join(' '),
    });
  }

  /**
   * The OAuth 2.0 refresh-token grant, a plain request (MSAL Node does not refresh a token it got on-behalf-of):
   * a Graph token for the user the refresh token was issued for, and the refresh token that replaces it. A refused
   * one (revoked, expired, consent withdrawn) is consent_required: the user must sign in again.
   */
  redeem(refreshToken: string, tenantId: string, deadline?: Deadline, trace?: Span): Promise<GraphToken> {
    return this.grant(tenantId, deadline, trace, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: [...this.options.scopes, 'offline_access'].join(' '),
    });
  }

  /** One request to the token endpoint, as a span (a dependency in Application Insights) and a count by grant and outcome. */
  private grant(tenantId: string, deadline: Deadline | undefined, parent: Span | undefined, fields: Record<string, string>): Promise<GraphToken> {
    const grant = fields.grant_type === 'refresh_token' ? 'refresh_token' : 'on_behalf_of';
    const attributes = { 'http.request.method': 'POST', 'server.address': this.host, 'app.grant': grant };
    return this.telemetry.span('entra token', { kind: 'client', attributes, parent }, async (span) => {
      try {
        const token = await within(deadline, (signal) => this.request(tenantId, fields, span, signal));
        this.telemetry.count('tokenExchanges', { grant, outcome: 'ok' });
        return token;
      } catch (err) {
        const failure = err instanceof DeadlineExceeded ? new PresenceError('identity_unavailable', { detail: 'token endpoint: deadline' }) : err;
        this.telemetry.count('tokenExchanges', { grant, outcome: failureOf(failure).code });
        throw failure;
      }
    });
  }

  private async request(tenantId: string, fields: Record<string, string>, span: Span, signal?: AbortSignal): Promise<GraphToken> {
    const now = (this.options.now ?? Date.now)();
    const form = new URLSearchParams({ ...fields, client_id: this.options.clientId });
    await this.addClientAuth(form);
    let res;
    try {
      res = await this.options.http({
        method: 'POST',
        url: `${this.authorityHost}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
        signal,
      });
    } catch (err) {
      throw new PresenceError('identity_unavailable', { detail: `token endpoint: ${err instanceof Error ? err.name : 'unknown'}` });
    }
    span.set({ 'http.response.status_code': res.status });
    const body = responseJson(res);
    if (res.status === 200 && isRecord(body) && typeof body.access_token === 'string' && typeof body.expires_in === 'number') {
      const refreshToken = typeof body.refresh_token === 'string' ? body.refresh_token : undefined;
      return { accessToken: body.access_token, expiresAt: now + body.expires_in * 1000, ...(refreshToken ? { refreshToken } : {}) };
    }
    const error = isRecord(body) && typeof body.error === 'string' ? body.error : 'none';
    const codes = isRecord(body) && Array.isArray(body.error_codes) ? body.error_codes.join(',') : '';
    const detail = `token endpoint: HTTP ${res.status} ${error}${codes ? ` AADSTS${codes}` : ''}`;
    // AADSTS500133: the SSO token expired on its way (validated within the clock tolerance): a fresh one will do, not consent.
    if (error === 'invalid_grant' && isRecord(body) && Array.isArray(body.error_codes) && body.error_codes.includes(ASSERTION_EXPIRED)) {
      throw new PresenceError('token_expired', { detail });
    }
    if (CONSENT_ERRORS.has(error)) throw new PresenceError('consent_required', { detail });
    if (res.status === 429) throw new PresenceError('throttled', { detail, retryAfterSeconds: Number(res.header('retry-after') ?? 5) || 5 });
    if (res.status >= 500) throw new PresenceError('identity_unavailable', { detail });
    throw new PresenceError('internal', { detail });
  }

  private async addClientAuth(form: URLSearchParams): Promise<void> {
    const credential = this.options.credential;
    if (credential.kind === 'secret') {
      form.set('client_secret', credential.secret);
      return;
    }
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', await credential.getAssertion());
  }
}

/**
 * The consent round trip's addresses. The page learns where to send the user from the SSO token it
 * was just given (issuer, audience, tenant): routing only, the server validates every token itself.
 * auth-start accepts only Entra's authorities or the app's own sandbox issuer, so it is no open redirect.
 */

export interface ConsentTarget {
  /** e.g. https://login.microsoftonline.com, or the sandbox issuer on the app's own origin. */
  readonly authority: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly userId: string;
  readonly loginHint?: string;
}

const ENTRA_AUTHORITIES: readonly string[] = [
  'https://login.microsoftonline.com',
  'https://login.microsoftonline.us',
  'https://login.partner.microsoftonline.cn',
];

/** The permission the server's on-behalf-of exchange asks Graph for. */
const CONSENT_SCOPE = 'https://graph.microsoft.com/Presence.ReadWrite';
export const STATE_KEY = 'presence.consent.state';
/** The consent window's language, kept by auth-start for auth-end (Entra's redirect carries none). */
export const LANG_KEY = 'presence.consent.lang';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_ID = /^[\w-]{1,64}$/;

/** A JWT's payload, decoded without verification. */
export function claimsOf(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Where consent is asked for, from a Teams SSO token (v1 or v2). */
export function consentTargetOf(token: string, loginHint?: string): ConsentTarget | undefined {
  const claims = claimsOf(token);
  if (!claims) return undefined;
  const text = (name: string): string => {
    const value = claims[name];
    return typeof value === 'string' ? value : '';
  };
  const tid = text('tid');
  const iss = text('iss');
  const aud = text('aud');
  const oid = text('oid');
  if (!tid || !iss || !oid) return undefined;
  let authority: string | undefined;
  if (iss === `https://sts.windows.net/${tid}/`) authority = 'https://login.microsoftonline.com';
  else if (iss.endsWith(`/${tid}/v2.0`)) authority = iss.slice(0, -`/${tid}/v2.0`.length);
  // v2 tokens carry the client ID as the audience; v1 tokens the Application ID URI api://{domain}/botid-{clientId}.
  const clientId = GUID.test(aud) ? aud : /botid-([0-9a-f-]{36})$/i.exec(aud)?.[1];
  if (!authority || !clientId) return undefined;
  return { authority, tenantId: tid, clientId, userId: oid, ...(loginHint ? { loginHint } : {}) };
}

/**
 * The auth-start page for authentication.authenticate(). teams-js accepts only https URLs there; the
 * app is always served over https, except the loopback sandbox, whose Teams host stands in for TLS.
 */
export function authStartUrl(target: ConsentTarget, pageUrl: string, lang: string): string {
  const url = new URL('/tab/auth-start.html', pageUrl);
  url.searchParams.set('lang', lang);
  url.protocol = 'https:';
  url.searchParams.set('authority', target.authority);
  url.searchParams.set('tenant', target.tenantId);
  url.searchParams.set('clientId', target.clientId);
  url.searchParams.set('userId', target.userId);
  if (target.loginHint) url.searchParams.set('loginHint', target.loginHint);
  return url.href;
}

/**
 * Where auth-start sends the user: Entra's authorize endpoint with prompt=consent (the answer comes
 * back to auth-end in the fragment), or in sandbox mode the sandbox issuer's consent page. Undefined
 * for anything else.
 */
export function authorizeUrl(query: URLSearchParams, here: URL, state: string, codeChallenge: string): string | undefined {
  const authority = (query.get('authority') ?? '').replace(/\/+$/, '');
  const tenant = query.get('tenant') ?? '';
  const clientId = query.get('clientId') ?? '';
  const userId = query.get('userId') ?? '';
  const loginHint = query.get('loginHint') ?? '';
  if (!(GUID.test(tenant) || tenant === 'organizations') || !GUID.test(clientId)) return undefined;
  if (ENTRA_AUTHORITIES.includes(authority)) {
    const url = new URL(`${authority}/${tenant}/oauth2/v2.0/authorize`);
    const p = url.searchParams;
    p.set('client_id', clientId);
    p.set('response_type', 'code');
    p.set('response_mode', 'fragment');
    p.set('redirect_uri', new URL('/tab/auth-end.html', here).href);
    p.set('scope', CONSENT_SCOPE);
    p.set('prompt', 'consent');
    p.set('state', state);
    // PKCE, as Entra expects for a browser redirect; the code itself is never redeemed: the consent is the point.
    p.set('code_challenge', codeChallenge);
    p.set('code_challenge_method', 'S256');
    if (loginHint) p.set('login_hint', loginHint);
    // Entra's consent page in the tab's language.
    const lang = query.get('lang') ?? '';
    if (/^[a-z]{2,3}(?:-[A-Za-z]{2})?$/.test(lang)) p.set('ui_locales', lang);
    return url.href;
  }
  let sandbox: URL;
  try {
    sandbox = new URL(authority);
  } catch {
    return undefined;
  }
  if (sandbox.origin === here.origin && sandbox.pathname === '/sandbox/identity' && USER_ID.test(userId)) {
    const url = new URL('/sandbox/identity/consent', here);
    url.searchParams.set('userId', userId);
    return url.href;
  }
  return undefined;
}

export type AuthEndResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** What Entra's redirect to auth-end says: a code (consent given) or an error, and whether the state matches. */
export function authEndResult(fragment: string, search: string, expectedState: string | null): AuthEndResult {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const query = new URLSearchParams(search.replace(/^\?/, ''));
  const get = (name: string) => params.get(name) ?? query.get(name);
  if (!expectedState || get('state') !== expectedState) return { ok: false, reason: 'StateDoesNotMatch' };
  const error = get('error');
  if (error) return { ok: false, reason: /^[\w.-]{1,64}$/.test(error) ? error : 'AuthorizationFailed' };
  return get('code') ? { ok: true } : { ok: false, reason: 'AuthorizationFailed' };
}

export function randomToken(bytes = 32): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return base64Url(data);
}

export async function codeChallengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

function base64Url(data: Uint8Array): string {
  let binary = '';
  for (const byte of data) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

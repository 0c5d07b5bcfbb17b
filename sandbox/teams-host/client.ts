/**
 * The sandbox Teams host, in the browser: the host side of the teams-js 2.x protocol, as Teams' web
 * client speaks it.
 *
 * - The app's teams-js posts requests `{ id, uuidAsString, func, args, apiVersionTag, ... }` to its
 *   parent (the tab iframe) or opener (the authentication window). The host answers
 *   `{ id, uuidAsString, args }`; teams-js matches the answer by uuid (else by id).
 * - `initialize` (args: SDK version, runtime API version) is answered with
 *   `[frameContext, hostClientType, runtimeConfig (JSON), supported SDK version]`.
 * - `getContext` with the legacy flat context (userObjectId, tid, locale, theme, ...), which
 *   app.getContext() reshapes into `{ app, page, user, ... }`.
 * - `authentication.getAuthToken` with `[true, token]` or `[false, reason]`: the token comes from
 *   the sandbox issuer (POST /sandbox/identity/_sso), as Teams gets one from Entra.
 * - `authentication.authenticate` (args: url, width, height) opens the URL in a popup; the popup's
 *   own teams-js initializes against this window (frameContext "authentication") and sends
 *   `authentication.authenticate.success|failure`, which the host relays as `[true, result]` or
 *   `[false, reason]`. A popup closed by the user answers `[false, "CancelledByUser"]`.
 * - `registerHandler` records which events the app wants; the host then sends `{ func: "themeChange",
 *   args: [theme] }` when the theme changes.
 *
 * teams-js only accepts messages from an allow-listed https origin or from its own origin, so the
 * host lives on the tab's origin. teams-js also only authenticates with https URLs: the page asks for
 * https://{its host}/..., and this host, standing in for TLS on loopback, opens it over http.
 */
export {};

type Theme = 'default' | 'dark' | 'contrast';
type Width = 'desktop' | 'phone';

interface Settings {
  userId: string;
  tenantId: string;
  name: string;
  locale: string;
  theme: Theme;
  width: Width;
}

interface Request {
  readonly id: number;
  readonly uuidAsString?: string;
  readonly func: string;
  readonly args: readonly unknown[];
}

interface PendingAuth {
  readonly request: Request;
  readonly popup: Window;
  readonly timer: number;
}

/** The Teams manifest's contentUrl, with the placeholders Teams substitutes. */
const CONTENT_URL = '/tab/?locale={locale}&theme={theme}';
const CANCELLED = 'CancelledByUser';
const RUNTIME = JSON.stringify({
  apiVersion: 4,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  isLegacyTeams: false,
  supports: { authentication: {} },
});

const body = document.body;
const form = document.getElementById('host-controls') as HTMLFormElement;
const frame = document.getElementById('tab') as HTMLIFrameElement;
const statusLine = document.getElementById('host-status') as HTMLElement;
const logList = document.getElementById('host-log') as HTMLOListElement;

const settings = readSettings();
const tokens = new Map<string, { token: string; expiresAt: number }>();
let registered = new Set<string>();
const sessionId = crypto.randomUUID();
let appSessionId = crypto.randomUUID();
let pendingAuth: PendingAuth | undefined;

function readSettings(): Settings {
  const q = new URLSearchParams(window.location.search);
  const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
  return {
    userId: q.get('userId') || body.dataset.defaultUserId || '',
    tenantId: q.get('tenantId') || body.dataset.defaultTenantId || '',
    name: q.get('name') || body.dataset.defaultName || 'Sandbox User',
    locale: q.get('locale') || 'en-US',
    theme: pick(q.get('theme'), ['default', 'dark', 'contrast'], 'default'),
    width: pick(q.get('width'), ['desktop', 'phone'], 'desktop'),
  };
}

function field(name: keyof Settings): HTMLInputElement | HTMLSelectElement {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
}

function syncForm(): void {
  for (const key of Object.keys(settings) as (keyof Settings)[]) field(key).value = settings[key];
  document.documentElement.dataset.theme = settings.theme;
  body.dataset.width = settings.width;
  const url = new URL(window.location.href);
  for (const key of Object.keys(settings) as (keyof Settings)[]) url.searchParams.set(key, settings[key]);
  window.history.replaceState(null, '', url);
}

function log(direction: '→' | '←', who: string, text: string): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toISOString().slice(11, 23)} ${who} ${direction} ${text}`;
  logList.append(item);
  while (logList.childElementCount > 200) logList.firstElementChild?.remove();
}

/** Loads (or reloads) the tab, as Teams does when the user, locale or app session changes. */
function loadTab(): void {
  registered = new Set();
  appSessionId = crypto.randomUUID();
  statusLine.textContent = '';
  frame.src = CONTENT_URL.replace('{locale}', encodeURIComponent(settings.locale)).replace('{theme}', encodeURIComponent(settings.theme));
}

function upn(name: string): string {
  const local =
    name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '.')
      .replace(/^\.|\.$/g, '') || 'user';
  return `${local}@contoso.onmicrosoft.com`;
}

/** The flat context Teams' web client sends; teams-js turns it into app.Context. */
function context(frameContext: 'content' | 'authentication'): Record<string, unknown> {
  return {
    locale: settings.locale,
    theme: settings.theme,
    entityId: 'status',
    subEntityId: '',
    frameContext,
    hostClientType: 'web',
    hostName: 'Teams',
    ringId: 'general',
    sessionId,
    appSessionId,
    appLaunchId: appSessionId,
    userObjectId: settings.userId,
    userDisplayName: settings.name,
    userPrincipalName: upn(settings.name),
    loginHint: upn(settings.name),
    tid: settings.tenantId,
    tenantSKU: 'enterprise',
    userLicenseType: 'Unknown',
    isFullScreen: false,
    isMultiWindow: false,
    isCallingAllowed: true,
    isPSTNCallingAllowed: false,
    appIconPosition: 0,
    userClickTime: Date.now(),
  };
}

function respond(target: Window, request: Request, args: readonly unknown[], who: string): void {
  const message: Record<string, unknown> = { id: request.id, args, monotonicTimestamp: performance.timeOrigin + performance.now() };
  if (request.uuidAsString) message.uuidAsString = request.uuidAsString;
  target.postMessage(message, window.location.origin);
  log('→', who, `${request.func} #${request.id} ${preview(args)}`);
}

function emit(target: Window, func: string, args: readonly unknown[], who: string): void {
  target.postMessage({ func, args, monotonicTimestamp: performance.timeOrigin + performance.now() }, window.location.origin);
  log('→', who, `${func} ${preview(args)}`);
}

function preview(args: readonly unknown[]): string {
  const text = JSON.stringify(args, (key, value: unknown) =>
    typeof value === 'string' && value.length > 60 && /^ey/.test(value) ? `${value.slice(0, 12)}…(token)` : value,
  );
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function isRequest(data: unknown): data is Request {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return typeof d.id === 'number' && typeof d.func === 'string' && (d.args === undefined || Array.isArray(d.args));
}

/** A Teams SSO token for the selected user, from the sandbox issuer; reused until 5 minutes before it expires, as Teams does. */
async function ssoToken(): Promise<string> {
  const key = `${settings.tenantId}/${settings.userId}`;
  const cached = tokens.get(key);
  if (cached && cached.expiresAt - 5 * 60_000 > Date.now()) return cached.token;
  const res = await fetch('/sandbox/identity/_sso', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: settings.userId, tenantId: settings.tenantId, name: settings.name }),
  });
  if (!res.ok) throw new Error(`issuer answered ${res.status}`);
  const json = (await res.json()) as { token?: unknown };
  if (typeof json.token !== 'string') throw new Error('issuer gave no token');
  tokens.set(key, { token: json.token, expiresAt: expiryOf(json.token) });
  return json.token;
}

function expiryOf(token: string): number {
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const exp = (JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '='))) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}

function answerToken(target: Window, request: Request, who: string): void {
  ssoToken().then(
    (token) => respond(target, request, [true, token], who),
    () => respond(target, request, [false, 'FailedToGetAuthToken'], who),
  );
}

function openAuthWindow(tab: Window, request: Request): void {
  if (pendingAuth) finishAuth(false, CANCELLED);
  const [url, width, height] = request.args;
  let target: URL;
  try {
    target = new URL(String(url), window.location.href);
  } catch {
    respond(tab, request, [false, 'InvalidUrl'], 'tab');
    return;
  }
  // The sandbox serves http on loopback: an https URL to this very host means this host, without TLS.
  if (target.protocol === 'https:' && target.host === window.location.host) target.protocol = window.location.protocol;
  const w = typeof width === 'number' && width > 0 ? Math.min(width, 1200) : 600;
  const h = typeof height === 'number' && height > 0 ? Math.min(height, 900) : 535;
  const left = Math.round(window.screenX + (window.outerWidth - w) / 2);
  const top = Math.round(window.screenY + (window.outerHeight - h) / 2);
  const popup = window.open(target.href, '_blank', `popup=yes,width=${w},height=${h},left=${left},top=${top}`);
  if (!popup) {
    respond(tab, request, [false, 'FailedToOpenWindow'], 'tab');
    return;
  }
  const timer = window.setInterval(() => {
    if (pendingAuth?.popup === popup && popup.closed) finishAuth(false, CANCELLED);
  }, 250);
  pendingAuth = { request, popup, timer };
  log('→', 'host', `opened authentication window ${target.pathname}`);
}

function finishAuth(ok: boolean, result: unknown): void {
  const pending = pendingAuth;
  if (!pending) return;
  pendingAuth = undefined;
  window.clearInterval(pending.timer);
  const tab = frame.contentWindow;
  if (tab) respond(tab, pending.request, [ok, typeof result === 'string' ? result : ''], 'tab');
  // teams-js closes the window itself after notifySuccess/notifyFailure; make sure it goes.
  window.setTimeout(() => {
    if (!pending.popup.closed) pending.popup.close();
  }, 500);
}

function onTab(tab: Window, request: Request): void {
  switch (request.func) {
    case 'initialize':
      respond(tab, request, ['content', 'web', RUNTIME, sdkVersion(request)], 'tab');
      return;
    case 'getContext':
      respond(tab, request, [context('content')], 'tab');
      return;
    case 'authentication.getAuthToken':
      answerToken(tab, request, 'tab');
      return;
    case 'authentication.authenticate':
      openAuthWindow(tab, request);
      return;
    case 'registerHandler':
      if (typeof request.args[0] === 'string') registered.add(request.args[0]);
      return;
    case 'appInitialization.appLoaded':
      statusLine.textContent = 'App loaded';
      return;
    case 'appInitialization.success':
      statusLine.textContent = 'App ready';
      return;
    case 'appInitialization.failure':
    case 'appInitialization.expectedFailure':
      statusLine.textContent = `App reported a failure: ${typeof request.args[0] === 'string' ? request.args[0] : 'no reason given'}`;
      return;
    default:
      // Teams has many more capabilities; this host declares only what it implements (runtime.supports).
      log('←', 'tab', `${request.func}: not implemented by the sandbox host`);
  }
}

function onPopup(popup: Window, request: Request): void {
  switch (request.func) {
    case 'initialize':
      respond(popup, request, ['authentication', 'web', RUNTIME, sdkVersion(request)], 'auth window');
      return;
    case 'getContext':
      respond(popup, request, [context('authentication')], 'auth window');
      return;
    case 'authentication.getAuthToken':
      answerToken(popup, request, 'auth window');
      return;
    case 'authentication.authenticate.success':
      finishAuth(true, request.args[0]);
      return;
    case 'authentication.authenticate.failure':
      finishAuth(false, request.args[0]);
      return;
    default:
      log('←', 'auth window', `${request.func}: not implemented by the sandbox host`);
  }
}

/** The SDK version the host says it supports: the app's own (this host implements what it declares). */
function sdkVersion(request: Request): string {
  return typeof request.args[0] === 'string' ? request.args[0] : '2.0.0';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  // Only the tab's own origin: Teams, too, talks only to the domains in the app's manifest.
  if (event.origin !== window.location.origin || !isRequest(event.data)) return;
  const request: Request = { ...event.data, args: event.data.args ?? [] };
  const tab = frame.contentWindow;
  if (tab && event.source === tab) {
    log('←', 'tab', `${request.func} #${request.id} ${preview(request.args)}`);
    onTab(tab, request);
  } else if (pendingAuth && event.source === pendingAuth.popup) {
    log('←', 'auth window', `${request.func} #${request.id} ${preview(request.args)}`);
    onPopup(pendingAuth.popup, request);
  }
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  readForm();
  loadTab();
});

form.addEventListener('change', (event) => {
  const name = (event.target as HTMLInputElement | null)?.name as keyof Settings | undefined;
  if (!name) return;
  readForm();
  if (name === 'theme') {
    // Teams tells a running app about a theme change; it does not reload it.
    const tab = frame.contentWindow;
    if (tab && registered.has('themeChange')) emit(tab, 'themeChange', [settings.theme], 'tab');
  } else if (name === 'locale' || name === 'userId' || name === 'tenantId' || name === 'name') {
    loadTab();
  }
});

function readForm(): void {
  const value = (name: keyof Settings) => field(name).value.trim();
  settings.userId = value('userId') || body.dataset.defaultUserId || '';
  settings.tenantId = value('tenantId') || body.dataset.defaultTenantId || '';
  settings.name = value('name') || body.dataset.defaultName || 'Sandbox User';
  settings.locale = value('locale') || 'en-US';
  settings.theme = (['default', 'dark', 'contrast'] as const).find((t) => t === value('theme')) ?? 'default';
  settings.width = value('width') === 'phone' ? 'phone' : 'desktop';
  syncForm();
}

syncForm();
loadTab();

import { isStateName, type StateName } from '../../presence/model';
import type { ClearPart, SetPart } from '../../presence/service';
import type { ApiErrorCode, PartFailureView, SetPresenceBody, StoreFailureView } from '../api/contract';
import type { PresenceSource, TabErrorCode } from './messages';

/** What this app set, as the API reports it. */
export interface AppSettingView {
  readonly state: StateName;
  readonly expiresAt: Date;
  readonly statusMessage?: string;
}

export interface PresenceView {
  readonly presence: { readonly availability: string; readonly activity: string; readonly source: PresenceSource; readonly statusMessage?: string };
  readonly preferred?: AppSettingView;
  readonly session?: AppSettingView;
}

/** The POST body, exactly as the API's contract (tab/api/contract.ts, type-only) defines it. */
export type SetBody = SetPresenceBody;

export interface SetResult {
  readonly state: StateName;
  readonly expiresAt: Date;
  readonly usedDefault: boolean;
  readonly statusMessage?: string;
  readonly shadowedBy?: { readonly availability: string; readonly activity: string };
  readonly storeFailure?: StoreFailureView;
  readonly partial?: readonly PartFailureView<SetPart>[];
}

export interface ResetResult {
  readonly sessionExisted: boolean;
  readonly storeFailure?: StoreFailureView;
  readonly partial?: readonly PartFailureView<ClearPart>[];
}

/** A failure the page shows: one of the API's codes, or the page's own (sign-in, network). */
export class TabError extends Error {
  constructor(
    readonly code: TabErrorCode,
    readonly info: { readonly retryAfterSeconds?: number; readonly field?: string; readonly correlationId?: string } = {},
  ) {
    super(`tab error: ${code}`);
    this.name = 'TabError';
  }
}

export interface PresenceApi {
  read(): Promise<PresenceView>;
  set(body: SetBody): Promise<SetResult>;
  reset(): Promise<ResetResult>;
}

export interface ApiOptions {
  /** A fresh Teams SSO token for each request: authentication.getAuthToken(). The page keeps none. */
  readonly token: () => Promise<string>;
  readonly fetch?: typeof fetch;
  readonly url?: string;
  readonly timeoutMs?: number;
}

const KNOWN_CODES: readonly TabErrorCode[] = [
  'unauthenticated', 'tenant_not_allowed', 'consent_required', 'forbidden', 'throttled', 'rate_limited', 'invalid_request',
  'graph_unavailable', 'identity_unavailable', 'storage_unavailable', 'internal',
];

/** The tab's JSON API on the app's own origin: GET, POST and DELETE /api/presence with the user's SSO token. */
export function createApi(options: ApiOptions): PresenceApi {
  const url = options.url ?? '/api/presence';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  /**
   * One request; if the server answers token_expired, once more with a token asked of Teams again (the
   * request was refused before it changed anything). A second refusal is the user's to see.
   */
  async function call(method: 'GET' | 'POST' | 'DELETE', body?: SetBody): Promise<Record<string, unknown>> {
    const first = await attempt(method, body);
    const { res, json } = first.res.status === 401 && codeOf(first.json) === 'token_expired' ? await attempt(method, body) : first;
    if (!res.ok) throw errorOf(res.status, json);
    if (!isObject(json)) throw new TabError('internal');
    return json;
  }

  async function attempt(method: 'GET' | 'POST' | 'DELETE', body?: SetBody): Promise<{ res: Response; json: unknown }> {
    let token: string;
    try {
      token = await options.token();
    } catch {
      throw new TabError('sso_failed');
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 20_000);
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        cache: 'no-store',
        credentials: 'omit',
        signal: controller.signal,
      });
    } catch {
      throw new TabError('network');
    } finally {
      clearTimeout(timer);
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      json = undefined;
    }
    return { res, json };
  }

  return {
    async read() {
      return parseView(await call('GET'));
    },
    async set(body) {
      return parseSet((await call('POST', body)).set);
    },
    async reset() {
      const cleared = (await call('DELETE')).cleared;
      if (!isObject(cleared)) return { sessionExisted: false };
      return { sessionExisted: cleared.sessionExisted === true, ...reportedOf(cleared, CLEAR_PARTS) };
    },
  };
}

/** The API's error code in a reply body, or ''. */
function codeOf(json: unknown): string {
  const error = isObject(json) && isObject(json.error) ? json.error : {};
  return typeof error.code === 'string' ? error.code : '';
}

function errorOf(status: number, json: unknown): TabError {
  const error = isObject(json) && isObject(json.error) ? json.error : {};
  const given = codeOf(json);
  const code: TabErrorCode = (KNOWN_CODES as readonly string[]).includes(given)
    ? (given as TabErrorCode)
    : given === 'token_expired' || given === 'sso_required' || status === 401
      ? 'unauthenticated'
      : status === 403 ? 'forbidden' : status === 429 ? 'throttled' : status === 503 ? 'graph_unavailable' : 'internal';
  const retry = typeof error.retryAfterSeconds === 'number' && Number.isFinite(error.retryAfterSeconds) ? Math.max(1, Math.ceil(error.retryAfterSeconds)) : undefined;
  const correlationId = typeof error.correlationId === 'string' && /^[\w.:-]{1,80}$/.test(error.correlationId) ? error.correlationId : undefined;
  const field = typeof error.field === 'string' ? error.field : undefined;
  return new TabError(code, { retryAfterSeconds: retry, correlationId, field });
}

function parseView(json: Record<string, unknown>): PresenceView {
  const p = json.presence;
  if (!isObject(p) || typeof p.availability !== 'string' || typeof p.activity !== 'string') throw new TabError('internal');
  const source: PresenceSource = p.source === 'preferred' || p.source === 'app' || p.source === 'unknown' ? p.source : 'teams';
  const preferred = parseSetting(json.preferred);
  const session = parseSetting(json.session);
  return {
    presence: { availability: p.availability, activity: p.activity, source, ...(nonEmpty(p.statusMessage) ? { statusMessage: p.statusMessage } : {}) },
    ...(preferred ? { preferred } : {}),
    ...(session ? { session } : {}),
  };
}

function parseSetting(value: unknown): AppSettingView | undefined {
  if (!isObject(value) || !isStateName(value.state)) return undefined;
  const expiresAt = dateOf(value.expiresAt);
  if (!expiresAt) return undefined;
  return { state: value.state, expiresAt, ...(nonEmpty(value.statusMessage) ? { statusMessage: value.statusMessage } : {}) };
}

function parseSet(value: unknown): SetResult {
  if (!isObject(value) || !isStateName(value.state)) throw new TabError('internal');
  const expiresAt = dateOf(value.expiresAt);
  if (!expiresAt) throw new TabError('internal');
  const shadow = value.shadowedBy;
  return {
    state: value.state,
    expiresAt,
    usedDefault: value.usedDefault === true,
    ...(nonEmpty(value.statusMessage) ? { statusMessage: value.statusMessage } : {}),
    ...(isObject(shadow) && typeof shadow.availability === 'string' && typeof shadow.activity === 'string'
      ? { shadowedBy: { availability: shadow.availability, activity: shadow.activity } }
      : {}),
    ...reportedOf(value, SET_PARTS),
  };
}

const SET_PARTS: readonly SetPart[] = ['statusMessage', 'confirm', 'previousMessage'];
const CLEAR_PARTS: readonly ClearPart[] = ['preferred', 'session', 'statusMessage'];

/** What the API reports beside a change: a record not written, parts that failed; malformed entries are left out. */
function reportedOf<P extends SetPart | ClearPart>(value: Record<string, unknown>, parts: readonly P[]): { storeFailure?: StoreFailureView; partial?: PartFailureView<P>[] } {
  const id = (v: unknown) => (typeof v === 'string' && /^[\w.:-]{1,80}$/.test(v) ? v : undefined);
  const stored = isObject(value.storeFailure) ? id(value.storeFailure.correlationId) : undefined;
  const partial = (Array.isArray(value.partial) ? (value.partial as unknown[]) : []).flatMap((p) => {
    if (!isObject(p) || !(parts as readonly unknown[]).includes(p.part) || typeof p.code !== 'string') return [];
    const correlationId = id(p.correlationId);
    return [{ part: p.part as P, code: p.code as ApiErrorCode, ...(correlationId ? { correlationId } : {}) }];
  });
  return { ...(stored ? { storeFailure: { correlationId: stored } } : {}), ...(partial.length ? { partial } : {}) };
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

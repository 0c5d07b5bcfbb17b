import { isStateName, type Activity, type Availability } from '../../presence/model';
import type { ClearPart, SetPart } from '../../presence/service';
import type {
  ApiErrorBody,
  ApiErrorCode,
  AppSettingView,
  ClearedView,
  PartFailureView,
  PlanBody,
  PlanView,
  PresenceSource,
  PresenceView,
  SetPresenceBody,
  SetRemindersBody,
  SetView,
  StoreFailureView,
} from '../api/contract';
import type { TabErrorCode } from './messages';

/** A view of the API's contract with its end time parsed. */
type Dated<T extends { readonly expiresAt: string }> = Omit<T, 'expiresAt'> & { readonly expiresAt: Date };

/** A PlanView with its times parsed. */
export type Plan = Omit<PlanView, 'startAt' | 'endAt'> & { readonly startAt: Date; readonly endAt: Date };

/** GET's PresenceView, parsed. Its storeFailure is not kept: the page shows the source that comes with it, `unknown`. */
export interface ReadResult {
  readonly presence: PresenceView['presence'];
  readonly preferred?: Dated<AppSettingView>;
  readonly session?: Dated<AppSettingView>;
  readonly comesBack?: { readonly preferred?: Dated<AppSettingView>; readonly session?: Dated<AppSettingView> };
  /** What is planned; undefined when the app could not read its record (source `unknown`), so the page cannot know. */
  readonly planned?: readonly Plan[];
}

/** What a change leaves showing, as GET would answer it: the page shows it without asking again. */
interface Shows {
  readonly shows?: ReadResult;
}

/** POST's SetView, parsed. */
export type SetResult = Omit<Dated<SetView['set']>, 'comesBack'> & { readonly comesBack?: Dated<AppSettingView> } & Shows;

/** What is planned after a POST or DELETE of /api/plans, and the plan it added or cancelled (none: there was none to cancel). */
export interface PlansResult {
  readonly planned: readonly Plan[];
  readonly changed?: Plan;
}

/** DELETE's ClearedView: it has no end time to parse. */
export type ResetResult = ClearedView['cleared'] & Shows;

/** A failure the page shows: one of the API's codes, or the page's own (sign-in, network). */
export class TabError extends Error {
  constructor(
    readonly code: TabErrorCode,
    readonly info: Pick<ApiErrorBody['error'], 'retryAfterSeconds' | 'field' | 'correlationId'> = {},
  ) {
    super(`tab error: ${code}`);
    this.name = 'TabError';
  }
}

export interface PresenceApi {
  read(): Promise<ReadResult>;
  set(body: SetPresenceBody): Promise<SetResult>;
  reset(): Promise<ResetResult>;
  /** Minutes before a status ends that its reminder comes; null: off. */
  reminders(): Promise<number | null>;
  setReminders(leadMinutes: number | null): Promise<number | null>;
  plan(body: PlanBody): Promise<PlansResult & { readonly changed: Plan }>;
  cancelPlan(id: string): Promise<PlansResult>;
}

export interface ApiOptions {
  /** A fresh Teams SSO token for each request: authentication.getAuthToken(). The page keeps none. */
  readonly token: () => Promise<string>;
  readonly fetch?: typeof fetch;
  readonly url?: string;
  readonly timeoutMs?: number;
}

const KNOWN_CODES: readonly TabErrorCode[] = [
  'unauthenticated',
  'tenant_not_allowed',
  'consent_required',
  'forbidden',
  'throttled',
  'rate_limited',
  'invalid_request',
  'graph_unavailable',
  'identity_unavailable',
  'storage_unavailable',
  'internal',
];

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Body = SetPresenceBody | SetRemindersBody | PlanBody;
const REMINDERS_URL = '/api/reminders';
const PLANS_URL = '/api/plans';

/** The tab's JSON API on the app's own origin: /api/presence, /api/reminders and /api/plans with the user's SSO token. */
export function createApi(options: ApiOptions): PresenceApi {
  const presenceUrl = options.url ?? '/api/presence';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  /**
   * One request; if the server answers token_expired, once more with a token asked of Teams again (the
   * request was refused before it changed anything). A second refusal is the user's to see.
   */
  async function call(method: Method, body?: Body, url = presenceUrl): Promise<Record<string, unknown>> {
    const first = await attempt(method, url, body);
    const { res, json } = first.res.status === 401 && codeOf(first.json) === 'token_expired' ? await attempt(method, url, body) : first;
    if (!res.ok) throw errorOf(res.status, json);
    if (!isObject(json)) throw new TabError('internal');
    return json;
  }

  async function attempt(method: Method, url: string, body?: Body): Promise<{ res: Response; json: unknown }> {
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
      const json = await call('POST', body);
      return { ...parseSet(json.set), ...showsOf(json) };
    },
    async reset() {
      const json = await call('DELETE');
      const { cleared } = json;
      if (!isObject(cleared)) return { sessionExisted: false, ...showsOf(json) };
      return { sessionExisted: cleared.sessionExisted === true, ...reportedOf(cleared, CLEAR_PARTS), ...showsOf(json) };
    },
    async reminders() {
      return leadOf(await call('GET', undefined, REMINDERS_URL));
    },
    async setReminders(leadMinutes) {
      return leadOf(await call('PUT', { leadMinutes }, REMINDERS_URL));
    },
    async plan(body) {
      const json = await call('POST', body, PLANS_URL);
      const added = parsePlan(json.added);
      if (!added) throw new TabError('internal');
      return { planned: plansOf(json.planned), changed: added };
    },
    async cancelPlan(id) {
      const json = await call('DELETE', undefined, `${PLANS_URL}/${encodeURIComponent(id)}`);
      const cancelled = parsePlan(json.cancelled);
      return { planned: plansOf(json.planned), ...(cancelled ? { changed: cancelled } : {}) };
    },
  };
}

/** A list of PlanViews, the malformed ones left out; not a list at all is the server's fault. */
function plansOf(value: unknown): Plan[] {
  if (!Array.isArray(value)) throw new TabError('internal');
  return (value as unknown[]).flatMap((p) => parsePlan(p) ?? []);
}

function parsePlan(value: unknown): Plan | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || !isStateName(value.state)) return undefined;
  const startAt = dateOf(value.startAt);
  const endAt = dateOf(value.endAt);
  if (!startAt || !endAt) return undefined;
  return { id: value.id, state: value.state, startAt, endAt, ...(nonEmpty(value.statusMessage) ? { statusMessage: value.statusMessage } : {}) };
}

/** RemindersView's lead: null (off) or a positive number of minutes. */
function leadOf(json: Record<string, unknown>): number | null {
  const lead = json.leadMinutes;
  if (lead === null) return null;
  if (typeof lead !== 'number' || !Number.isFinite(lead) || lead <= 0) throw new TabError('internal');
  return lead;
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
      : status === 403
        ? 'forbidden'
        : status === 429
          ? 'throttled'
          : status === 503
            ? 'graph_unavailable'
            : 'internal';
  const retry =
    typeof error.retryAfterSeconds === 'number' && Number.isFinite(error.retryAfterSeconds) ? Math.max(1, Math.ceil(error.retryAfterSeconds)) : undefined;
  const correlationId = typeof error.correlationId === 'string' && /^[\w.:-]{1,80}$/.test(error.correlationId) ? error.correlationId : undefined;
  const field = typeof error.field === 'string' ? error.field : undefined;
  return new TabError(code, { retryAfterSeconds: retry, correlationId, field });
}

/** The view a POST or DELETE answer carries beside what it changed; none when the server could not read it. */
function showsOf(json: Record<string, unknown>): Shows {
  return isObject(json.presence) ? { shows: parseView(json) } : {};
}

function parseView(json: Record<string, unknown>): ReadResult {
  const p = json.presence;
  const pair = isObject(p) ? pairOf(p) : undefined;
  if (!isObject(p) || !pair) throw new TabError('internal');
  const source: PresenceSource = p.source === 'preferred' || p.source === 'app' || p.source === 'unknown' ? p.source : 'teams';
  const preferred = parseSetting(json.preferred);
  const session = parseSetting(json.session);
  const back = isObject(json.comesBack) ? json.comesBack : {};
  const [backPreferred, backSession] = [parseSetting(back.preferred), parseSetting(back.session)];
  const comesBack = { ...(backPreferred ? { preferred: backPreferred } : {}), ...(backSession ? { session: backSession } : {}) };
  // The view leaves `planned` out when nothing is planned, and when the record could not be read (storeFailure).
  const planned = isObject(json.storeFailure) ? undefined : Array.isArray(json.planned) ? plansOf(json.planned) : [];
  return {
    presence: { ...pair, source, ...(nonEmpty(p.statusMessage) ? { statusMessage: p.statusMessage } : {}) },
    ...(preferred ? { preferred } : {}),
    ...(session ? { session } : {}),
    ...(backPreferred || backSession ? { comesBack } : {}),
    ...(planned ? { planned } : {}),
  };
}

function parseSetting(value: unknown): Dated<AppSettingView> | undefined {
  if (!isObject(value) || !isStateName(value.state)) return undefined;
  const expiresAt = dateOf(value.expiresAt);
  if (!expiresAt) return undefined;
  return { state: value.state, expiresAt, ...(nonEmpty(value.statusMessage) ? { statusMessage: value.statusMessage } : {}) };
}

function parseSet(value: unknown): SetResult {
  if (!isObject(value) || !isStateName(value.state)) throw new TabError('internal');
  const expiresAt = dateOf(value.expiresAt);
  if (!expiresAt) throw new TabError('internal');
  const shadow = isObject(value.shadowedBy) ? pairOf(value.shadowedBy) : undefined;
  const comesBack = parseSetting(value.comesBack);
  return {
    state: value.state,
    expiresAt,
    usedDefault: value.usedDefault === true,
    ...(nonEmpty(value.statusMessage) ? { statusMessage: value.statusMessage } : {}),
    ...(shadow ? { shadowedBy: shadow } : {}),
    ...(comesBack ? { comesBack } : {}),
    ...reportedOf(value, SET_PARTS),
  };
}

const SET_PARTS: readonly SetPart[] = ['statusMessage', 'confirm', 'previousMessage'];
const CLEAR_PARTS: readonly ClearPart[] = ['preferred', 'session', 'statusMessage'];

/** What the API reports beside a change: a record not written, parts that failed; malformed entries are left out. */
function reportedOf<P extends SetPart | ClearPart>(
  value: Record<string, unknown>,
  parts: readonly P[],
): { storeFailure?: StoreFailureView; partial?: PartFailureView<P>[] } {
  const id = (v: unknown) => (typeof v === 'string' && /^[\w.:-]{1,80}$/.test(v) ? v : undefined);
  const stored = isObject(value.storeFailure) ? id(value.storeFailure.correlationId) : undefined;
  const partial = (Array.isArray(value.partial) ? (value.partial as unknown[]) : []).flatMap((p) => {
    if (!isObject(p) || !(parts as readonly unknown[]).includes(p.part) || typeof p.code !== 'string') return [];
    const correlationId = id(p.correlationId);
    return [{ part: p.part as P, code: p.code as ApiErrorCode, ...(correlationId ? { correlationId } : {}) }];
  });
  return { ...(stored ? { storeFailure: { correlationId: stored } } : {}), ...(partial.length ? { partial } : {}) };
}

/**
 * Graph's availability and activity, checked as strings only: one the page does not know is shown as it is
 * (availabilityLabel), not refused.
 */
function pairOf(value: Record<string, unknown>): { availability: Availability; activity: Activity } | undefined {
  const { availability, activity } = value;
  return typeof availability === 'string' && typeof activity === 'string'
    ? { availability: availability as Availability, activity: activity as Activity }
    : undefined;
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

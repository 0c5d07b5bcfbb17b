import { PresenceError } from './errors';
import { isRecord, jsonBody, type HttpResponse, type HttpSend } from './http';
import type { Logger } from './log';
import type { Activity, Availability } from './model';
import { DEFAULT_RETRY, backoffMs, parseRetryAfter, sleep, type RetryPolicy } from './retry';

/** GET /me/presence, the fields this app reads. */
export interface GraphPresence {
  readonly id: string;
  readonly availability: Availability;
  readonly activity: Activity;
  readonly statusMessage?: { readonly message?: { readonly content?: string } | null; readonly expiryDateTime?: { readonly dateTime: string; readonly timeZone: string } | null } | null;
}

export interface SessionBody { readonly sessionId: string; readonly availability: string; readonly activity: string; readonly expirationDuration?: string }
export interface PreferredBody { readonly availability: string; readonly activity: string; readonly expirationDuration?: string }

/** The Graph presence calls the service makes, each with the user's delegated token. */
export interface GraphPresenceApi {
  getMyPresence(token: string): Promise<GraphPresence>;
  setPresence(token: string, userId: string, body: SessionBody): Promise<void>;
  /** 'not_found' when the session does not exist (Graph answers 404). */
  clearPresence(token: string, userId: string, sessionId: string): Promise<'cleared' | 'not_found'>;
  setUserPreferredPresence(token: string, userId: string, body: PreferredBody): Promise<void>;
  clearUserPreferredPresence(token: string, userId: string): Promise<void>;
  /** An empty message clears it; expiresAt undefined means it never expires. */
  setStatusMessage(token: string, userId: string, message: string, expiresAt?: Date): Promise<void>;
}

export interface GraphClientOptions {
  readonly baseUrl: string;
  readonly http: HttpSend;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  readonly wait?: (ms: number) => Promise<void>;
}

/** Graph's dateTimeTimeZone for a UTC instant: no offset in dateTime, seven fractional digits. */
export function toGraphDateTime(at: Date): { dateTime: string; timeZone: string } {
  return { dateTime: at.toISOString().replace(/\.(\d{3})Z$/, '.$10000'), timeZone: 'UTC' };
}

export class GraphPresenceClient implements GraphPresenceApi {
  private readonly baseUrl: string;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly wait: (ms: number) => Promise<void>;

  constructor(private readonly options: GraphClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.random = options.random ?? Math.random;
    this.wait = options.wait ?? sleep;
  }

  async getMyPresence(token: string): Promise<GraphPresence> {
    const res = await this.call(token, 'GET', '/me/presence');
    const body = jsonBody(res);
    if (!isRecord(body) || typeof body.availability !== 'string' || typeof body.activity !== 'string') {
      throw new PresenceError('graph_unavailable', { detail: 'GET /me/presence: unexpected body' });
    }
    return body as unknown as GraphPresence;
  }

  async setPresence(token: string, userId: string, body: SessionBody): Promise<void> {
    await this.call(token, 'POST', `${userPath(userId)}/setPresence`, body);
  }

  async clearPresence(token: string, userId: string, sessionId: string): Promise<'cleared' | 'not_found'> {
    const res = await this.call(token, 'POST', `${userPath(userId)}/clearPresence`, { sessionId }, [404]);
    return res.status === 404 ? 'not_found' : 'cleared';
  }

  async setUserPreferredPresence(token: string, userId: string, body: PreferredBody): Promise<void> {
    await this.call(token, 'POST', `${userPath(userId)}/setUserPreferredPresence`, body);
  }

  async clearUserPreferredPresence(token: string, userId: string): Promise<void> {
    await this.call(token, 'POST', `${userPath(userId)}/clearUserPreferredPresence`, {});
  }

  async setStatusMessage(token: string, userId: string, message: string, expiresAt?: Date): Promise<void> {
    const statusMessage = {
      message: { content: message, contentType: 'text' },
      ...(expiresAt && message ? { expiryDateTime: toGraphDateTime(expiresAt) } : {}),
    };
    await this.call(token, 'POST', `${userPath(userId)}/setStatusMessage`, { statusMessage });
  }

  /** One Graph request with retries for 429 and 5xx/connection failures; 4xx otherwise fail at once. */
  private async call(token: string, method: 'GET' | 'POST', path: string, body?: unknown, allow: readonly number[] = []): Promise<HttpResponse> {
    const label = `${method} ${path.replace(/\/users\/[^/]+/, '/users/{id}')}`;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.maxAttempts;
      let res: HttpResponse;
      try {
        res = await this.options.http({
          method,
          url: `${this.baseUrl}${path}`,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        const detail = `${label}: ${networkCode(err)}`;
        if (last) throw new PresenceError('graph_unavailable', { detail });
        this.options.logger.warn('graph request failed, retrying', { call: label, attempt, reason: networkCode(err) });
        await this.wait(backoffMs(this.retry, attempt, this.random));
        continue;
      }
      if ((res.status >= 200 && res.status < 300) || allow.includes(res.status)) return res;
      const failure = classify(res, label);
      const delay = this.retryDelay(res, failure, attempt);
      if (last || delay === undefined) throw failure;
      this.options.logger.warn('graph request throttled or failed, retrying', { call: label, attempt, status: res.status, delayMs: delay });
      await this.wait(delay);
    }
  }

  private retryDelay(res: HttpResponse, failure: PresenceError, attempt: number): number | undefined {
    if (failure.code === 'throttled') {
      const seconds = failure.retryAfterSeconds ?? 1;
      if (seconds * 1000 > this.retry.maxRetryAfterMs) return undefined;
      return seconds * 1000 + Math.round(this.random() * this.retry.baseDelayMs);
    }
    if (res.status >= 500) return backoffMs(this.retry, attempt, this.random);
    return undefined;
  }
}

function userPath(userId: string): string {
  return `/users/${encodeURIComponent(userId)}/presence`;
}

/** A Graph error response as a coded PresenceError; the detail carries Graph's code, never its message. */
function classify(res: HttpResponse, label: string): PresenceError {
  const body = jsonBody(res);
  const graphCode = isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string' ? body.error.code : 'none';
  const detail = `${label}: HTTP ${res.status} ${graphCode}`;
  if (res.status === 429) {
    return new PresenceError('throttled', { detail, retryAfterSeconds: parseRetryAfter(res.header('retry-after'), Date.now()) ?? 1 });
  }
  if (res.status === 401) return new PresenceError('token_expired', { detail });
  if (res.status === 403) return new PresenceError('forbidden', { detail });
  if (res.status >= 500) return new PresenceError('graph_unavailable', { detail });
  return new PresenceError('invalid_request', { detail });
}

function networkCode(err: unknown): string {
  if (isRecord(err) && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.name : 'unknown';
}

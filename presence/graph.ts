import { DeadlineExceeded, within, type Deadline } from './deadline';
import { PresenceError } from './errors';
import { isRecord, responseJson, type HttpRequest, type HttpResponse, type HttpSend } from './http';
import type { Logger } from './log';
import type { Activity, Availability } from './model';
import { DEFAULT_RETRY, backoffMs, parseRetryAfter, sleep, type RetryPolicy } from './retry';
import { NO_TELEMETRY, tracedLogger, type Span, type Telemetry } from './telemetry';

/** GET /me/presence, the fields this app reads. */
export interface GraphPresence {
  readonly id: string;
  readonly availability: Availability;
  readonly activity: Activity;
  readonly statusMessage?: {
    readonly message?: { readonly content?: string } | null;
    readonly expiryDateTime?: { readonly dateTime: string; readonly timeZone: string } | null;
  } | null;
}

export interface SessionBody {
  readonly sessionId: string;
  readonly availability: string;
  readonly activity: string;
  readonly expirationDuration?: string;
}
export interface PreferredBody {
  readonly availability: string;
  readonly activity: string;
  readonly expirationDuration?: string;
}

/** What every Graph call carries: the user's delegated token and, from the service, the command's deadline. */
export interface GraphCall {
  readonly token: string;
  /** When it passes, the call fails at once (throttled if Graph's last answer was a 429, else graph_unavailable) and its request is aborted. */
  readonly deadline?: Deadline;
  /** The span the call is part of (the command's): each attempt is a span under it. */
  readonly trace?: Span;
}

/** The Graph presence calls the service makes. */
export interface GraphPresenceApi {
  getMyPresence(call: GraphCall): Promise<GraphPresence>;
  setPresence(call: GraphCall, userId: string, body: SessionBody): Promise<void>;
  /** 'not_found' when the session does not exist (Graph answers 404). */
  clearPresence(call: GraphCall, userId: string, sessionId: string): Promise<'cleared' | 'not_found'>;
  setUserPreferredPresence(call: GraphCall, userId: string, body: PreferredBody): Promise<void>;
  clearUserPreferredPresence(call: GraphCall, userId: string): Promise<void>;
  /** An empty message clears it; expiresAt undefined means it never expires. */
  setStatusMessage(call: GraphCall, userId: string, message: string, expiresAt?: Date): Promise<void>;
}

export interface GraphClientOptions {
  readonly baseUrl: string;
  readonly http: HttpSend;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  readonly wait?: (ms: number) => Promise<void>;
  readonly telemetry?: Telemetry;
}

/** The Graph operation a request is, for spans and metrics. */
type Operation = 'getPresence' | 'setPresence' | 'clearPresence' | 'setUserPreferredPresence' | 'clearUserPreferredPresence' | 'setStatusMessage';

/** Graph's dateTimeTimeZone for a UTC instant: no offset in dateTime, seven fractional digits. */
function toGraphDateTime(at: Date): { dateTime: string; timeZone: string } {
  return { dateTime: at.toISOString().replace(/\.(\d{3})Z$/, '.$10000'), timeZone: 'UTC' };
}

export class GraphPresenceClient implements GraphPresenceApi {
  private readonly baseUrl: string;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly telemetry: Telemetry;
  private readonly host: string;

  constructor(private readonly options: GraphClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.host = new URL(this.baseUrl).host;
    this.telemetry = options.telemetry ?? NO_TELEMETRY;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.random = options.random ?? Math.random;
    this.wait = options.wait ?? sleep;
  }

  async getMyPresence(call: GraphCall): Promise<GraphPresence> {
    const res = await this.send(call, 'getPresence', 'GET', '/me/presence');
    const body = responseJson(res);
    if (!isRecord(body) || typeof body.availability !== 'string' || typeof body.activity !== 'string') {
      throw new PresenceError('graph_unavailable', { detail: 'GET /me/presence: unexpected body' });
    }
    return body as unknown as GraphPresence;
  }

  async setPresence(call: GraphCall, userId: string, body: SessionBody): Promise<void> {
    await this.send(call, 'setPresence', 'POST', `${userPath(userId)}/setPresence`, body);
  }

  async clearPresence(call: GraphCall, userId: string, sessionId: string): Promise<'cleared' | 'not_found'> {
    const res = await this.send(call, 'clearPresence', 'POST', `${userPath(userId)}/clearPresence`, { sessionId }, [404]);
    return res.status === 404 ? 'not_found' : 'cleared';
  }

  async setUserPreferredPresence(call: GraphCall, userId: string, body: PreferredBody): Promise<void> {
    await this.send(call, 'setUserPreferredPresence', 'POST', `${userPath(userId)}/setUserPreferredPresence`, body);
  }

  async clearUserPreferredPresence(call: GraphCall, userId: string): Promise<void> {
    await this.send(call, 'clearUserPreferredPresence', 'POST', `${userPath(userId)}/clearUserPreferredPresence`, {});
  }

  async setStatusMessage(call: GraphCall, userId: string, message: string, expiresAt?: Date): Promise<void> {
    const statusMessage = {
      message: { content: message, contentType: 'text' },
      ...(expiresAt && message ? { expiryDateTime: toGraphDateTime(expiresAt) } : {}),
    };
    await this.send(call, 'setStatusMessage', 'POST', `${userPath(userId)}/setStatusMessage`, { statusMessage });
  }

  /**
   * One Graph request with retries for 429 and 5xx/connection failures; 4xx otherwise fail at once. Under a
   * deadline, a retry whose wait would end past it is not started: the failure is reported now instead.
   */
  private async send(
    call: GraphCall,
    operation: Operation,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    allow: readonly number[] = [],
  ): Promise<HttpResponse> {
    const { token, deadline, trace } = call;
    const label = `${method} ${path.replace(/\/users\/[^/]+/, '/users/{id}')}`;
    let failure: PresenceError | undefined;
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await this.attempt(operation, attempt, call, allow, {
          method,
          url: `${this.baseUrl}${path}`,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        if (err instanceof DeadlineExceeded) throw cutOff(label, failure);
        failure = new PresenceError('graph_unavailable', { detail: `${label}: ${networkCode(err)}` });
        const delay = attempt < this.retry.maxAttempts ? backoffMs(this.retry, attempt, this.random) : undefined;
        if (!this.mayRetry(attempt, delay, deadline)) throw failure;
        tracedLogger(this.options.logger, trace).warn('graph request failed, retrying', { call: label, attempt, reason: networkCode(err) });
        await this.wait(delay);
        continue;
      }
      if ((res.status >= 200 && res.status < 300) || allow.includes(res.status)) return res;
      failure = classify(res, label);
      const delay = this.retryDelay(res, failure, attempt);
      if (!this.mayRetry(attempt, delay, deadline)) throw failure;
      tracedLogger(this.options.logger, trace).warn('graph request throttled or failed, retrying', {
        call: label,
        attempt,
        status: res.status,
        delayMs: delay,
      });
      await this.wait(delay);
    }
  }

  /**
   * One HTTP request to Graph, as a span of its own (a dependency in Application Insights) and a latency sample.
   * Neither holds the URL: it names the user.
   */
  private attempt(
    operation: Operation,
    attempt: number,
    { deadline, trace: parent }: Omit<GraphCall, 'token'>,
    allow: readonly number[],
    req: Omit<HttpRequest, 'signal'>,
  ): Promise<HttpResponse> {
    const attributes = { 'http.request.method': req.method, 'server.address': this.host, 'app.graph.operation': operation, 'app.attempt': attempt };
    return this.telemetry.span(`graph ${operation}`, { kind: 'client', attributes, parent }, async (span) => {
      const started = performance.now();
      let status: number | 'none' = 'none';
      try {
        const res = await within(deadline, (signal) => this.options.http({ ...req, signal }));
        status = res.status;
        span.set({ 'http.response.status_code': res.status });
        if (res.status >= 400 && !allow.includes(res.status)) span.fail(String(res.status));
        if (res.status === 429) this.telemetry.count('graphThrottled', { operation });
        return res;
      } finally {
        this.telemetry.record('graphDuration', performance.now() - started, { operation, status });
      }
    });
  }

  private mayRetry(attempt: number, delay: number | undefined, deadline?: Deadline): delay is number {
    if (attempt >= this.retry.maxAttempts || delay === undefined) return false;
    return !deadline || delay < deadline.remainingMs();
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

/** The deadline cut a call off: throttled if Graph's last answer was a 429 (its Retry-After still holds), else unavailable. */
function cutOff(label: string, last: PresenceError | undefined): PresenceError {
  const detail = `${label}: deadline`;
  if (last?.code === 'throttled') return new PresenceError('throttled', { detail, retryAfterSeconds: last.retryAfterSeconds });
  return new PresenceError('graph_unavailable', { detail });
}

function userPath(userId: string): string {
  return `/users/${encodeURIComponent(userId)}/presence`;
}

/** A Graph error response as a coded PresenceError; the detail carries Graph's code, never its message. */
function classify(res: HttpResponse, label: string): PresenceError {
  const body = responseJson(res);
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

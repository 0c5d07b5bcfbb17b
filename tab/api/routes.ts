import type { Request, Response, Server } from 'restify';
import type { AuthGuard } from '../../edge/auth-guard';
import { bodyLeftUnread } from '../../edge/body';
import { requestSpan } from '../../edge/trace-requests';
import { PresenceError } from '../../presence/errors';
import type { Logger } from '../../presence/log';
import type { PresenceRequest } from '../../presence/request';
import type { PresenceOutcome, PresenceService } from '../../presence/service';
import { tracedLogger } from '../../presence/telemetry';
import { bearerToken } from './auth';
import { parsePlanBody, parsePlanId, parseRemindersBody, parseSetBody, type DurationField } from './body';
import { API_PATH, PLANS_PATH, REMINDERS_PATH } from './contract';
import { apiErrorReply } from './error-reply';
import { rejectBody, rejectQuery, requestJson } from './guards';
import { sendJson } from './respond';
import { views } from './views';

export interface TabApiOptions {
  readonly service: Pick<PresenceService, 'authenticate' | 'execute'>;
  readonly logger: Logger;
  /** Answers 429 to an address that keeps failing to authenticate, before its next token is looked at. */
  readonly authGuard: AuthGuard;
  readonly now?: () => number;
}

interface Parsed {
  readonly request: PresenceRequest;
  readonly durationField?: DurationField;
}

function withoutBody(request: PresenceRequest): (req: Request) => Promise<Parsed> {
  return (req) => {
    rejectBody(req);
    return Promise.resolve({ request });
  };
}

/** What a forged, tampered or wrong token gets; an expired one is a genuine caller's, and not held against the address. */
const FORGED = new Set(['unauthenticated']);

/** A route parameter (`:id`) as restify matched it; undefined when there is none. */
function param(req: Request, name: string): unknown {
  const params: unknown = req.params;
  return typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[name] : undefined;
}

/**
 * The personal tab's API on the app's restify server: read, set and reset the caller's own presence, read
 * and change when reminders come, and plan statuses ahead, list and cancel them (only the caller's own).
 * The caller is whoever the Bearer Teams SSO token names, validated by the presence service before the
 * body is read; the request never names a user.
 */
export function registerTabApi(server: Server, options: TabApiOptions): void {
  const now = options.now ?? Date.now;
  const { authGuard } = options;
  const route =
    (parse: (req: Request) => Promise<Parsed>, view: (outcome: PresenceOutcome) => unknown, okStatus = 200) =>
    async (req: Request, res: Response) => {
      let durationField: DurationField | undefined;
      try {
        const caller = await signIn(req);
        rejectQuery(req);
        const parsed = await parse(req);
        durationField = parsed.durationField;
        const { outcome } = await options.service.execute(caller, parsed.request, { trace: requestSpan(req) });
        sendJson(res, okStatus, view(outcome));
      } catch (err) {
        const logger = tracedLogger(options.logger, requestSpan(req));
        const { status, body, headers } = apiErrorReply(err, { logger, method: req.method ?? '', durationField });
        sendJson(res, status, body, bodyLeftUnread(req) ? { ...headers, Connection: 'close' } : headers);
      }
    };

  /** Validates the caller's token under the address guard; only a forged or wrong token counts as a failure. */
  async function signIn(req: Request) {
    const retryAfterSeconds = authGuard.begin(req);
    if (retryAfterSeconds > 0) throw new PresenceError('rate_limited', { retryAfterSeconds, detail: 'failed sign-ins from this address' });
    try {
      const caller = await options.service.authenticate({ kind: 'sso', ssoToken: bearerToken(req) });
      authGuard.settle(req, true);
      return caller;
    } catch (err) {
      authGuard.settle(req, err instanceof PresenceError && !FORGED.has(err.code));
      throw err;
    }
  }

  server.get(API_PATH, route(withoutBody({ kind: 'read' }), views.read));
  server.post(
    API_PATH,
    route(async (req) => parseSetBody(await requestJson(req), now()), views.set),
  );
  server.del(API_PATH, route(withoutBody({ kind: 'clear', target: 'both' }), views.cleared));
  server.get(REMINDERS_PATH, route(withoutBody({ kind: 'reminders' }), views.reminders));
  server.put(
    REMINDERS_PATH,
    route(async (req) => ({ request: parseRemindersBody(await requestJson(req)) }), views.reminders),
  );
  server.get(PLANS_PATH, route(withoutBody({ kind: 'planned' }), views.plans));
  server.post(
    PLANS_PATH,
    route(async (req) => parsePlanBody(await requestJson(req), now()), views.planAdded, 201),
  );
  // The ID is looked up among the caller's own plans only: another user's ID cancels nothing (200 without `cancelled`).
  server.del(
    `${PLANS_PATH}/:id`,
    route((req) => {
      const id = parsePlanId(param(req, 'id'));
      rejectBody(req);
      return Promise.resolve({ request: { kind: 'unplan', id } });
    }, views.planCancelled),
  );
}

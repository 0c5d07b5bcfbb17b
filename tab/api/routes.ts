import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../presence/log';
import type { PresenceRequest } from '../../presence/request';
import type { PresenceOutcome, PresenceService } from '../../presence/service';
import { bearerToken } from './auth';
import { parseSetBody, type DurationField } from './body';
import { answerBodyErrors } from './body-errors';
import { API_PATH } from './contract';
import { errorReply } from './error-reply';
import { jsonBody, rejectBody, rejectQuery } from './guards';
import { sendJson } from './respond';
import { views } from './views';

export interface TabApiOptions {
  readonly service: Pick<PresenceService, 'execute'>;
  readonly logger: Logger;
  readonly now?: () => number;
}

interface Parsed {
  readonly request: PresenceRequest;
  readonly durationField?: DurationField;
}

function withoutBody(request: PresenceRequest): (req: Request) => Parsed {
  return (req) => {
    rejectBody(req);
    return { request };
  };
}

/**
 * The personal tab's API on the app's restify server: read, set and reset the caller's own presence.
 * The caller is whoever the Bearer Teams SSO token names, validated by the presence service; the
 * request never names a user.
 */
export function registerTabApi(server: Server, options: TabApiOptions): void {
  const now = options.now ?? Date.now;
  const route = (parse: (req: Request) => Parsed, view: (outcome: PresenceOutcome) => unknown) => async (req: Request, res: Response) => {
    let durationField: DurationField | undefined;
    try {
      const ssoToken = bearerToken(req);
      rejectQuery(req);
      const parsed = parse(req);
      durationField = parsed.durationField;
      const { outcome } = await options.service.execute({ kind: 'sso', ssoToken }, parsed.request);
      sendJson(res, 200, view(outcome));
    } catch (err) {
      const { status, body, headers } = errorReply(err, { logger: options.logger, method: req.method ?? '', durationField });
      sendJson(res, status, body, headers);
    }
  };

  server.get(API_PATH, route(withoutBody({ kind: 'read' }), views.read));
  server.post(API_PATH, route((req) => parseSetBody(jsonBody(req), now()), views.set));
  server.del(API_PATH, route(withoutBody({ kind: 'clear', target: 'both' }), views.cleared));
  answerBodyErrors(server, API_PATH, options.logger);
}

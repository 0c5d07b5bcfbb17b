import type { Request, Response, Server } from 'restify';
import type { Logger } from '../../presence/log';
import { MAX_BODY_BYTES } from './contract';
import { errorReply } from './error-reply';
import { RequestProblem } from './problems';
import { sendJson } from './respond';

/** The server-wide body parser's refusals, as they are named. */
function problemOf(err: unknown): RequestProblem | undefined {
  switch (err instanceof Error ? err.name : undefined) {
    case 'InvalidContentError': return new RequestProblem('body', { kind: 'malformed' });
    case 'PayloadTooLargeError':
    case 'RequestEntityTooLargeError': return new RequestProblem('body', { kind: 'tooLarge', maxBytes: MAX_BODY_BYTES });
    case 'UnsupportedMediaTypeError': return new RequestProblem('content-type', { kind: 'mediaType' });
    default: return undefined;
  }
}

/**
 * The body parser runs before any route handler, so malformed JSON and oversized bodies reach the API
 * as restify errors. On the API's path they get the API's error shape; elsewhere nothing changes.
 */
export function answerBodyErrors(server: Server, path: string, logger: Logger): void {
  server.on('restifyError', (req: Request, res: Response, err: unknown, done: () => void) => {
    const problem = req.getPath() === path ? problemOf(err) : undefined;
    if (problem) {
      const { status, body, headers } = errorReply(problem, { logger, method: req.method ?? '' });
      sendJson(res, status, body, headers);
    }
    done();
  });
}

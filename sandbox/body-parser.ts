import type { Next, Request, Response, Server } from 'restify';
import { BodyError, hasBody, readBody } from '../edge/body';

const FORM = 'application/x-www-form-urlencoded';
const MAX_BYTES = 64 * 1024;

/**
 * The sandbox's routes read `req.body`: JSON, or a form where the real protocol posts one (the identity
 * platform's token endpoint, the consent page's button). Read with the same capped reader as the app's
 * own routes, and only under `/sandbox/`.
 */
export function parseSandboxBodies(server: Server): void {
  server.use((req: Request, res: Response, next: Next) => {
    if (!req.getPath().startsWith('/sandbox/') || !hasBody(req)) return next();
    readBody(req, { maxBytes: MAX_BYTES, types: ['application/json', FORM] }).then(({ type, text }) => {
      req.body = type === FORM ? Object.fromEntries(new URLSearchParams(text)) : text === '' ? undefined : JSON.parse(text) as unknown;
      next();
    }).catch((err: unknown) => {
      const status = err instanceof BodyError ? err.status : 400;
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { code: 'BadRequest', message: `The request body was refused (${err instanceof BodyError ? err.problem : 'malformed'}).` } }));
      next(false);
    });
    return undefined;
  });
}

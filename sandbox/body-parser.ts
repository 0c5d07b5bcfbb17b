import type { Next, Request, Response, Server } from 'restify';
import { BodyError, hasBody, readBody } from '../edge/body';
import { newTrace, traceHeaders, withInnerError } from './graph/trace';

const FORM = 'application/x-www-form-urlencoded';
const MAX_BYTES = 64 * 1024;

/** The Graph error code for each refusal status (anything else is Graph's BadRequest). */
const REFUSAL_CODES: Readonly<Record<number, string>> = { 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType' };

/**
 * The sandbox's routes read `req.body`: JSON, or a form where the real protocol posts one (the identity
 * platform's token endpoint, the consent page's button). Read with the same capped reader as the app's
 * own routes, and only under `/sandbox/`. A refused body gets a Graph-shaped error (the Graph emulator is
 * the main reader of these bodies, and Graph's is the shape its clients parse).
 */
export function parseSandboxBodies(server: Server): void {
  server.use((req: Request, res: Response, next: Next) => {
    if (!req.getPath().startsWith('/sandbox/') || !hasBody(req)) return next();
    readBody(req, { maxBytes: MAX_BYTES, types: ['application/json', FORM] })
      .then(({ type, text }) => {
        req.body = type === FORM ? Object.fromEntries(new URLSearchParams(text)) : text === '' ? undefined : (JSON.parse(text) as unknown);
        next();
      })
      .catch((err: unknown) => {
        const status = err instanceof BodyError ? err.status : 400;
        const problem = err instanceof BodyError ? err.problem : 'malformed';
        const trace = newTrace(req.header('client-request-id') || undefined, Date.now());
        const body = withInnerError({ error: { code: REFUSAL_CODES[status] ?? 'BadRequest', message: `The request body was refused (${problem}).` } }, trace);
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...traceHeaders(trace, status) });
        res.end(JSON.stringify(body));
        next(false);
      });
    return undefined;
  });
}

import type * as restify from 'restify';
import { NO_TELEMETRY, type Span, type Telemetry } from '../presence/telemetry';

/** Each request's span while it is served, for its handler to pass along (no async context carries it: presence/telemetry.ts). */
const SPANS = new WeakMap<object, Span>();

/** The span of the request being served; undefined when telemetry is off or the path is not traced. */
export function requestSpan(req: object): Span | undefined {
  return SPANS.get(req);
}

/**
 * A server span for every request (a request in Application Insights), the parent of what the request does:
 * the command, its Graph, token and store calls. It holds the method, the route as registered
 * (`/api/plans/:id`, never the path itself: a plan's ID, a user's, would be in it) and the status. `skip`: paths
 * that are not the app's (the sandbox's stand-ins for Graph and Entra, mounted on the same server).
 */
export function traceRequests(server: restify.Server, telemetry: Telemetry, options: { readonly skip?: (path: string) => boolean } = {}): void {
  if (telemetry === NO_TELEMETRY) return;
  server.pre((req: restify.Request, res: restify.Response, next: restify.Next) => {
    if (options.skip?.(req.path())) return next();
    const method = req.method ?? 'GET';
    void telemetry.span(method, { kind: 'server', attributes: { 'http.request.method': method } }, (span) => {
      SPANS.set(req, span);
      const ended = new Promise<void>((resolve) => {
        res.once('close', () => {
          const route = req.getRoute()?.path;
          if (route !== undefined) span.rename(`${method} ${String(route)}`);
          span.set({ 'http.route': route === undefined ? undefined : String(route), 'http.response.status_code': res.statusCode });
          if (res.statusCode >= 500) span.fail(String(res.statusCode));
          resolve();
        });
      });
      // The handlers that follow find the span with requestSpan(req).
      next();
      return ended;
    });
  });
}

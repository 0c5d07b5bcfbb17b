import type { Next, Request, Response, Server } from 'restify';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `Host` as a host name without its port. */
function hostName(host: string): string {
  const bracketed = /^(\[[^\]]+\])(?::\d+)?$/.exec(host);
  if (bracketed?.[1]) return bracketed[1];
  return host.replace(/:\d+$/, '');
}

/**
 * Why a sandbox-mode request is refused, or undefined. Sandbox mode has no authentication, so it answers only
 * what the person at this machine sends: a `Host` that is a loopback name (a DNS-rebinding page's host name is
 * not), and no state-changing request from another web origin (a cross-site form post or fetch).
 */
export function sandboxRefusal(req: Pick<Request, 'headers' | 'method'>): string | undefined {
  const host = req.headers.host;
  if (typeof host !== 'string') return 'host';
  const name = hostName(host.trim().toLowerCase());
  if (!LOOPBACK_NAMES.has(name) && !name.endsWith('.localhost')) return 'host';
  if (SAFE_METHODS.has(req.method ?? 'GET')) return undefined;
  if (req.headers['sec-fetch-site'] === 'cross-site') return 'origin';
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  try {
    return new URL(origin).host === host.trim().toLowerCase() ? undefined : 'origin';
  } catch {
    return 'origin';
  }
}

/** Mounts sandboxRefusal in front of every route: 403 with a sentence for the developer. */
export function guardSandbox(server: Server): void {
  server.pre((req: Request, res: Response, next: Next) => {
    const refusal = sandboxRefusal(req);
    if (!refusal) return next();
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error:
          refusal === 'host'
            ? 'sandbox mode answers only loopback host names (localhost, 127.0.0.1, [::1])'
            : 'sandbox mode refuses state-changing requests from other web origins',
      }),
    );
    return next(false);
  });
}

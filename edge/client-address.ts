import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from. Behind Azure App Service's front end every connection comes from the
 * front end, which appends the client's address (as `ip:port`) to X-Forwarded-For: the last entry is the
 * one it wrote, and the only one a client cannot forge. Without a trusted proxy the socket's peer is used.
 */
export function clientAddress(req: IncomingMessage, trustForwardedFor: boolean): string {
  if (trustForwardedFor) {
    const header = req.headers['x-forwarded-for'];
    const last = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .pop();
    if (last) return withoutPort(last);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1]) return bracketed[1];
  // One colon: IPv4 with a port. More: a bare IPv6 address.
  return entry.split(':').length === 2 ? entry.slice(0, entry.indexOf(':')) : entry;
}

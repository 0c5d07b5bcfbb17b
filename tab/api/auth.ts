import type { Request } from 'restify';
import { PresenceError } from '../../presence/errors';

/**
 * A compact JWS (three base64url parts; an empty signature still reaches the validator, which refuses it).
 * Matching takes time in proportion to the header: each part is a run of one character class ended by a
 * character outside it, so there is nothing to backtrack into. Node itself refuses headers over 16 KB
 * (431) before any handler runs, so no length check is needed here.
 */
const BEARER = /^Bearer +([\w-]+\.[\w-]+\.[\w-]*)$/i;

/** The SSO token from `Authorization: Bearer ...`, or `unauthenticated`. Validation is the service's job. */
export function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
  if (!match?.[1])
    throw new PresenceError('unauthenticated', { detail: header === undefined ? 'no authorization header' : 'authorization header is not a bearer token' });
  return match[1];
}

import type { Request } from 'restify';
import { PresenceError } from '../../presence/errors';

/** A compact JWS (three base64url parts; an empty signature still reaches the validator, which refuses it). */
const BEARER = /^Bearer +([\w-]+\.[\w-]+\.[\w-]*)$/i;
const MAX_HEADER = 16_384;

/** The SSO token from `Authorization: Bearer ...`, or `unauthenticated`. Validation is the service's job. */
export function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  const match = typeof header === 'string' && header.length <= MAX_HEADER ? BEARER.exec(header.trim()) : null;
  if (!match?.[1]) throw new PresenceError('unauthenticated', { detail: header === undefined ? 'no authorization header' : 'authorization header is not a bearer token' });
  return match[1];
}

import type { Request } from 'restify';
import { MAX_BODY_BYTES } from './contract';
import { RequestProblem } from './problems';

/** The API takes no query parameters: a user, in particular, is never named in the URL. */
export function rejectQuery(req: Request): void {
  const query = req.getQuery();
  if (typeof query !== 'string' || query === '') return;
  const [name] = new URLSearchParams(query).keys();
  throw new RequestProblem(name || 'query', { kind: 'notAllowed' });
}

/** GET and DELETE carry no body. */
export function rejectBody(req: Request): void {
  const body: unknown = req.body;
  if (body !== undefined && body !== '') throw new RequestProblem('body', { kind: 'notAllowed' });
}

/** A POST body is application/json of at most MAX_BODY_BYTES (the server-wide parser has read and parsed it). */
export function jsonBody(req: Request): unknown {
  if (req.getContentType() !== 'application/json') throw new RequestProblem('content-type', { kind: 'mediaType' });
  const raw: unknown = req.rawBody;
  const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : req.contentLength();
  if (size > MAX_BODY_BYTES) throw new RequestProblem('body', { kind: 'tooLarge', maxBytes: MAX_BODY_BYTES });
  const body: unknown = req.body;
  if (body === undefined) throw new RequestProblem('body', { kind: 'required' });
  return body;
}

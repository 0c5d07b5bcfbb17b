import type { Request } from 'restify';
import { BodyError, hasBody, hasMediaType, readJson } from '../../edge/body';
import { MAX_BODY_BYTES } from './contract';
import { RequestProblem } from './problems';

/** The API takes no query parameters: a user, in particular, is never named in the URL. */
export function rejectQuery(req: Request): void {
  const query = req.getQuery();
  if (typeof query !== 'string' || query === '') return;
  const [name] = new URLSearchParams(query).keys();
  throw new RequestProblem(name || 'query', { kind: 'notAllowed' });
}

/** GET and DELETE carry no body (it is never read). */
export function rejectBody(req: Request): void {
  if (hasBody(req)) throw new RequestProblem('body', { kind: 'notAllowed' });
}

/**
 * A POST or PUT body: application/json of at most MAX_BODY_BYTES as sent (any Content-Encoding is refused, so
 * nothing is inflated), read only now that the caller is authenticated.
 */
export async function requestJson(req: Request): Promise<unknown> {
  if (!hasMediaType(req)) throw new RequestProblem('content-type', { kind: 'mediaType' });
  if (!hasBody(req)) throw new RequestProblem('body', { kind: 'required' });
  try {
    return await readJson(req, MAX_BODY_BYTES);
  } catch (err) {
    if (!(err instanceof BodyError)) throw err;
    switch (err.problem) {
      case 'tooLarge':
        throw new RequestProblem('body', { kind: 'tooLarge', maxBytes: MAX_BODY_BYTES });
      case 'mediaType':
        throw new RequestProblem('content-type', { kind: 'mediaType' });
      case 'encoding':
        throw new RequestProblem('content-encoding', { kind: 'mediaType' });
      default:
        throw new RequestProblem('body', { kind: 'malformed' });
    }
  }
}

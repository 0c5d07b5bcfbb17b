import type { IncomingMessage } from 'node:http';

/**
 * Reading a request body at the edge, per route and only once the route wants it: a cap on the bytes
 * as they arrive (nothing is inflated: any Content-Encoding but identity is refused), the media types
 * the route takes and nothing else (no multipart anywhere), and no temporary files.
 */
export type BodyProblem =
  /** The Content-Type is not one the route takes (415). */
  | 'mediaType'
  /** A Content-Encoding other than identity (415): a compressed body is never inflated. */
  | 'encoding'
  /** More bytes than the route's cap, announced or sent (413). */
  | 'tooLarge'
  /** Not valid JSON (or not UTF-8) (400). */
  | 'malformed'
  /** The client stopped sending before the end (400). */
  | 'aborted';

export class BodyError extends Error {
  constructor(readonly problem: BodyProblem) {
    super(`request body: ${problem}`);
    this.name = 'BodyError';
  }

  get status(): number {
    switch (this.problem) {
      case 'mediaType':
      case 'encoding':
        return 415;
      case 'tooLarge':
        return 413;
      default:
        return 400;
    }
  }
}

export interface BodyLimits {
  readonly maxBytes: number;
  /** The media types accepted, lower case without parameters; default application/json. */
  readonly types?: readonly string[];
}

export interface RawBody {
  readonly type: string;
  readonly text: string;
}

/** The media type without parameters; a charset, if given, must be UTF-8. */
function mediaTypeOf(req: IncomingMessage): string | undefined {
  const header = req.headers['content-type'];
  if (typeof header !== 'string') return undefined;
  const [type = '', ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return undefined;
  return type;
}

/** Whether the request's Content-Type is one of `types` (UTF-8 if it names a charset). */
export function hasMediaType(req: IncomingMessage, types: readonly string[] = ['application/json']): boolean {
  const type = mediaTypeOf(req);
  return type !== undefined && types.includes(type);
}

/** Whether the request carries a body at all (a length above zero or a chunked transfer). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** The body as text, refused (BodyError) before a byte is kept when its headers already say it is unwanted. */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<RawBody> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') return Promise.reject(new BodyError('encoding'));
  const type = mediaTypeOf(req);
  if (type === undefined || !hasMediaType(req, limits.types)) return Promise.reject(new BodyError('mediaType'));
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > limits.maxBytes) return Promise.reject(new BodyError('tooLarge'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (problem: BodyProblem) => {
      cleanup();
      // The rest is not read: the connection is closed after the answer, so the client cannot keep sending.
      req.pause();
      reject(new BodyError(problem));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) fail('tooLarge');
      else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      const buffer = Buffer.concat(chunks, size);
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
      try {
        resolve({ type, text: text.decode(buffer) });
      } catch {
        reject(new BodyError('malformed'));
      }
    };
    const onAbort = () => fail('aborted');
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('aborted', onAbort);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onAbort);
    req.once('aborted', onAbort);
  });
}

/** A JSON body (application/json, at most maxBytes). */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const { text } = await readBody(req, { maxBytes });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError('malformed');
  }
}

/** Whether the request's body was left (partly) unread: its connection is then closed after the answer, not reused. */
export function bodyLeftUnread(req: IncomingMessage): boolean {
  return hasBody(req) && !req.readableEnded;
}

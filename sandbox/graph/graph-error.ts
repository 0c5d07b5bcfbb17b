/** Microsoft Graph's error shape, `{ error: { code, message } }`, with the HTTP status it travels with. */

export type GraphErrorCode =
  | 'BadRequest'
  | 'NotFound'
  | 'InvalidAuthenticationToken'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'FailedDependency'
  | 'TooManyRequests'
  | 'InternalServerError';

export interface GraphErrorBody {
  readonly error: { readonly code: GraphErrorCode; readonly message: string };
}

export class GraphError extends Error {
  readonly status: number;
  readonly code: GraphErrorCode;
  /** Seconds to send in Retry-After (429). */
  readonly retryAfterSeconds?: number;

  constructor(status: number, code: GraphErrorCode, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'GraphError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get body(): GraphErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export function badRequest(message: string): GraphError {
  return new GraphError(400, 'BadRequest', message);
}

export function notFound(message: string): GraphError {
  return new GraphError(404, 'NotFound', message);
}

export function isGraphError(err: unknown): err is GraphError {
  return err instanceof GraphError;
}

import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';

/** The narrow HTTP interface the service uses: trivial to fake, one keep-alive pool per origin underneath. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborts the request, in flight or not yet sent (the command's deadline passed). */
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  header(name: string): string | undefined;
  readonly text: string;
}

export type HttpSend = (req: HttpRequest) => Promise<HttpResponse>;

export interface HttpOptions {
  /** Extra trusted CA certificate(s) in PEM, e.g. a local test authority. */
  readonly ca?: string | readonly string[];
  /** Connections kept per origin. */
  readonly connections?: number;
  /** Headers and body timeout, milliseconds. */
  readonly timeoutMs?: number;
}

/** An HTTP client with keep-alive connection pooling (undici). */
export function createHttp(options: HttpOptions = {}): HttpSend {
  const timeout = options.timeoutMs ?? 15_000;
  const ca = options.ca === undefined ? undefined : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
  const dispatcher = new Agent({
    connections: options.connections ?? 64,
    keepAliveTimeout: 30_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    // `ca` replaces Node's trust store, so the public roots are kept alongside the extra ones.
    connect: ca ? { ca: [...rootCertificates, ...ca] } : undefined,
  });
  return async (req) => {
    const res = await request(req.url, { method: req.method, headers: req.headers, body: req.body, signal: req.signal, dispatcher });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      text,
      header(name) {
        const value = res.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      },
    };
  };
}

/** Reads a response's JSON body, or undefined when the body is empty or not JSON. */
export function responseJson(res: HttpResponse): unknown {
  if (!res.text) return undefined;
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Graph's JSON batching (`POST /$batch`) for the emulator, framework-free: reading the batch as Graph does (1 to 20
 * requests, each with a unique `id`, a `method` and a `url`; `dependsOn` naming other requests of the batch), the
 * order they run in, the 424 for a request whose dependency failed, and the answer `{ responses: [...] }`.
 * routes.ts serves each request through the same code as a direct call. Messages are Graph's where its wording is
 * known (an invalid payload, a repeated id), the emulator's otherwise.
 */
import { readObject, readOptional, readString, type JsonObject } from './body';
import { GraphError, badRequest } from './graph-error';
import type { GraphVersion } from './odata';
import { GRAPH_WWW_AUTHENTICATE, withInnerError, type GraphTrace } from './trace';

const MAX_BATCH_REQUESTS = 20;

/** Graph's message for a batch body that is not `{ "requests": [ ... ] }` with at least one request. */
const INVALID_BATCH = 'Invalid batch payload format.';

export interface BatchStep {
  readonly id: string;
  /** Upper-case. */
  readonly method: string;
  readonly url: string;
  /** Names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** Undefined when the request has none. */
  readonly body: unknown;
  readonly dependsOn: readonly string[];
}

/** How one request of a batch was answered, before it is put in the batch's answer. */
export interface StepReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One entry of the batch's `responses`. */
export interface BatchResponse {
  readonly id: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** Where a request's url points: the Graph version it runs under and the path after it. */
export interface StepTarget {
  readonly version: GraphVersion;
  /** Still percent-encoded, as a request line carries it. */
  readonly path: string;
  readonly query: URLSearchParams;
}

/** Request ids are not case-sensitive (Graph's words), so ids are compared by this key. */
function key(id: string): string {
  return id.toLowerCase();
}

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readHeaders(obj: JsonObject, id: string): Record<string, string> {
  const value = readOptional(obj, 'headers');
  if (value === undefined) return {};
  const problem = badRequest(`The headers of request '${id}' must be an object of strings.`);
  if (!isRecord(value)) throw problem;
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw problem;
    headers[name.toLowerCase()] = v;
  }
  return headers;
}

function readDependsOn(obj: JsonObject, id: string): string[] {
  const value = readOptional(obj, 'dependsOn');
  if (value === undefined) return [];
  const problem = badRequest(`The dependsOn of request '${id}' must be an array of request ids.`);
  if (!Array.isArray(value)) throw problem;
  return value.map((dep: unknown) => {
    if (typeof dep !== 'string') throw problem;
    return dep;
  });
}

function readStep(value: unknown): BatchStep {
  const obj = readObject(value, 'a request in the batch', { required: ['id', 'method', 'url'], optional: ['headers', 'body', 'dependsOn'] });
  const id = readString(obj, 'id');
  if (id === '') throw badRequest("Property 'id' must not be empty.");
  const method = readString(obj, 'method').toUpperCase();
  const url = readString(obj, 'url');
  return { id, method, url, headers: readHeaders(obj, id), body: readOptional(obj, 'body'), dependsOn: readDependsOn(obj, id) };
}

/** The order the steps run in: each after those it depends on, otherwise in the batch's order; a 400 for a cycle. */
function executionOrder(steps: readonly BatchStep[]): BatchStep[] {
  const done = new Set<string>();
  const order: BatchStep[] = [];
  while (order.length < steps.length) {
    const next = steps.find((s) => !done.has(key(s.id)) && s.dependsOn.every((dep) => done.has(key(dep))));
    if (!next) throw badRequest('The dependsOn of the requests in the batch form a cycle.');
    done.add(key(next.id));
    order.push(next);
  }
  return order;
}

/** The batch's requests, in the batch's order; a 400 GraphError when Graph would refuse the whole batch. */
export function parseBatch(body: unknown): BatchStep[] {
  const requests: unknown = isRecord(body) ? body.requests : undefined;
  if (!Array.isArray(requests) || requests.length === 0) throw badRequest(INVALID_BATCH);
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw badRequest(`A batch can hold at most ${MAX_BATCH_REQUESTS} requests; this one has ${requests.length}.`);
  }
  const steps = requests.map(readStep);
  const ids = new Set<string>();
  for (const step of steps) {
    if (ids.has(key(step.id))) throw badRequest(`Request Id ${step.id} has to be unique in a batch.`);
    ids.add(key(step.id));
  }
  for (const step of steps) {
    const unknown = step.dependsOn.find((dep) => !ids.has(key(dep)));
    if (unknown !== undefined) throw badRequest(`Request '${step.id}' depends on '${unknown}', which is not a request in this batch.`);
  }
  executionOrder(steps);
  return steps;
}

/**
 * Where a step's url points. Graph takes it relative to the batch's version (`/me/presence`, `me/presence`); the Graph
 * SDKs send an absolute URL with only its scheme and host cut off (`/v1.0/me/presence`, or under the emulator's base
 * path `/sandbox/graph/v1.0/me/presence`), which names its version.
 */
export function stepTarget(url: string, version: GraphVersion, basePath: string): StepTarget {
  const parsed = new URL(url, 'http://relative.invalid/');
  let path = parsed.pathname;
  if (basePath !== '' && path.startsWith(`${basePath}/`)) path = path.slice(basePath.length);
  const named = /^\/(v1\.0|beta)(\/.*)?$/.exec(path);
  return named
    ? { version: named[1] === 'beta' ? 'beta' : 'v1.0', path: named[2] ?? '', query: parsed.searchParams }
    : { version, path, query: parsed.searchParams };
}

/** Graph requires a Content-Type with a body; the emulator reads JSON bodies only, as it does on a direct call. */
export function stepBodyError(step: BatchStep): GraphError | undefined {
  if (step.body === undefined) return undefined;
  const type = step.headers['content-type'];
  if (type === undefined) return badRequest(`Request '${step.id}' has a body but no Content-Type header.`);
  if (type.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    return new GraphError(415, 'UnsupportedMediaType', `The body of request '${step.id}' must be application/json, not '${type}'.`);
  }
  return undefined;
}

function failedDependency(step: BatchStep, dep: string): StepReply {
  const error = new GraphError(424, 'FailedDependency', `Request '${step.id}' depends on request '${dep}', which failed.`);
  return { status: error.status, body: error.body };
}

/**
 * One entry of `responses`: errors carry the batch's trace in innerError (as Graph's do), a body its Content-Type
 * (spelled so, which microsoft-graph-client's BatchResponseContent looks for), a 401 Graph's challenge.
 */
function toResponse(id: string, reply: StepReply, trace: GraphTrace): BatchResponse {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.status === 401) headers['WWW-Authenticate'] = GRAPH_WWW_AUTHENTICATE;
  if (reply.body === undefined) return { id, status: reply.status, headers };
  headers['Content-Type'] = 'application/json';
  return { id, status: reply.status, headers, body: reply.status >= 400 ? withInnerError(reply.body, trace) : reply.body };
}

/**
 * Runs the steps one at a time in execution order through `serve`, answering 424 for a step whose dependency failed
 * (status 400 or above) without serving it. The responses are in the batch's order; undefined when `serve` answered
 * undefined (the connection is gone) and the rest of the batch was not run.
 */
export async function runBatch(
  steps: readonly BatchStep[],
  trace: GraphTrace,
  serve: (step: BatchStep) => Promise<StepReply | undefined>,
): Promise<BatchResponse[] | undefined> {
  const replies = new Map<string, StepReply>();
  for (const step of executionOrder(steps)) {
    const failed = step.dependsOn.find((dep) => (replies.get(key(dep))?.status ?? 0) >= 400);
    const reply = failed === undefined ? await serve(step) : failedDependency(step, failed);
    if (!reply) return undefined;
    replies.set(key(step.id), reply);
  }
  return steps.flatMap((step) => {
    const reply = replies.get(key(step.id));
    return reply ? [toResponse(step.id, reply, trace)] : [];
  });
}

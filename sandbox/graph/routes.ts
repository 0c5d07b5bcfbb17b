/**
 * The presence emulator over HTTP, shaped like Microsoft Graph, plus inspection endpoints for tests and the
 * sandbox UI. The server (with queryParser, and sandbox/body-parser.ts for bodies) is created elsewhere; this only adds routes.
 *
 * Graph (Authorization: Bearer required), under `${basePath}/v1.0` and `${basePath}/beta`:
 *   GET  /me/presence                     GET  /users/:id/presence
 *   POST /me/presence/<action>            POST /users/:id/presence/<action>
 *        action: setPresence, clearPresence, setUserPreferredPresence, clearUserPreferredPresence, setStatusMessage,
 *        each also namespace-qualified (microsoft.graph.setPresence ...), as Graph takes them
 *   POST /$batch                          JSON batching (batch.ts): up to 20 of the requests above in one call
 *   GET presence answers with `@odata.context` and honours `$select`. Any other path under a version gets Graph's
 *   error (see odata.ts unservedPathError). Every answer carries request-id, client-request-id and Date (trace.ts).
 * Inspection and fault injection (no token): see INSPECTION_ROUTES.
 *
 * A direct request and each request inside a $batch take the same path (dispatch): matched to an operation, then
 * fault rules (sandbox/graph/faults.ts), the token and the scopes, the throttle (each request in a batch counts once,
 * as Graph evaluates them individually; the $batch itself is neither counted, faulted nor logged), the emulator, the
 * log. Fault rules apply once the route matched and before the token is checked or the request counted by the
 * throttle. A faulted request reaches the emulator only once a delay without thenStatus ends; the log shows every
 * faulted request with the rule's ID. A reset fault on a request in a batch resets the batch's connection.
 */
import * as restify from 'restify';
import { parseIsoDuration } from '../../presence/duration';
import { parseBatch, runBatch, stepBodyError, stepTarget, type BatchStep } from './batch';
import { readObject } from './body';
import type { EmulatedPresence, PresenceEmulator } from './emulator';
import { FaultPlan, faultErrorBody, type FaultRule } from './faults';
import { GraphError, badRequest, isGraphError, notFound, type GraphErrorBody } from './graph-error';
import { NAMESPACE, parseSelect, presenceBody, unservedPathError, type GraphVersion } from './odata';
import { GRAPH_PRESENCE_THROTTLE, TenantThrottle, type ThrottleLimits } from './throttle';
import { newTrace, traceHeaders, withInnerError, type GraphTrace } from './trace';

export interface GraphIdentity {
  readonly userId: string;
  readonly tenantId: string;
  readonly scopes: readonly string[];
}

export type VerifyToken = (bearer: string) => Promise<GraphIdentity | undefined>;

export interface GraphEmulatorDeps {
  readonly emulator: PresenceEmulator;
  /** Resolves a bearer token to the signed-in user it was issued for, or undefined when it is not valid. */
  readonly verifyToken: VerifyToken;
  /** Default '/sandbox/graph'. */
  readonly basePath?: string;
  /** Default Graph's 10,000 requests per 30 s per tenant; false turns throttling off. */
  readonly throttle?: ThrottleLimits | false;
  /** How many recent Graph requests `_requests` keeps (default 500). */
  readonly requestLogSize?: number;
  /** Resolves once a user's changes are saved: a write is answered only then, as Graph answers once it holds it. */
  readonly flush?: (userId: string) => Promise<void>;
  /** Decides which matching requests a fault rule with a share below 1 faults (default Math.random). */
  readonly faultRandom?: () => number;
}

/** A status of 0 in the request log: no response was sent (a reset fault, or the client left while a delay held it). */
const NO_RESPONSE_STATUS = 0;

/** One Graph request served (never the Authorization header). */
export interface RecordedRequest {
  readonly method: string;
  /** The Graph path without basePath, e.g. '/v1.0/me/presence/setPresence'. */
  readonly path: string;
  /** The user it acted for, once the token was accepted. */
  readonly userId: string | null;
  readonly body: unknown;
  /** NO_RESPONSE_STATUS (0) when none was sent. */
  readonly status: number;
  /** The emulator's clock, ISO 8601 UTC. */
  readonly time: string;
  /** The ID of the fault rule that applied, if one did. */
  readonly fault?: string;
  /** The request's id in its $batch, for one that came in a batch. */
  readonly batchRequestId?: string;
}

export interface GraphEmulatorHandle {
  readonly basePath: string;
  requests(): readonly RecordedRequest[];
  clearRequests(): void;
  /** The fault rules `_faults` manages, for in-process tests. */
  readonly faults: FaultPlan;
}

type Method = 'get' | 'post' | 'put' | 'del';
type Access = 'read' | 'write';

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

interface PresenceOperation {
  readonly method: 'get' | 'post';
  /** The path after `/presence`. */
  readonly action: string;
  readonly access: Access;
  readonly run: (emulator: PresenceEmulator, userId: string, body: unknown) => EmulatedPresence | void;
}

const PRESENCE_OPERATIONS: readonly PresenceOperation[] = [
  { method: 'get', action: '', access: 'read', run: (e, userId) => e.getPresence(userId) },
  { method: 'post', action: '/setPresence', access: 'write', run: (e, userId, body) => e.setPresence(userId, body) },
  { method: 'post', action: '/clearPresence', access: 'write', run: (e, userId, body) => e.clearPresence(userId, body) },
  { method: 'post', action: '/setUserPreferredPresence', access: 'write', run: (e, userId, body) => e.setUserPreferredPresence(userId, body) },
  { method: 'post', action: '/clearUserPreferredPresence', access: 'write', run: (e, userId, body) => e.clearUserPreferredPresence(userId, body) },
  { method: 'post', action: '/setStatusMessage', access: 'write', run: (e, userId, body) => e.setStatusMessage(userId, body) },
];

const GRAPH_VERSIONS: readonly GraphVersion[] = ['v1.0', 'beta'];
const ACTIONS = PRESENCE_OPERATIONS.map((op) => op.action.slice(1)).filter(Boolean);

/** `/me/presence[/action]` or `/users/{id}/presence[/action]` after the version; case-sensitive, as Graph's segments are. */
const PRESENCE_PATH = /^\/(?:me|users\/([^/]+))\/presence(?:\/([^/]+))?\/?$/;

/** One Graph request, as it came: on its own or inside a $batch. */
interface GraphCall {
  /** Upper-case. */
  readonly method: string;
  readonly version: GraphVersion;
  /** After the version, still percent-encoded, e.g. '/me/presence/setPresence'. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The Authorization header (a batch's, for a request in it). */
  readonly authorization: string | undefined;
  readonly body: unknown;
  readonly batchRequestId?: string;
}

/** What a fault can do to the connection a call came on: hold it (false once the client left), or reset it. */
interface Connection {
  hold(ms: number): Promise<boolean>;
  reset(): void;
}

interface Routed {
  readonly op: PresenceOperation;
  /** The `{id}` of `/users/{id}`, decoded; '' for `/me`. */
  readonly userParam: string;
}

/** Delegated scopes that allow each kind of operation. */
const SCOPES: Readonly<Record<Access, readonly string[]>> = {
  read: ['Presence.Read', 'Presence.ReadWrite'],
  write: ['Presence.ReadWrite'],
};

interface Context {
  readonly emulator: PresenceEmulator;
  readonly verifyToken: VerifyToken;
  readonly basePath: string;
  readonly throttle: TenantThrottle | undefined;
  readonly log: RequestLog;
  readonly faults: FaultPlan;
  readonly flush?: (userId: string) => Promise<void>;
}

class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly size: number) {}

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
  }

  all(): readonly RecordedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}

function unauthenticated(message: string): GraphError {
  return new GraphError(401, 'InvalidAuthenticationToken', message);
}

function forbidden(): GraphError {
  return new GraphError(403, 'Forbidden', 'Insufficient privileges to complete the operation.');
}

function graphErrorReply(err: unknown): Reply {
  const error = isGraphError(err) ? err : new GraphError(500, 'InternalServerError', 'An internal server error occurred.');
  const headers = error.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(error.retryAfterSeconds) };
  const body: GraphErrorBody = error.body;
  return { status: error.status, body, headers };
}

/** Sends a reply with the trace's headers (and innerError); without a body, restify sends none (Graph's `200 OK` with no content). */
function send(res: restify.Response, reply: Reply, trace: GraphTrace): void {
  const body = reply.status >= 400 ? withInnerError(reply.body, trace) : reply.body;
  res.send(reply.status, body, { ...reply.headers, ...traceHeaders(trace, reply.status) });
}

function traceOf(ctx: Context, req: restify.Request): GraphTrace {
  return newTrace(req.header('client-request-id') || undefined, ctx.emulator.now());
}

function routeParam(req: restify.Request, name: string): string {
  const params = req.params as Readonly<Record<string, unknown>> | undefined;
  const value = params?.[name];
  return typeof value === 'string' ? value : '';
}

function requestBody(req: restify.Request): unknown {
  const body: unknown = req.body;
  return body;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The operation `method` on `path` (after the version) names; undefined when none (see unservedPathError). */
function matchOperation(method: string, path: string): Routed | undefined {
  const match = PRESENCE_PATH.exec(path);
  const userParam = decodeSegment(match?.[1] ?? '');
  if (!match || userParam === undefined) return undefined;
  const segment = match[2];
  const action = segment === undefined ? '' : `/${segment.startsWith(NAMESPACE) ? segment.slice(NAMESPACE.length) : segment}`;
  const op = PRESENCE_OPERATIONS.find((o) => o.action === action && o.method.toUpperCase() === method);
  return op ? { op, userParam } : undefined;
}

async function authenticate(verifyToken: VerifyToken, authorization: string | undefined): Promise<GraphIdentity> {
  if (!authorization) throw unauthenticated('Access token is empty.');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const identity = match?.[1] ? await verifyToken(match[1]).catch(() => undefined) : undefined;
  if (!identity) throw unauthenticated('Access token validation failure.');
  return identity;
}

/** Delegated permissions act only for the signed-in user: `/users/{id}` must be the token's own user. */
function targetUser(userParam: string, identity: GraphIdentity): string {
  if (userParam && userParam.toLowerCase() !== identity.userId.toLowerCase()) throw forbidden();
  return identity.userId;
}

function authorize(identity: GraphIdentity, access: Access): void {
  if (!SCOPES[access].some((scope) => identity.scopes.includes(scope))) throw forbidden();
}

interface Outcome {
  /** Undefined: no response is sent (a reset, or the client left while a delay held it). */
  readonly reply: Reply | undefined;
  /** The user it acted for, once the token was accepted. */
  readonly userId: string | null;
}

/** Serves a matched call; a write is answered once its change is saved. */
async function serve(ctx: Context, { op, userParam }: Routed, call: GraphCall): Promise<Outcome> {
  let userId: string | null = null;
  let reply: Reply;
  try {
    const identity = await authenticate(ctx.verifyToken, call.authorization);
    userId = targetUser(userParam, identity);
    authorize(identity, op.access);
    ctx.throttle?.take(identity.tenantId, ctx.emulator.now());
    const select = op.action === '' ? parseSelect(call.query.get('$select')) : undefined;
    const result = op.run(ctx.emulator, userId, call.body);
    reply = { status: 200, body: result ? presenceBody(result, call.version, select) : undefined };
  } catch (err) {
    reply = graphErrorReply(err);
  }
  if (op.access === 'write' && userId) await ctx.flush?.(userId);
  return { reply, userId };
}

/**
 * Resolves true after `ms`, or false as soon as the connection closes. The timer is unref'd so that a held
 * request alone does not keep the process alive, and cleared when the connection goes (e.g. the server closes it).
 */
function hold(ms: number, res: restify.Response): Promise<boolean> {
  return new Promise((resolve) => {
    const gone = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', gone);
      resolve(true);
    }, ms);
    timer.unref();
    res.once('close', gone);
  });
}

function connectionOf(req: restify.Request, res: restify.Response): Connection {
  return { hold: (ms) => hold(ms, res), reset: () => req.socket.resetAndDestroy() };
}

const NO_REPLY: Outcome = { reply: undefined, userId: null };

/** A status fault's answer: Graph's error body, and Retry-After only when the rule gives it. */
function faultReply(ruleId: string, status: number, retryAfterSeconds: number | undefined): Outcome {
  const headers = retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) };
  return { reply: { status, body: faultErrorBody(ruleId, status), headers }, userId: null };
}

async function injectFault(ctx: Context, routed: Routed, call: GraphCall, connection: Connection, rule: FaultRule): Promise<Outcome> {
  const { fault } = rule;
  if (fault.kind === 'reset') {
    connection.reset();
    return NO_REPLY;
  }
  if (fault.kind === 'delay') {
    if (!(await connection.hold(fault.ms))) return NO_REPLY;
    if (fault.thenStatus === undefined) return serve(ctx, routed, call);
    return faultReply(rule.id, fault.thenStatus, fault.retryAfterSeconds);
  }
  return faultReply(rule.id, fault.status, fault.retryAfterSeconds);
}

/**
 * Serves one Graph call, direct or in a batch: a path no operation serves gets Graph's error (not logged, and never
 * faulted: no route matched); otherwise fault rules, then the emulator, and the log. Undefined: send no response.
 */
async function dispatch(ctx: Context, call: GraphCall, connection: Connection): Promise<Reply | undefined> {
  const routed = matchOperation(call.method, call.path);
  if (!routed) return graphErrorReply(unservedPathError(call.method, call.path, ACTIONS));
  // Fault rules name actions without their namespace.
  const rule = ctx.faults.match(call.method, call.path.replace(`/${NAMESPACE}`, '/'));
  const { reply, userId } = rule ? await injectFault(ctx, routed, call, connection, rule) : await serve(ctx, routed, call);
  ctx.log.add({
    method: call.method,
    path: `/${call.version}${call.path}`,
    userId,
    body: call.body === undefined ? null : call.body,
    status: reply?.status ?? NO_RESPONSE_STATUS,
    time: new Date(ctx.emulator.now()).toISOString(),
    ...(rule ? { fault: rule.id } : {}),
    ...(call.batchRequestId === undefined ? {} : { batchRequestId: call.batchRequestId }),
  });
  return reply;
}

/** Every Graph request under a version but `$batch`. */
function graphHandler(ctx: Context, version: GraphVersion): (req: restify.Request, res: restify.Response) => Promise<void> {
  return async (req, res) => {
    const trace = traceOf(ctx, req);
    const call: GraphCall = {
      method: (req.method ?? 'GET').toUpperCase(),
      version,
      path: req.getPath().slice(`${ctx.basePath}/${version}`.length),
      query: new URLSearchParams(req.getQuery()),
      authorization: req.header('authorization') || undefined,
      body: requestBody(req),
    };
    const reply = await dispatch(ctx, call, connectionOf(req, res));
    if (reply) send(res, reply, trace);
  };
}

/** A request in a batch, with the batch's token, through dispatch; a body Graph would refuse is answered before it. */
function serveStep(
  ctx: Context,
  step: BatchStep,
  version: GraphVersion,
  authorization: string | undefined,
  connection: Connection,
): Promise<Reply | undefined> {
  const refused = stepBodyError(step);
  if (refused) return Promise.resolve(graphErrorReply(refused));
  const target = stepTarget(step.url, version, ctx.basePath);
  const call: GraphCall = { method: step.method, ...target, authorization, body: step.body, batchRequestId: step.id };
  return dispatch(ctx, call, connection);
}

/** `POST /$batch`: a batch Graph would refuse whole is a 400; otherwise 200 with each request's own answer. */
function batchHandler(ctx: Context, version: GraphVersion): (req: restify.Request, res: restify.Response) => Promise<void> {
  return async (req, res) => {
    const trace = traceOf(ctx, req);
    let steps: BatchStep[];
    try {
      steps = parseBatch(requestBody(req));
    } catch (err) {
      send(res, graphErrorReply(err), trace);
      return;
    }
    const authorization = req.header('authorization') || undefined;
    const connection = connectionOf(req, res);
    const responses = await runBatch(steps, trace, (step) => serveStep(ctx, step, version, authorization, connection));
    if (responses) send(res, { status: 200, body: { responses } }, trace);
  };
}

function unknownVersionHandler(ctx: Context): restify.RequestHandler {
  return (req, res, next) => {
    const [segment = ''] = req.path().slice(ctx.basePath.length).split('/').filter(Boolean);
    send(res, graphErrorReply(badRequest(`Resource not found for the segment '${segment}'.`)), traceOf(ctx, req));
    next();
  };
}

interface InspectionRoute {
  readonly method: Method;
  readonly path: string;
  readonly run: (ctx: Context, req: restify.Request) => Reply;
}

function clock(ctx: Context): Reply {
  return { status: 200, body: { now: new Date(ctx.emulator.now()).toISOString() } };
}

function advanceClock(ctx: Context, req: restify.Request): Reply {
  const { advance } = readObject(requestBody(req), 'the request body', { required: ['advance'] });
  const ms = typeof advance === 'string' ? parseIsoDuration(advance) : undefined;
  if (ms === undefined) throw badRequest("advance must be an ISO 8601 duration such as 'PT5M'.");
  ctx.emulator.advance(ms);
  return clock(ctx);
}

function setTeamsClient(ctx: Context, req: restify.Request): Reply {
  const userId = routeParam(req, 'userId');
  ctx.emulator.setTeamsClient(userId, requestBody(req));
  return { status: 200, body: ctx.emulator.snapshot(userId) };
}

function addFault(ctx: Context, req: restify.Request): Reply {
  return { status: 201, body: ctx.faults.add(requestBody(req)) };
}

function removeFault(ctx: Context, req: restify.Request): Reply {
  const id = routeParam(req, 'id');
  if (!ctx.faults.remove(id)) throw notFound(`Fault rule '${id}' was not found.`);
  return { status: 204 };
}

/** Inspection and control, without a token (the sandbox only). Paths are relative to basePath. */
const INSPECTION_ROUTES: readonly InspectionRoute[] = [
  { method: 'get', path: '/_state/users/:userId', run: (ctx, req) => ({ status: 200, body: ctx.emulator.snapshot(routeParam(req, 'userId')) }) },
  { method: 'put', path: '/_state/users/:userId/teamsClient', run: setTeamsClient },
  {
    method: 'del',
    path: '/_state',
    run: (ctx) => {
      ctx.emulator.reset();
      return { status: 204 };
    },
  },
  { method: 'get', path: '/_requests', run: (ctx) => ({ status: 200, body: { requests: ctx.log.all() } }) },
  {
    method: 'del',
    path: '/_requests',
    run: (ctx) => {
      ctx.log.clear();
      return { status: 204 };
    },
  },
  { method: 'get', path: '/_clock', run: clock },
  { method: 'post', path: '/_clock', run: advanceClock },
  { method: 'post', path: '/_faults', run: addFault },
  { method: 'get', path: '/_faults', run: (ctx) => ({ status: 200, body: { faults: ctx.faults.list() } }) },
  {
    method: 'del',
    path: '/_faults',
    run: (ctx) => {
      ctx.faults.clear();
      return { status: 204 };
    },
  },
  { method: 'del', path: '/_faults/:id', run: removeFault },
];

function inspectionHandler(ctx: Context, route: InspectionRoute): restify.RequestHandler {
  return (req, res, next) => {
    let reply: Reply;
    try {
      reply = route.run(ctx, req);
    } catch (err) {
      reply = graphErrorReply(err);
    }
    send(res, reply, traceOf(ctx, req));
    next();
  };
}

function addRoute(server: restify.Server, method: Method, path: string, handler: restify.RequestHandler): void {
  server[method](path, handler);
}

/** Adds the Graph presence emulator's routes to `server`. */
export function registerGraphEmulator(server: restify.Server, deps: GraphEmulatorDeps): GraphEmulatorHandle {
  const basePath = (deps.basePath ?? '/sandbox/graph').replace(/\/+$/, '');
  const limits = deps.throttle === undefined ? GRAPH_PRESENCE_THROTTLE : deps.throttle;
  const ctx: Context = {
    emulator: deps.emulator,
    verifyToken: deps.verifyToken,
    basePath,
    throttle: limits ? new TenantThrottle(limits) : undefined,
    log: new RequestLog(deps.requestLogSize ?? 500),
    faults: new FaultPlan({ random: deps.faultRandom, actions: ACTIONS }),
    flush: deps.flush,
  };
  for (const version of GRAPH_VERSIONS) {
    // With and without a trailing slash, as the presence paths take one.
    for (const path of ['/$batch', '/$batch/']) server.post(`${basePath}/${version}${path}`, batchHandler(ctx, version));
    for (const method of ['get', 'post', 'put', 'patch', 'del'] as const) server[method](`${basePath}/${version}/*`, graphHandler(ctx, version));
  }
  for (const route of INSPECTION_ROUTES) addRoute(server, route.method, `${basePath}${route.path}`, inspectionHandler(ctx, route));
  // Anything else under the emulator (no version, another version, a version in another case) is still answered as
  // Graph answers a segment it does not know: Graph-shaped, with its trace headers, so an SDK reads its code.
  for (const method of ['get', 'post', 'put', 'patch', 'del'] as const)
    for (const path of [basePath, `${basePath}/*`]) server[method](path, unknownVersionHandler(ctx));
  return { basePath, requests: () => ctx.log.all(), clearRequests: () => ctx.log.clear(), faults: ctx.faults };
}

/**
 * The presence emulator over HTTP, shaped like Microsoft Graph, plus inspection endpoints for tests and the
 * sandbox UI. The server (with queryParser, and sandbox/body-parser.ts for bodies) is created elsewhere; this only adds routes.
 *
 * Graph (Authorization: Bearer required), under `${basePath}/v1.0` and `${basePath}/beta`:
 *   GET  /me/presence                     GET  /users/:id/presence
 *   POST /me/presence/<action>            POST /users/:id/presence/<action>
 *        action: setPresence, clearPresence, setUserPreferredPresence, clearUserPreferredPresence, setStatusMessage,
 *        each also namespace-qualified (microsoft.graph.setPresence ...), as Graph takes them
 *   GET presence answers with `@odata.context` and honours `$select`. Any other path under a version gets Graph's
 *   error (see odata.ts unservedPathError). Every answer carries request-id, client-request-id and Date (trace.ts).
 * Inspection and fault injection (no token): see INSPECTION_ROUTES.
 *
 * Fault rules (sandbox/graph/faults.ts) apply to the Graph routes only, once the route matched and before the
 * token is checked or the request counted by the throttle. A faulted request reaches the emulator only once a
 * delay without thenStatus ends; the log shows every faulted request with the rule's ID.
 */
import * as restify from 'restify';
import { parseIsoDuration } from '../../presence/duration';
import { readObject } from './body';
import type { GraphPresence, PresenceEmulator } from './emulator';
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
export const NO_RESPONSE_STATUS = 0;

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
  readonly run: (emulator: PresenceEmulator, userId: string, body: unknown) => GraphPresence | void;
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
const SUBJECTS = ['/me', '/users/:id'] as const;

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

function errorReply(err: unknown): Reply {
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

async function authenticate(verifyToken: VerifyToken, authorization: string | undefined): Promise<GraphIdentity> {
  if (!authorization) throw unauthenticated('Access token is empty.');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const identity = match?.[1] ? await verifyToken(match[1]).catch(() => undefined) : undefined;
  if (!identity) throw unauthenticated('Access token validation failure.');
  return identity;
}

/** Delegated permissions act only for the signed-in user: `/users/{id}` must be the token's own user. */
function targetUser(req: restify.Request, identity: GraphIdentity): string {
  const id = routeParam(req, 'id');
  if (id && id.toLowerCase() !== identity.userId.toLowerCase()) throw forbidden();
  return identity.userId;
}

function authorize(identity: GraphIdentity, access: Access): void {
  if (!SCOPES[access].some((scope) => identity.scopes.includes(scope))) throw forbidden();
}

/** Serves one Graph request; resolves to the reply and the user it acted for (null before authentication). */
async function serveGraph(ctx: Context, op: PresenceOperation, req: restify.Request, version: GraphVersion): Promise<Reply & { userId: string | null }> {
  let userId: string | null = null;
  try {
    const identity = await authenticate(ctx.verifyToken, req.header('authorization') || undefined);
    userId = targetUser(req, identity);
    authorize(identity, op.access);
    ctx.throttle?.take(identity.tenantId, ctx.emulator.now());
    const select = op.action === '' ? parseSelect(new URLSearchParams(req.getQuery()).get('$select')) : undefined;
    const result = op.run(ctx.emulator, userId, requestBody(req));
    return { status: 200, body: result ? presenceBody(result, version, select) : undefined, userId };
  } catch (err) {
    return { ...errorReply(err), userId };
  }
}

interface Outcome {
  readonly status: number;
  readonly userId: string | null;
}

interface Served {
  readonly op: PresenceOperation;
  readonly version: GraphVersion;
  readonly trace: GraphTrace;
}

async function serveAndSend(ctx: Context, served: Served, req: restify.Request, res: restify.Response): Promise<Outcome> {
  const { op } = served;
  const reply = await serveGraph(ctx, op, req, served.version);
  if (op.access === 'write' && reply.userId) await ctx.flush?.(reply.userId);
  send(res, reply, served.trace);
  return reply;
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

async function injectFault(ctx: Context, served: Served, req: restify.Request, res: restify.Response, rule: FaultRule): Promise<Outcome> {
  const { fault } = rule;
  if (fault.kind === 'reset') {
    req.socket.resetAndDestroy();
    return { status: NO_RESPONSE_STATUS, userId: null };
  }
  if (fault.kind === 'delay') {
    if (!await hold(fault.ms, res)) return { status: NO_RESPONSE_STATUS, userId: null };
    if (fault.thenStatus === undefined) return serveAndSend(ctx, served, req, res);
    return sendFault(res, served.trace, rule.id, fault.thenStatus, fault.retryAfterSeconds);
  }
  return sendFault(res, served.trace, rule.id, fault.status, fault.retryAfterSeconds);
}

/** A status fault's answer: Graph's error body, and Retry-After only when the rule gives it. */
function sendFault(res: restify.Response, trace: GraphTrace, ruleId: string, status: number, retryAfterSeconds: number | undefined): Outcome {
  const headers = retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(retryAfterSeconds) };
  send(res, { status, body: faultErrorBody(ruleId, status), headers }, trace);
  return { status, userId: null };
}

function graphHandler(ctx: Context, op: PresenceOperation, version: GraphVersion): (req: restify.Request, res: restify.Response) => Promise<void> {
  return async (req, res) => {
    const method = req.method ?? op.method.toUpperCase();
    const path = req.getPath().slice(ctx.basePath.length);
    // The path after the version ('/v1.0' or '/beta'), as fault rules name it: actions without their namespace.
    const rule = ctx.faults.match(method, path.replace(/^\/[^/]+/, '').replace(`/${NAMESPACE}`, '/'));
    const served: Served = { op, version, trace: traceOf(ctx, req) };
    const outcome = rule ? await injectFault(ctx, served, req, res, rule) : await serveAndSend(ctx, served, req, res);
    const body = requestBody(req);
    ctx.log.add({
      method,
      path,
      userId: outcome.userId,
      body: body === undefined ? null : body,
      status: outcome.status,
      time: new Date(ctx.emulator.now()).toISOString(),
      ...(rule ? { fault: rule.id } : {}),
    });
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
  { method: 'del', path: '/_state', run: (ctx) => { ctx.emulator.reset(); return { status: 204 }; } },
  { method: 'get', path: '/_requests', run: (ctx) => ({ status: 200, body: { requests: ctx.log.all() } }) },
  { method: 'del', path: '/_requests', run: (ctx) => { ctx.log.clear(); return { status: 204 }; } },
  { method: 'get', path: '/_clock', run: clock },
  { method: 'post', path: '/_clock', run: advanceClock },
  { method: 'post', path: '/_faults', run: addFault },
  { method: 'get', path: '/_faults', run: (ctx) => ({ status: 200, body: { faults: ctx.faults.list() } }) },
  { method: 'del', path: '/_faults', run: (ctx) => { ctx.faults.clear(); return { status: 204 }; } },
  { method: 'del', path: '/_faults/:id', run: removeFault },
];

function inspectionHandler(ctx: Context, route: InspectionRoute): restify.RequestHandler {
  return (req, res, next) => {
    let reply: Reply;
    try {
      reply = route.run(ctx, req);
    } catch (err) {
      reply = errorReply(err);
    }
    send(res, reply, traceOf(ctx, req));
    next();
  };
}

/** Any other path under a version: Graph's error for it (not logged, and never faulted: no route matched). */
function unservedHandler(ctx: Context, version: GraphVersion): restify.RequestHandler {
  return (req, res, next) => {
    const path = req.getPath().slice(`${ctx.basePath}/${version}`.length);
    send(res, errorReply(unservedPathError(req.method ?? 'GET', path, ACTIONS)), traceOf(ctx, req));
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
    for (const subject of SUBJECTS) {
      for (const op of PRESENCE_OPERATIONS) {
        const handler = graphHandler(ctx, op, version);
        addRoute(server, op.method, `${basePath}/${version}${subject}/presence${op.action}`, handler);
        if (op.action) addRoute(server, op.method, `${basePath}/${version}${subject}/presence/${NAMESPACE}${op.action.slice(1)}`, handler);
      }
    }
    for (const method of ['get', 'post', 'put', 'patch', 'del'] as const) {
      server[method](`${basePath}/${version}/*`, unservedHandler(ctx, version));
    }
  }
  for (const route of INSPECTION_ROUTES) addRoute(server, route.method, `${basePath}${route.path}`, inspectionHandler(ctx, route));
  return { basePath, requests: () => ctx.log.all(), clearRequests: () => ctx.log.clear(), faults: ctx.faults };
}

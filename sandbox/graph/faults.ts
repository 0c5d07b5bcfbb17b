/**
 * Fault injection for the Graph emulator (sandbox only): rules that make the next matching Graph requests answer
 * an error status, lose their connection or wait, so retries and error paths can be seen and tested.
 * Framework-free: sandbox/graph/routes.ts applies what match() returns.
 *
 * A rule's path is a Graph path after the version, so it matches v1.0 and beta alike, compared case-insensitively
 * and exactly (`/me/presence` is the GET only; no path matches every Graph request). `/me/...` and
 * `/users/{id}/...` (any `{name}` or `:name` placeholder) mean the same: requests to `/me/...` and to
 * `/users/<any id>/...`, since a delegated call only ever acts for the signed-in user. `/users/<an id>/...` matches
 * requests that name that ID only, not `/me`: faults apply before the token is read, so a `/me` request's user is unknown.
 */
import { STATUS_CODES } from 'node:http';
import { readObject, readOptional, readOptionalString, type JsonObject, type ObjectShape } from './body';
import { badRequest } from './graph-error';

export type FaultMethod = 'GET' | 'POST';

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number }
  /** The connection is reset with no response. */
  | { readonly kind: 'reset' }
  /** The request is held for `ms`, then served normally or, with thenStatus, answered with that status. */
  | { readonly kind: 'delay'; readonly ms: number; readonly thenStatus?: number; readonly retryAfterSeconds?: number };

/** What add() takes (as POST `_faults` does): count defaults to 1, share to 1. */
export interface FaultRuleInput {
  readonly path?: string;
  readonly method?: FaultMethod;
  readonly fault: Fault;
  readonly count?: number;
  readonly share?: number;
}

export interface FaultRule {
  readonly id: string;
  readonly path: string | null;
  readonly method: FaultMethod | null;
  readonly fault: Fault;
  readonly count: number;
  /** How many more matching requests it will fault; the rule is gone at 0. */
  readonly remaining: number;
  /** The probability that a matching request is faulted (one that is not does not use up the count). */
  readonly share: number;
}

export interface FaultPlanOptions {
  /** Uniform in [0, 1) (default Math.random); asked once per matching request, only by rules whose share is below 1. */
  readonly random?: () => number;
  /** The presence actions that exist (e.g. 'setPresence'); when given, a rule naming another one is a 400. */
  readonly actions?: readonly string[];
}

/** Graph's error shape; the code is Graph's for the status (GraphErrorCode lists only those the emulator itself answers). */
export interface FaultErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

const MAX_DELAY_MS = 120_000;
const MAX_COUNT = 1_000_000;
const MAX_RETRY_AFTER_SECONDS = 86_400;

const FAULT_SHAPES: Readonly<Record<Fault['kind'], ObjectShape>> = {
  status: { required: ['kind', 'status'], optional: ['retryAfterSeconds'] },
  reset: { required: ['kind'] },
  delay: { required: ['kind', 'ms'], optional: ['thenStatus', 'retryAfterSeconds'] },
};

/** Where Graph's codes differ from the status text in PascalCase (e.g. 503 ServiceUnavailable, 429 TooManyRequests). */
const GRAPH_CODES: Readonly<Record<number, string>> = { 401: 'InvalidAuthenticationToken', 500: 'generalException' };

/** `/me/presence[/action]` or `/users/<id>/presence[/action]`, without the version. */
const GRAPH_PATH = /^\/(?:me|users\/([^/]+))\/presence(?:\/([^/]+))?$/i;

interface Target {
  /** Lower-case; null for `/me` (or, in a rule, a placeholder: any user). */
  readonly user: string | null;
  /** Lower-case; '' for the presence itself. */
  readonly action: string;
}

function targetOf(path: string): Target | undefined {
  const match = GRAPH_PATH.exec(path.replace(/\/+$/, ''));
  if (!match) return undefined;
  return { user: match[1]?.toLowerCase() ?? null, action: match[2]?.toLowerCase() ?? '' };
}

function isPlaceholder(segment: string): boolean {
  return /^(?:\{[^{}]+\}|:.+)$/.test(segment);
}

/** A mulberry32 generator: the same seed gives the same sequence, for reproducible shares. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The body a status fault (or a delay's thenStatus) answers, e.g. 503 `{ error: { code: 'ServiceUnavailable', ... } }`. */
export function faultErrorBody(ruleId: string, status: number): FaultErrorBody {
  const text = STATUS_CODES[status] ?? 'Unknown Error';
  const code = GRAPH_CODES[status] ?? text.replace(/[^A-Za-z ]/g, '').replace(/(?:^| )(\w)/g, (_m, c: string) => c.toUpperCase());
  return { error: { code, message: `${text} (sandbox fault ${ruleId}).` } };
}

function readInteger(obj: JsonObject, key: string, name: string, min: number, max: number): number {
  const value = obj[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`Property '${name}' must be an integer from ${min} to ${max}.`);
  }
  return value;
}

function readOptionalInteger(obj: JsonObject, key: string, name: string, min: number, max: number): number | undefined {
  return readOptional(obj, key) === undefined ? undefined : readInteger(obj, key, name, min, max);
}

function isFaultKind(kind: unknown): kind is Fault['kind'] {
  return typeof kind === 'string' && Object.hasOwn(FAULT_SHAPES, kind);
}

function parseFault(value: unknown): Fault {
  const all = readObject(value, 'fault', { required: ['kind'], optional: ['status', 'ms', 'thenStatus', 'retryAfterSeconds'] });
  const kind = all.kind;
  if (!isFaultKind(kind)) throw badRequest("Property 'fault.kind' must be 'status', 'reset' or 'delay'.");
  const obj = readObject(value, `a '${kind}' fault`, FAULT_SHAPES[kind]);
  const retryAfterSeconds = readOptionalInteger(obj, 'retryAfterSeconds', 'fault.retryAfterSeconds', 0, MAX_RETRY_AFTER_SECONDS);
  const retry = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (kind === 'reset') return { kind };
  if (kind === 'status') return { kind, status: readInteger(obj, 'status', 'fault.status', 400, 599), ...retry };
  const ms = readInteger(obj, 'ms', 'fault.ms', 0, MAX_DELAY_MS);
  const thenStatus = readOptionalInteger(obj, 'thenStatus', 'fault.thenStatus', 400, 599);
  if (thenStatus === undefined && retryAfterSeconds !== undefined) throw badRequest("Property 'fault.retryAfterSeconds' needs 'fault.thenStatus'.");
  return thenStatus === undefined ? { kind, ms } : { kind, ms, thenStatus, ...retry };
}

function parseMethod(obj: JsonObject): FaultMethod | null {
  const method = readOptional(obj, 'method');
  if (method === undefined) return null;
  if (method !== 'GET' && method !== 'POST') throw badRequest("Property 'method' must be 'GET' or 'POST'.");
  return method;
}

interface Entry {
  readonly rule: Omit<FaultRule, 'remaining'>;
  /** Undefined: every Graph request. */
  readonly target: Target | undefined;
  remaining: number;
}

export class FaultPlan {
  private entries: Entry[] = [];
  private nextId = 1;
  private readonly random: () => number;
  private readonly actions: ReadonlySet<string> | undefined;

  constructor(options: FaultPlanOptions = {}) {
    this.random = options.random ?? Math.random;
    this.actions = options.actions ? new Set(options.actions.map((a) => a.toLowerCase())) : undefined;
  }

  /** Adds a rule, validated as POST `_faults` validates its body (see FaultRuleInput); a 400 GraphError when invalid. */
  add(input: unknown): FaultRule {
    const obj = readObject(input, 'the fault rule', { required: ['fault'], optional: ['path', 'method', 'count', 'share'] });
    const path = readOptionalString(obj, 'path') ?? null;
    const method = parseMethod(obj);
    const target = path === null ? undefined : this.parseTarget(path, method);
    const fault = parseFault(obj.fault);
    const count = readOptionalInteger(obj, 'count', 'count', 1, MAX_COUNT) ?? 1;
    const share = readOptional(obj, 'share') ?? 1;
    if (typeof share !== 'number' || !(share > 0 && share <= 1)) throw badRequest("Property 'share' must be a number above 0 and at most 1.");
    const entry: Entry = { rule: { id: `fault-${this.nextId}`, path, method, fault, count, share }, target, remaining: count };
    this.nextId += 1;
    this.entries.push(entry);
    return snapshot(entry);
  }

  /** The active rules, in the order they are tried. */
  list(): readonly FaultRule[] {
    return this.entries.map(snapshot);
  }

  /** False when no rule has that ID. */
  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.rule.id !== id);
    return this.entries.length < before;
  }

  clear(): void {
    this.entries = [];
  }

  /**
   * The first rule (in the order added) that matches a Graph request and, by its share, faults it, using up one of
   * its count; undefined when none does. `path` is the Graph path after the version, e.g. '/me/presence/setPresence'.
   */
  match(method: string, path: string): FaultRule | undefined {
    const requested = targetOf(path);
    const entry = this.entries.find((e) => matches(e, method.toUpperCase(), requested) && (e.rule.share >= 1 || this.random() < e.rule.share));
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.entries = this.entries.filter((e) => e !== entry);
    return snapshot(entry);
  }

  private parseTarget(path: string, method: FaultMethod | null): Target {
    const target = targetOf(path);
    if (!target) throw badRequest("Property 'path' must be a Graph path after the version, such as '/me/presence' or '/users/{id}/presence/setPresence'.");
    if (target.action !== '' && this.actions && !this.actions.has(target.action)) {
      throw badRequest(`Property 'path' names '${path}', which is not a presence action the emulator serves.`);
    }
    const expected: FaultMethod = target.action === '' ? 'GET' : 'POST';
    if (method !== null && method !== expected) throw badRequest(`Property 'method' must be '${expected}' for '${path}'.`);
    return target.user !== null && isPlaceholder(target.user) ? { ...target, user: null } : target;
  }
}

function snapshot(entry: Entry): FaultRule {
  return { ...entry.rule, remaining: entry.remaining };
}

function matches(entry: Entry, method: string, requested: Target | undefined): boolean {
  if (entry.rule.method !== null && entry.rule.method !== method) return false;
  const { target } = entry;
  if (!target) return true;
  if (!requested || requested.action !== target.action) return false;
  return target.user === null || target.user === requested.user;
}

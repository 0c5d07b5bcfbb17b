/**
 * The OData side of Graph's presence resource: the `@odata.context` a GET answers with, `$select`, and which
 * segment of an unknown path Graph would name in its "Resource not found for the segment" 400.
 */
import type { EmulatedPresence } from './emulator';
import { GraphError, badRequest } from './graph-error';

export type GraphVersion = 'v1.0' | 'beta';

/** Every property of microsoft.graph.presence, in the order Graph sends them. */
const PRESENCE_PROPERTIES: readonly (keyof EmulatedPresence)[] = [
  'id',
  'availability',
  'activity',
  'statusMessage',
  'outOfOfficeSettings',
  'sequenceNumber',
  'workLocation',
];

/** Graph names the user by ID in the context for `/me` too. */
function presenceContext(version: GraphVersion, userId: string): string {
  return `https://graph.microsoft.com/${version}/$metadata#users('${userId}')/presence/$entity`;
}

/** The properties a `$select` value names (undefined: all); a 400 for one presence does not have. */
export function parseSelect(select: string | null): ReadonlySet<keyof EmulatedPresence> | undefined {
  if (select === null) return undefined;
  const chosen = new Set<keyof EmulatedPresence>(['id']);
  for (const name of select
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const property = PRESENCE_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!property) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.presence'.`);
    chosen.add(property);
  }
  return chosen;
}

/** What GET presence answers: the context first, then the selected properties. */
export function presenceBody(
  presence: EmulatedPresence,
  version: GraphVersion,
  select: ReadonlySet<keyof EmulatedPresence> | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = { '@odata.context': presenceContext(version, presence.id) };
  for (const property of PRESENCE_PROPERTIES) if (!select || select.has(property)) body[property] = presence[property];
  return body;
}

/** Action names as the emulator serves them; Graph also takes each with its namespace, `microsoft.graph.`. */
export const NAMESPACE = 'microsoft.graph.';

function segmentNotFound(segment: string): GraphError {
  return badRequest(`Resource not found for the segment '${segment}'.`);
}

/** `/$batch` takes POST only, and a batch cannot hold another (the emulator's words: Graph's are not documented). */
function batchPathError(method: string, path: string, afterBatch: readonly string[]): GraphError {
  const [extra] = afterBatch;
  if (extra !== undefined) return segmentNotFound(extra);
  if (method === 'POST') return badRequest('A request in a batch cannot be another $batch.');
  return new GraphError(405, 'MethodNotAllowed', `The HTTP method '${method}' is not allowed for '${path}'.`);
}

/**
 * The error for a Graph path (after the version) that no route served for `method`: Graph's 400 naming the first
 * segment the emulator does not know, else a 405 when the path is served for another method, else a 404 for a
 * Graph resource the emulator does not emulate (e.g. GET /me or GET /users).
 */
export function unservedPathError(method: string, path: string, actions: readonly string[]): GraphError {
  // Case-sensitive, as the routes are: a segment that differs in case is one no route serves.
  const [subject, ...afterSubject] = path.split('/').filter(Boolean);
  if (subject === undefined) return segmentNotFound('');
  if (subject === '$batch') return batchPathError(method, path, afterSubject);
  if (subject !== 'me' && subject !== 'users') return segmentNotFound(subject);
  const [resource, action, extra] = subject === 'users' ? afterSubject.slice(1) : afterSubject;
  const notAllowed = new GraphError(405, 'MethodNotAllowed', `The HTTP method '${method}' is not allowed for '${path}'.`);
  if (resource === undefined) return new GraphError(404, 'NotFound', `The sandbox emulates presence only, not '${path}'.`);
  if (resource !== 'presence') return segmentNotFound(resource);
  if (action === undefined) return notAllowed;
  const bare = action.startsWith(NAMESPACE) ? action.slice(NAMESPACE.length) : action;
  if (!actions.includes(bare)) return segmentNotFound(action);
  return extra === undefined ? notAllowed : segmentNotFound(extra);
}

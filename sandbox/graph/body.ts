/** Strict reading of Graph request bodies: unknown or missing properties and wrong types are a 400. */
import { badRequest } from './graph-error';

export type JsonObject = Readonly<Record<string, unknown>>;

export interface ObjectShape {
  readonly required?: readonly string[];
  readonly optional?: readonly string[];
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OData annotations (e.g. `@odata.type`, which Graph SDKs add) are allowed anywhere. */
function isAnnotation(key: string): boolean {
  return key.startsWith('@odata.');
}

/** `value` as an object with exactly the properties `shape` allows; `what` names it in messages. */
export function readObject(value: unknown, what: string, shape: ObjectShape): JsonObject {
  if (!isJsonObject(value)) throw badRequest(`Expected ${what} to be a JSON object.`);
  const required = shape.required ?? [];
  const allowed = new Set([...required, ...(shape.optional ?? [])]);
  const unknown = Object.keys(value).find((key) => !allowed.has(key) && !isAnnotation(key));
  if (unknown !== undefined) throw badRequest(`Property '${unknown}' does not exist on ${what}.`);
  const missing = required.find((key) => value[key] === undefined || value[key] === null);
  if (missing !== undefined) throw badRequest(`Property '${missing}' is required.`);
  return value;
}

export function readString(obj: JsonObject, key: string): string {
  const value = obj[key];
  if (typeof value !== 'string') throw badRequest(`Property '${key}' must be a string.`);
  return value;
}

/** An optional property: absent and null both mean "not given", as in OData. */
export function readOptionalString(obj: JsonObject, key: string): string | undefined {
  return obj[key] === undefined || obj[key] === null ? undefined : readString(obj, key);
}

export function readOptional(obj: JsonObject, key: string): unknown {
  return obj[key] === null ? undefined : obj[key];
}

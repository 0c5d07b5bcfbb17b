import { createHash } from 'node:crypto';

/**
 * The version a page links a script or style sheet by (`/tab/main.js?v=…`): the start of its content's SHA-256. The
 * build writes it (tab/build.ts) and the server caches a file asked for by its current version for good
 * (tab/api/static.ts): a new build links a new URL, so nothing stale is ever kept.
 */
export function assetVersion(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 10);
}

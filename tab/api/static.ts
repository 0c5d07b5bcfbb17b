import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Request, Response, Server } from 'restify';
import { pageSecurityHeaders } from './csp';
import { messages } from './messages';
import { assetVersion } from '../asset-version';

export interface TabPagesOptions {
  /** The built tab (tab/dist). It may not exist yet: the server starts anyway and says so. */
  readonly distDir: string;
  readonly frameAncestors: readonly string[];
  /**
   * A production deployment, served over https: every response carries Strict-Transport-Security, and the
   * source maps are not served. False in sandbox mode (plain http on loopback), where browsers ignore HSTS
   * and pinning localhost to https would be wrong, and the maps help debugging.
   */
  readonly production: boolean;
}

const HSTS = 'max-age=31536000; includeSubDomains';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** The only pages: the tab, and the consent popup's start and end (authentication.authenticate()). */
const PAGES = new Set(['index.html', 'auth-start.html', 'auth-end.html']);
/** A path segment: starts with a letter or digit, so never `.` or `..`, and never a separator. */
const SEGMENT = /^[A-Za-z0-9][\w.-]{0,127}$/;

/** The built tab's folder: tab/dist at the package root, from the sources or from the compiled dist/. */
export function defaultTabDistDir(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'tab', 'dist');
}

/** A request path under /tab/ as a file inside root, or undefined if it is not one the tab serves. */
function tabFile(root: string, requested: string): string | undefined {
  const segments = requested.split('/');
  const name = segments[segments.length - 1] ?? '';
  if (segments.length > 4 || !segments.every((s) => SEGMENT.test(s))) return undefined;
  const ext = extname(name);
  if (!CONTENT_TYPES[ext] || (ext === '.html' && (segments.length > 1 || !PAGES.has(name)))) return undefined;
  const file = resolve(root, ...segments);
  const inside = relative(root, file);
  return inside && !inside.startsWith('..') && !inside.includes(`..${sep}`) ? file : undefined;
}

/**
 * Serves the built tab at /tab/ (index.html also at /tab), with the tab's security headers on every
 * response, 404 included (HSTS too in production). Nothing outside distDir is ever read.
 */
export function registerTabPages(server: Server, options: TabPagesOptions): void {
  const root = resolve(options.distDir);
  const security = { ...pageSecurityHeaders(options.frameAncestors), ...(options.production ? { 'Strict-Transport-Security': HSTS } : {}) };
  const send = (res: Response, status: number, type: string, body: string | Buffer, caching: Record<string, string> = { 'Cache-Control': 'no-cache' }) => {
    res.writeHead(status, { ...security, 'Content-Type': type, ...caching, 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  };
  const serve = async (req: Request, res: Response, requested: string) => {
    // In production a map is 404. The scripts are served as built, `//# sourceMappingURL` comment included:
    // browsers fetch a map only with developer tools open, where a 404 costs nothing, and rewriting each
    // script as it is served would make what ships differ from what the build measured.
    const file = options.production && extname(requested) === '.map' ? undefined : tabFile(root, requested);
    const body = file ? await readInside(root, file) : undefined;
    if (file && body) {
      const caching = cachingOf(req, extname(file), body);
      if (matches(req.headers['if-none-match'], caching.ETag)) {
        res.writeHead(304, { ...security, ...caching });
        res.end();
      } else send(res, 200, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body, caching);
    } else if (requested === 'index.html' && !existsSync(root)) send(res, 404, 'text/plain; charset=utf-8', messages.pages.notBuilt);
    else send(res, 404, 'text/plain; charset=utf-8', messages.pages.notFound);
  };

  // restify 11 takes (req, res) handlers only when they are async functions.
  server.get('/tab', async (req: Request, res: Response) => serve(req, res, 'index.html'));
  server.get('/tab/', async (req: Request, res: Response) => serve(req, res, 'index.html'));
  server.get('/tab/*', async (req: Request, res: Response) => serve(req, res, wildcard(req)));
}

/** A year: what browsers and proxies keep a content-addressed file for (it never changes under its URL). */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The pages link each script and style sheet as `?v={its content's hash}` (tab/build.ts): asked for by the hash it
 * has now, a file is cached for good, since a new build links a new URL. The pages themselves, and a file asked for
 * without its hash (or an old one), are `no-cache`: kept, but checked on each use against the ETag, which costs a
 * 304 and no body when nothing changed.
 */
function cachingOf(req: Request, ext: string, body: Buffer): { 'Cache-Control': string; ETag: string } {
  const version = new URL(req.url ?? '/', 'http://tab').searchParams.get('v');
  const current = ext !== '.html' && version === assetVersion(body);
  return { 'Cache-Control': current ? IMMUTABLE : 'no-cache', ETag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** If-None-Match against the file's ETag: a list, `*`, or weak forms (W/) all count. */
function matches(header: string | string[] | undefined, etag: string): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return false;
  return value.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === etag;
  });
}

function wildcard(req: Request): string {
  const params: unknown = req.params;
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)['*'] : undefined;
  return typeof value === 'string' ? value : '';
}

/** The file's bytes if it is a regular file whose real path (symlinks resolved) is still inside root. */
async function readInside(root: string, file: string): Promise<Buffer | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + sep)) return undefined;
    return await readFile(realFile);
  } catch {
    return undefined;
  }
}

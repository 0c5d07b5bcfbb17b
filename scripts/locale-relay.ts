/**
 * A relay on loopback between the Agents Playground and the bot, for `npm run playground -- --locale pt-BR`: the
 * Playground (0.2.x) writes "en-US" into every activity it sends, whatever its own process's locale, so the relay
 * writes the chosen locale instead (the activity's `locale` and its Teams clientInfo entity), as Teams does for a
 * user whose Teams runs in that language. Everything else passes as it came; replies go from the bot to the
 * Playground directly (its serviceUrl). Sandbox only: it listens on and forwards to loopback.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

const MAX_BODY = 1024 * 1024;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface LocaleRelay {
  /** The relay's bot endpoint: give it to the Playground as --app-endpoint. */
  readonly url: string;
  close(): Promise<void>;
}

/** A BCP 47 locale as Teams sends one ("pt-BR", "ja-JP"), or an error that says what was given. */
export function checkedLocale(locale: string): string {
  if (!/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(locale)) throw new Error(`Not a locale: ${JSON.stringify(locale)} (try pt-BR, ja-JP, ru-RU)`);
  return locale;
}

/** The activity with `locale` in place of what the Playground wrote; a body that is no JSON object passes as it is. */
export function withLocale(body: string, locale: string): string {
  let activity: unknown;
  try {
    activity = JSON.parse(body);
  } catch {
    return body;
  }
  if (!activity || typeof activity !== 'object' || Array.isArray(activity)) return body;
  const a = activity as { locale?: unknown; entities?: unknown };
  a.locale = locale;
  if (Array.isArray(a.entities))
    for (const entity of a.entities as unknown[])
      if (entity && typeof entity === 'object' && (entity as { type?: unknown }).type === 'clientInfo') (entity as { locale?: unknown }).locale = locale;
  return JSON.stringify(a);
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startLocaleRelay(target: string, locale: string): Promise<LocaleRelay> {
  const endpoint = new URL(target);
  if (!LOOPBACK.has(endpoint.hostname)) throw new Error(`The locale relay forwards to loopback only, not ${endpoint.host}`);
  checkedLocale(locale);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const body = await read(req);
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'authorization']) {
          const value = req.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        const answer = await fetch(new URL(req.url ?? '/', endpoint), {
          method: req.method ?? 'POST',
          headers,
          ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: withLocale(body, locale) }),
        });
        const type = answer.headers.get('content-type');
        res.writeHead(answer.status, type ? { 'content-type': type } : {});
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${endpoint.pathname}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

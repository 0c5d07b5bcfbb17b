/**
 * The Bot Framework connector stand-in both bots reply to (the same one for the baseline and the app). It
 * counts replies and checks each against what the phase expects, on the raw body (no JSON parse, so it costs
 * the same whatever the reply's size). It keeps no reply, only the first few unexpected ones' text for the report.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReplyCounts {
  readonly replies: number;
  readonly unexpected: number;
  /** Up to 3 unexpected replies' text, shortened. */
  readonly samples: readonly string[];
}

export interface BenchConnector {
  readonly url: string;
  /** Resets the counters; replies must match `expected` from now on. */
  expect(expected: RegExp): void;
  counts(): ReplyCounts;
  close(): Promise<void>;
}

const ACTIVITIES = /^\/v3\/conversations\/[^/]+\/activities/;
const TEXT = /"(?:text|summary)":"((?:[^"\\]|\\.){0,160})/;

export async function startBenchConnector(): Promise<BenchConnector> {
  let expected = /./;
  let replies = 0;
  let unexpected = 0;
  let samples: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'POST' && ACTIVITIES.test(req.url ?? '')) {
        const body = Buffer.concat(chunks).toString();
        replies++;
        if (!expected.test(body)) {
          unexpected++;
          if (samples.length < 3) samples.push(TEXT.exec(body)?.[1] ?? body.slice(0, 160));
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"id":"reply-${replies}"}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    expect(next) {
      expected = next;
      replies = 0;
      unexpected = 0;
      samples = [];
    },
    counts: () => ({ replies, unexpected, samples: [...samples] }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

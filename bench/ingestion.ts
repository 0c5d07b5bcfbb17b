/**
 * An Application Insights ingestion endpoint on loopback, for the Azure Monitor exporter the app really runs (the
 * bench's telemetry-on instances, test/telemetry): it speaks HTTPS only (the exporter rewrites http:// to https://),
 * so it has a self-signed certificate, which a process trusts through NODE_EXTRA_CA_CERTS or `loopbackOnly(ca)`.
 * That guard also refuses every request off this machine (the distro asks the Azure VM metadata address at start),
 * so telemetry on still talks only to loopback.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { generate } from 'selfsigned';

/** One telemetry item as Application Insights receives it (the Breeze envelope). */
export interface Envelope {
  readonly name: string;
  readonly time: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly data?: { readonly baseType?: string; readonly baseData?: Readonly<Record<string, unknown>> };
}

/** A self-signed certificate for 127.0.0.1 and localhost (pure JS, no openssl). */
export async function localCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

export interface Ingestion {
  readonly connectionString: string;
  readonly envelopes: Envelope[];
  /** The JSON received, uncompressed (what Application Insights bills by, roughly). */
  bytes(): number;
  readonly ca: string;
  close(): Promise<void>;
}

export async function startIngestion(): Promise<Ingestion> {
  const { key, cert } = await localCertificate();
  const envelopes: Envelope[] = [];
  let bytes = 0;
  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString();
      if (req.url?.includes('/track')) {
        const items = (
          body.trim().startsWith('[')
            ? JSON.parse(body)
            : body
                .split('\n')
                .filter(Boolean)
                .map((line) => JSON.parse(line) as Envelope)
        ) as Envelope[];
        envelopes.push(...items);
        bytes += Buffer.byteLength(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
        return;
      }
      // Live Metrics asks whether anyone is watching: nobody is.
      res.writeHead(200, { 'content-type': 'application/json', 'x-ms-qps-subscribed': 'false' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    connectionString: `InstrumentationKey=11111111-2222-4333-8444-555555555555;IngestionEndpoint=${origin};LiveEndpoint=${origin}`,
    envelopes,
    bytes: () => bytes,
    ca: cert,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Request = (...args: unknown[]) => http.ClientRequest;

/**
 * Until `restore`: requests to loopback over HTTPS trust `ca` (if given), and requests anywhere else are sent to
 * a closed loopback port instead (refused at once), their hosts kept in `refused`.
 */
export function loopbackOnly(ca?: string): { readonly refused: string[]; restore(): void } {
  const refused: string[] = [];
  const originals = [
    [http, http.request],
    [https, https.request],
  ] as const;
  for (const [module, original] of originals) {
    (module as { request: Request }).request = (...args: unknown[]) => {
      const [first] = args;
      if (typeof first === 'object' && first !== null && !(first instanceof URL)) {
        const options = first as http.RequestOptions & { ca?: string };
        const host = String(options.hostname ?? options.host ?? 'localhost');
        if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) {
          refused.push(host);
          args[0] = { ...options, hostname: '127.0.0.1', host: '127.0.0.1', port: 1, agent: false };
        } else if (module === https && ca) args[0] = { ...options, ca };
      }
      return (original as Request)(...args);
    };
  }
  return {
    refused,
    restore: () => {
      for (const [module, original] of originals) (module as { request: unknown }).request = original;
    },
  };
}

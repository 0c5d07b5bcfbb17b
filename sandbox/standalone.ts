/**
 * Only the sandbox (Graph presence emulator + identity issuer), in its own process on a loopback port:
 * `npm run sandbox`, then start the app with SANDBOX_URL and SANDBOX_CLIENT_SECRET (the banner says how).
 * Benchmarks run it this way so the emulator's CPU is not counted as the app's.
 *
 * Environment: SANDBOX_PORT (default 3979), HOST (loopback only, default 127.0.0.1), SANDBOX_CLIENT_SECRET
 * (the app's client secret at the issuer; random and printed when unset), SANDBOX_REQUEST_LOG (how many Graph
 * requests `_requests` keeps, default 500), and the storage variables of sandbox mode: it hosts Azurite
 * (data in SANDBOX_DATA_DIR, default .sandbox) and prints its connection string, which every app instance
 * started against this sandbox shares; the Graph emulator keeps its state there. Like sandbox mode, it refuses
 * to start in production.
 */
import { randomBytes } from 'node:crypto';
import * as restify from 'restify';
import { drain } from '../edge/drain';
import { guardSandbox } from '../edge/loopback-guard';
import { startGate } from '../edge/start-gate';
import { silentLogger } from '../presence/log';
import { ConfigError, SANDBOX_APP_ID, loadConfig, type Env, type StorageConfig } from '../server/config';
import { openStorage } from '../server/storage';
import { mountSandbox, type Sandbox } from './index';

export interface StandaloneOptions {
  readonly port?: number;
  readonly host?: string;
  readonly clientSecret?: string;
  readonly requestLogSize?: number;
  /** Default: memory (nothing kept); the command line's default is the embedded Azurite. */
  readonly storage?: StorageConfig;
}

export interface StandaloneSandbox {
  /** The origin to give the app as SANDBOX_URL. */
  readonly url: string;
  readonly clientSecret: string;
  /** The Azurite it hosts, for the app instances to share (AZURE_STORAGE_CONNECTION_STRING). */
  readonly storageConnectionString?: string;
  readonly sandbox: Sandbox;
  close(): Promise<void>;
}

/** Starts the sandbox on its own restify server, guarded and gated as sandbox mode's own server is. */
export async function startStandaloneSandbox(options: StandaloneOptions = {}): Promise<StandaloneSandbox> {
  const server = restify.createServer({ name: 'teams-presence-sandbox', handleUncaughtExceptions: false });
  const gate = startGate(server);
  guardSandbox(server);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => {
    server.listen(options.port ?? 3979, host, resolve);
  });
  const { port } = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const storage = await openStorage(options.storage ?? { kind: 'memory' }, { logger: silentLogger });
  const sandbox = await mountSandbox(server, {
    baseUrl: url,
    appId: SANDBOX_APP_ID,
    clientSecret,
    requestLogSize: options.requestLogSize,
    store: storage.table('sandboxgraph'),
  }).catch(async (err: unknown) => {
    gate.fail();
    await drain(server.server, 0);
    await storage.close();
    throw err;
  });
  gate.open();
  return {
    url,
    clientSecret,
    storageConnectionString: storage.shareableConnectionString,
    sandbox,
    close: async () => {
      try {
        await drain(server.server, 2_000);
        await sandbox.flush();
      } finally {
        // Whatever failed above, the Azurite this process started is stopped, so it never outlives it.
        await storage.close();
      }
    },
  };
}

/** Reads the standalone's environment with sandbox mode's own rules (loopback only, never in production). */
export function standaloneOptions(env: Env): StandaloneOptions {
  const problems: string[] = [];
  const config = loadConfig({ ...env, PORT: env.SANDBOX_PORT ?? '3979', SANDBOX_URL: undefined, SANDBOX_CLIENT_SECRET: undefined });
  if (config.mode !== 'sandbox') problems.push('The sandbox runs only without Microsoft 365 credentials: unset BOT_ID, BOT_PASSWORD, ... in this shell.');
  const logSize = Number(env.SANDBOX_REQUEST_LOG ?? 500);
  if (!Number.isInteger(logSize) || logSize < 1) problems.push('SANDBOX_REQUEST_LOG must be a positive whole number.');
  if (problems.length) throw new ConfigError(problems);
  return {
    port: config.port,
    host: config.host,
    clientSecret: env.SANDBOX_CLIENT_SECRET?.trim() || undefined,
    requestLogSize: logSize,
    storage: config.storage,
  };
}

function storageNote(storage?: StorageConfig): string {
  if (storage?.kind === 'embedded') return `Azurite, data in ${storage.location} (kept across restarts; delete it to start afresh)`;
  if (storage?.kind === 'connectionString') return 'the store AZURE_STORAGE_CONNECTION_STRING names';
  return 'memory (STORAGE=memory): NOT durable';
}

async function main(): Promise<void> {
  let options: StandaloneOptions;
  try {
    options = standaloneOptions(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const running = await startStandaloneSandbox(options);
  const secretNote = options.clientSecret ? '(the one you set)' : '(generated for this run)';
  const shared = running.storageConnectionString ? ` AZURE_STORAGE_CONNECTION_STRING='${running.storageConnectionString}'` : '';
  const lines = Object.entries(running.sandbox.urls).map(([name, value]) => `  ${name.padEnd(22)}  ${value}`);
  process.stdout.write(
    [
      `sandbox listening on ${running.url}`,
      '',
      '  SANDBOX ONLY: a Microsoft Graph presence emulator and an identity issuer, on this machine.',
      `  Storage: ${storageNote(options.storage)}`,
      '',
      ...lines,
      '',
      `  Start the app against it ${secretNote}:`,
      `    SANDBOX_URL=${running.url} SANDBOX_CLIENT_SECRET=${running.clientSecret}${shared} npm start`,
      ...(shared ? ['', "  Every instance started that way shares this sandbox's Azurite (use PORT=... for a second one)."] : []),
      '',
    ].join('\n') + '\n',
  );
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`sandbox stopped with an error: ${err instanceof Error ? err.name : 'error'}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : 'error'}\n`);
    process.exit(1);
  });
}

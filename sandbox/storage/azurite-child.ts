/**
 * Azurite's Table service in a child process of the app (sandbox/storage/azurite.ts forks this file).
 * Azurite's own CLI cannot report the port it picked for port 0, and keeps running when its parent dies;
 * this wrapper reports the port over IPC and, when the parent goes away (even by SIGKILL, which closes the
 * IPC channel), closes the server, which saves its database to disk, releases the folder's lock, and exits.
 *
 * argv: <location> <host> <port> ("memory" as location: Azurite's in-memory persistence, for tests).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}
type AzuriteServerClass = new (config: unknown) => AzuriteServer;
type AzuriteConfigClass = new (
  host: string,
  port: number,
  keepAliveTimeout: number,
  dbPath: string,
  debugLog: boolean,
  accessLog: boolean,
  accessLogStream: undefined,
  debugLogPath: undefined,
  loose: boolean,
  skipApiVersionCheck: boolean,
  cert: string,
  key: string,
  pwd: string,
  oauth: undefined,
  disableProductStyleUrl: boolean,
  inMemoryPersistence: boolean,
) => unknown;

const loadModule = createRequire(__filename);

/** Azurite ships no type declarations; its table server's two classes are all this uses. */
function load<T>(module: string): T {
  return (loadModule(module) as { default: T }).default;
}

async function main(): Promise<void> {
  const [location = 'memory', host = '127.0.0.1', portText = '0'] = process.argv.slice(2);
  const inMemory = location === 'memory';
  if (!inMemory) fs.mkdirSync(location, { recursive: true });
  const TableServer = load<AzuriteServerClass>('azurite/dist/src/table/TableServer');
  const TableConfiguration = load<AzuriteConfigClass>('azurite/dist/src/table/TableConfiguration');
  const dbPath = inMemory ? '__azurite_db_table__.json' : path.join(location, '__azurite_db_table__.json');
  // skipApiVersionCheck: the SDK may be newer than this Azurite; loose: accept headers Azurite does not know.
  const config = new TableConfiguration(
    host,
    Number(portText),
    5000,
    dbPath,
    false,
    false,
    undefined,
    undefined,
    true,
    true,
    '',
    '',
    '',
    undefined,
    false,
    inMemory,
  );
  const server = new TableServer(config);
  await server.start();
  const port = Number(new URL(server.getHttpServerAddress()).port);
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => {
        if (!inMemory) releaseLock(location);
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.on('disconnect', stop);
  process.on('message', (message) => {
    if (message === 'shutdown') stop();
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.send?.({ ready: true, port });
}

/**
 * The folder's lock (sandbox/storage/azurite.ts) names this process once it is ready; it is released here as well
 * as by the parent, so the folder is free even when the parent died first (SIGKILL) or was killed while stopping.
 */
function releaseLock(location: string): void {
  const lockPath = path.join(location, 'azurite.lock.json');
  try {
    const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid?: unknown };
    if (lock.pid === process.pid) fs.rmSync(lockPath, { force: true });
  } catch {
    // No lock, or another process's: nothing to release.
  }
}

main().catch((err: unknown) => {
  process.send?.({ ready: false, error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});

/**
 * Two app instances behind one (imagined) load balancer: two app servers, each with its own token cache and bot,
 * on one store (the run's Azurite, tables of their own) and one standalone sandbox for Graph and identity, with a
 * recording Bot Framework connector for what the bots send.
 */
import { silentLogger } from '../../presence/log';
import { startStandaloneSandbox, type StandaloneSandbox } from '../../sandbox/standalone';
import { startServer, type RunningApp, type StartOptions } from '../../server/app';
import { loadConfig } from '../../server/config';
import { startConnector, type RecordingConnector } from './connector';
import { storageEnv, uniquePrefix } from './storage';

export interface TwoInstances {
  readonly sandbox: StandaloneSandbox;
  readonly one: RunningApp;
  readonly two: RunningApp;
  readonly connector: RecordingConnector;
  close(): Promise<void>;
}

export async function startTwoInstances(options: StartOptions = {}): Promise<TwoInstances> {
  const sandbox = await startStandaloneSandbox({ port: 0 });
  const connector = await startConnector();
  const env = { PORT: '0', SANDBOX_URL: sandbox.url, SANDBOX_CLIENT_SECRET: sandbox.clientSecret, ...(await storageEnv(uniquePrefix())) };
  const start = () => startServer(loadConfig(env), { logger: silentLogger, ...options });
  const [one, two] = await Promise.all([start(), start()]);
  return {
    sandbox,
    one,
    two,
    connector,
    close: async () => {
      await Promise.all([one.close(), two.close()]);
      await connector.close();
      await sandbox.close();
    },
  };
}

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
  /** The instances now running (`restart` replaces them). */
  one: RunningApp;
  two: RunningApp;
  readonly connector: RecordingConnector;
  /** Stops both instances (the way SIGTERM does), runs `meanwhile` with none running, then starts two new ones on the same store. */
  restart(meanwhile?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function startTwoInstances(options: StartOptions = {}): Promise<TwoInstances> {
  const sandbox = await startStandaloneSandbox({ port: 0 });
  const connector = await startConnector();
  const env = { PORT: '0', SANDBOX_URL: sandbox.url, SANDBOX_CLIENT_SECRET: sandbox.clientSecret, ...(await storageEnv(uniquePrefix())) };
  const start = () => startServer(loadConfig(env), { logger: silentLogger, ...options });
  const [one, two] = await Promise.all([start(), start()]);
  const instances: TwoInstances = {
    sandbox,
    one,
    two,
    connector,
    restart: async (meanwhile) => {
      await Promise.all([instances.one.close(), instances.two.close()]);
      await meanwhile?.();
      [instances.one, instances.two] = await Promise.all([start(), start()]);
    },
    close: async () => {
      await Promise.all([instances.one.close(), instances.two.close()]);
      await connector.close();
      await sandbox.close();
    },
  };
  return instances;
}

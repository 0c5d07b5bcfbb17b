/** The Graph emulator's routes alone on a restify server on 127.0.0.1, with the sandbox's own body parser. */
import type { AddressInfo } from 'node:net';
import * as restify from 'restify';
import { parseSandboxBodies } from '../../sandbox/body-parser';
import { PresenceEmulator } from '../../sandbox/graph/emulator';
import { registerGraphEmulator, type GraphEmulatorDeps, type GraphEmulatorHandle } from '../../sandbox/graph/routes';

export interface StartedEmulator {
  readonly base: string;
  readonly emulator: PresenceEmulator;
  readonly handle: GraphEmulatorHandle;
  close(): Promise<void>;
}

export async function startEmulator(
  options: { appId: string; now: number } & Pick<GraphEmulatorDeps, 'verifyToken'> & Partial<GraphEmulatorDeps>,
): Promise<StartedEmulator> {
  const { appId, now, ...deps } = options;
  const emulator = new PresenceEmulator({ appId, now: () => now });
  const server = restify.createServer();
  server.use(restify.plugins.queryParser());
  parseSandboxBodies(server);
  const handle = registerGraphEmulator(server, { emulator, ...deps });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port }: AddressInfo = server.address();
  return {
    base: `http://127.0.0.1:${port}/sandbox/graph`,
    emulator,
    handle,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}

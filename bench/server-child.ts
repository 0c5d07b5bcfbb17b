/** The child side of a bot server under test: says when it listens, reports its memory (and token and store counters), stops on request. */
import type { BrokerStats } from '../presence/tokens/broker';
import type { StoreStats } from '../storage/counting-store';
import type { FromServer, ToServer } from './protocol';

export function serveOrchestrator(
  url: string,
  parts: {
    readonly tokens?: () => BrokerStats;
    readonly store?: () => StoreStats;
    readonly telemetry?: (on: boolean) => void;
    readonly close: () => Promise<void>;
  },
): void {
  const send = (message: FromServer) => process.send?.(message);
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: ToServer) => {
    if (message.type === 'stats') {
      if (message.gc && gc) {
        gc();
        gc();
      }
      send({
        type: 'stats',
        id: message.id,
        stats: { memory: process.memoryUsage(), tokens: parts.tokens?.(), store: parts.store?.(), collected: Boolean(message.gc && gc) },
      });
    } else if (message.type === 'telemetry') {
      parts.telemetry?.(message.on);
      send({ type: 'telemetry', id: message.id });
    } else {
      // A normal exit, so `node --cpu-prof` writes its profile.
      void parts.close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url });
}

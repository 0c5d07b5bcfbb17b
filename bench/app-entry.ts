/**
 * The app under test, as server/main.ts starts it (configuration from the environment, the same composition
 * root), plus the bench's IPC channel for memory, token and store counters. Sandbox mode; with SANDBOX_URL the
 * Graph emulator and identity issuer run in another process.
 */
import { startServer } from '../server/app';
import { loadConfig } from '../server/config';
import { silentLogger } from '../presence/log';
import { startAzureMonitor } from '../telemetry/azure-monitor';
import { loopbackOnly } from './ingestion';
import { serveOrchestrator } from './server-child';
import { telemetrySwitch } from './telemetry-switch';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.mode !== 'sandbox') throw new Error('the bench runs the app in sandbox mode only');
  // Telemetry on (APPLICATIONINSIGHTS_CONNECTION_STRING, to the bench's loopback ingestion): the distro's Azure VM
  // probe must not leave the machine either.
  if (config.telemetry) loopbackOnly();
  // Each of the bench's users sends several commands a second, far past a person's fair share: the limits are
  // raised out of the way, and their checks (a bucket per user, a window per tenant) still run on every turn.
  const limits = { user: { burst: 1e9, perSecond: 1e9 }, tenant: { requests: 1e9, windowMs: 30_000 } };
  // BENCH_TELEMETRY_SWITCH: the distro started here, as startServer would, behind a switch the orchestrator flips.
  const running = config.telemetry && process.env.BENCH_TELEMETRY_SWITCH ? await startAzureMonitor(config.telemetry.connectionString, silentLogger) : undefined;
  const switched = running && telemetrySwitch(running.telemetry);
  const app = await startServer(config, { limits, ...(switched && { telemetry: switched.telemetry }) });
  serveOrchestrator(app.url, {
    tokens: () => app.tokens.stats(),
    store: () => app.storage.stats(),
    telemetry: (on) => switched?.set(on),
    close: () => app.close().finally(() => running?.shutdown()),
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench app failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

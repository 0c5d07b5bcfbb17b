/**
 * Telemetry on: Microsoft's OpenTelemetry distro for Azure Monitor, exporting to the Application Insights
 * resource the connection string names. Loaded only then, so telemetry off costs not even the module's load.
 */
import type { Logger } from '../presence/log';
import type { Telemetry } from '../presence/telemetry';
import { SCOPE, openTelemetry } from './otel';

export interface RunningTelemetry {
  readonly telemetry: Telemetry;
  /** Sends what is buffered and stops; never rejects. */
  shutdown(): Promise<void>;
}

export async function startAzureMonitor(connectionString: string, logger: Logger): Promise<RunningTelemetry> {
  const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  const { context, metrics, trace } = await import('@opentelemetry/api');
  const off = { enabled: false };
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // This app makes its own spans for requests and for Graph, token and store calls, without the URLs (which name
    // users) or bodies: the distro's automatic HTTP and Azure SDK spans would repeat each of them, URLs included.
    instrumentationOptions: { http: off, azureSdk: off, mongoDb: off, mySql: off, postgreSql: off, redis: off, redis4: off, bunyan: off, winston: off },
  });
  // The distro registers an AsyncLocalStorage context manager, which its own exporters then switch on: in Node 20
  // that makes every promise in the process dearer (BENCHMARKS.md). This app passes parents explicitly and reads no
  // async context, so the API's default (no context at all) takes its place. What it gives up: the exporters' own
  // "suppress tracing" marker, which only matters with the HTTP and Azure SDK instrumentations, off above.
  context.disable();
  return {
    telemetry: openTelemetry(trace.getTracer(SCOPE), metrics.getMeter(SCOPE)),
    shutdown: () => stopQuietly(shutdownAzureMonitor, logger),
  };
}

/**
 * Best effort: an ingestion endpoint that cannot be reached must not turn a clean stop into a failed one. A failed
 * send is one warning. (Whether the distro reports a failed send at all depends on its own state at that moment: it
 * may keep the telemetry on disk to retry, and then resolve.)
 */
export function stopQuietly(stop: () => Promise<void>, logger: Logger): Promise<void> {
  return stop().catch((err: unknown) => logger.warn('telemetry not sent at stop', { error: err }));
}

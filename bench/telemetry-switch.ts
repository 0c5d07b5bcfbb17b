/**
 * Telemetry that the bench switches on and off between rounds in one process (BENCH_TELEMETRY_SWITCH): the same
 * heap, the same code warmed up by the JIT compiler, the same tables, so what differs between its rounds is
 * telemetry alone. Two separate instances of the app differ by more than telemetry costs (BENCHMARKS.md).
 */
import { NO_TELEMETRY, type Telemetry } from '../presence/telemetry';

export interface TelemetrySwitch {
  readonly telemetry: Telemetry;
  set(on: boolean): void;
}

/** Off: NO_TELEMETRY's calls (nothing recorded, nothing sent); on: `real`'s. Starts on. */
export function telemetrySwitch(real: Telemetry): TelemetrySwitch {
  let current = real;
  return {
    telemetry: {
      span: (name, options, fn) => current.span(name, options, fn),
      count: (metric, attributes) => current.count(metric, attributes),
      record: (metric, value, attributes) => current.record(metric, value, attributes),
    },
    set: (on) => {
      current = on ? real : NO_TELEMETRY;
    },
  };
}

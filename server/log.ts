import type { LogFields, Logger } from '../presence/log';
import type { LogLevel } from './config';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|password|authorization|assertion|cookie|credential|connectionstring|accountkey/i;
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/g;
/** A storage account key or SAS signature inside a connection string or URL. */
const STORAGE_SECRET = /(AccountKey=|SharedAccessSignature=|[?&]sig=)[^;&\s"]*/gi;

/** Redacts secrets by key name, and anything shaped like a JWT wherever it appears. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(JWT, '[redacted-jwt]').replace(STORAGE_SECRET, '$1[redacted]');
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, code: (value as { code?: unknown }).code };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)]));
}

/** JSON lines on stdout (stderr for errors), one object per event. */
export function createLogger(level: LogLevel, write: (line: string, isError: boolean) => void = defaultWrite): Logger {
  const threshold = LEVELS[level];
  const emit = (lvl: LogLevel) => (message: string, fields?: LogFields) => {
    if (LEVELS[lvl] < threshold) return;
    const entry = { time: new Date().toISOString(), level: lvl, msg: redact(message), ...(fields ? (redact(fields) as object) : {}) };
    write(JSON.stringify(entry), lvl === 'error');
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

function defaultWrite(line: string, isError: boolean): void {
  (isError ? process.stderr : process.stdout).write(`${line}\n`);
}

const CONSOLE_LINE_MAX = 500;
/**
 * Library errors that are one forged request's noise, already logged by the app as one refusal line: kept at
 * debug level, so rejected traffic costs one line. (botframework-connector, for a token signed by an unknown key.)
 */
const QUIET = ['Error finding key for token.'];

/**
 * Libraries write to the console (botbuilder prints whole stack traces with console.error): each call becomes
 * one bounded JSON line through the redacting logger instead, so every line of output is JSON and no token
 * printed by a library reaches the log. Returns a function that puts the console back.
 */
export function routeConsole(logger: Logger): () => void {
  const original = { error: console.error, warn: console.warn, info: console.info, log: console.log, debug: console.debug };
  const line = (args: unknown[]) =>
    args
      .map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : typeof arg === 'string' ? arg : safeJson(arg)))
      .join(' ')
      .split('\n')[0]
      ?.slice(0, CONSOLE_LINE_MAX) ?? '';
  console.error = (...args: unknown[]) => {
    const text = line(args);
    if (QUIET.some((prefix) => text.startsWith(prefix))) logger.debug('console output', { text });
    else logger.error('console output', { text });
  };
  console.warn = (...args: unknown[]) => logger.warn('console output', { text: line(args) });
  console.info = (...args: unknown[]) => logger.info('console output', { text: line(args) });
  console.log = (...args: unknown[]) => logger.info('console output', { text: line(args) });
  console.debug = (...args: unknown[]) => logger.debug('console output', { text: line(args) });
  return () => Object.assign(console, original);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

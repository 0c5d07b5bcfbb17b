import * as path from 'node:path';

/**
 * Configuration, read once from the environment and validated. Without Microsoft 365 credentials the
 * app runs in sandbox mode; with them, nothing of the sandbox exists. Sandbox mode can never start on
 * a cloud host or bind a non-loopback address.
 */
export type Env = Readonly<Record<string, string | undefined>>;

interface Common {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  readonly tokenCacheSize: number;
  readonly allowedTenants?: readonly string[];
  readonly storage: StorageConfig;
  /** Application Insights (telemetry/azure-monitor.ts); absent: no telemetry, at no cost. */
  readonly telemetry?: { readonly connectionString: string };
}

/** Where the app's durable state lives (presence/store.ts): Azure Table Storage, or Azurite speaking its protocol. */
export type StorageConfig =
  /** An Azure Storage account or Azurite, by connection string (account key or SAS). */
  | { readonly kind: 'connectionString'; readonly connectionString: string; readonly tablePrefix: string }
  /** Production: the account's table endpoint, reached with the managed identity (no account key). */
  | { readonly kind: 'tableUrl'; readonly url: string; readonly tablePrefix: string }
  /** Sandbox mode's default: an Azurite this app starts, with its data in `location` (survives restarts). */
  | { readonly kind: 'embedded'; readonly location: string; readonly tablePrefix: string }
  /** Sandbox mode only, STORAGE=memory: this process's memory, gone when it stops. */
  | { readonly kind: 'memory' };

/**
 * The data key that seals users' refresh tokens at rest (presence/tokens/sealed.ts, server/data-key.ts): production
 * keeps it in the store wrapped by an Azure Key Vault key, unwrapped at start through the managed identity; sandbox
 * mode a local key file.
 */
export type TokenKeyConfig = { readonly kind: 'keyVault'; readonly keyId: string } | { readonly kind: 'file'; readonly path: string };

export interface SandboxConfig extends Common {
  readonly mode: 'sandbox';
  /** A key file in the git-ignored sandbox folder, made on first start. */
  readonly tokenKey: TokenKeyConfig;
  /** The sandbox app's client ID: the sessionId of its presence session. */
  readonly appId: string;
  /** SANDBOX_URL: a sandbox already running in another process (sandbox/standalone.ts), used instead of mounting one. */
  readonly remoteSandbox?: { readonly url: string; readonly clientSecret: string };
}

export type AppCredential = { readonly kind: 'secret'; readonly secret: string } | { readonly kind: 'managedIdentity'; readonly clientId: string };

export interface ProductionConfig extends Common {
  readonly mode: 'production';
  /** The Entra app (client) ID of the bot, also the Teams SSO app. */
  readonly appId: string;
  readonly appType: 'MultiTenant' | 'SingleTenant';
  readonly tenantId?: string;
  readonly credential: AppCredential;
  /** api://{domain}/botid-{appId}: the SSO token's resource. */
  readonly applicationIdUri: string;
  readonly botDomain: string;
  /** The Azure Bot OAuth connection used for the sign-in card fallback. */
  readonly oauthConnectionName: string;
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  /**
   * Absent: no refresh tokens are kept, so nothing acts later without the user: sessions end at Graph's 4 hours,
   * replaced statuses do not come back, and nothing can be planned ahead (reminders still come).
   */
  readonly tokenKey?: TokenKeyConfig;
}

export type AppConfig = SandboxConfig | ProductionConfig;
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const SANDBOX_APP_ID = '5a4d8f9e-0000-4000-8000-5a4db0c00001';

/** Every variable the app reads, with what it does; the README's configuration table says the same. */
export const ENV_VARS = {
  BOT_ID: 'Entra app (client) ID of the bot and of Teams SSO. Setting it switches sandbox mode off.',
  BOT_PASSWORD: 'Client secret of that app (or use MANAGED_IDENTITY_CLIENT_ID).',
  MANAGED_IDENTITY_CLIENT_ID: 'User-assigned managed identity with a federated credential on the app, instead of a secret.',
  BOT_TYPE: 'MultiTenant (default) or SingleTenant.',
  BOT_TENANT_ID: "The app's home tenant (required for SingleTenant).",
  BOT_DOMAIN: 'Public host name of the app, e.g. presence.example.com (the SSO resource is api://{BOT_DOMAIN}/botid-{BOT_ID}).',
  OAUTH_CONNECTION_NAME: 'Azure Bot OAuth connection for the sign-in card fallback (default: graph).',
  ALLOWED_TENANTS: 'Comma-separated tenant IDs allowed to use the app (default: any; SingleTenant: BOT_TENANT_ID).',
  AUTHORITY_HOST: 'Microsoft identity platform host (default https://login.microsoftonline.com).',
  GRAPH_BASE_URL: 'Microsoft Graph base URL (default https://graph.microsoft.com/v1.0).',
  PORT: 'Port to listen on (default 3978).',
  HOST: 'Address to bind (default 127.0.0.1 in sandbox mode, 0.0.0.0 in production).',
  TOKEN_CACHE_SIZE: 'Users whose Graph tokens are cached in memory (default 10000).',
  LOG_LEVEL: 'debug, info (default), warn or error.',
  SANDBOX_URL:
    'Sandbox mode only: use the sandbox running in another process (npm run sandbox) at this loopback URL, e.g. http://127.0.0.1:3979, instead of mounting one.',
  SANDBOX_CLIENT_SECRET: 'With SANDBOX_URL: the client secret that sandbox was started with (it prints it).',
  AZURE_STORAGE_TABLE_URL:
    "Table endpoint of the Azure Storage account holding the app's state, e.g. https://presencedata.table.core.windows.net, reached with the managed identity.",
  AZURE_STORAGE_CONNECTION_STRING:
    'Instead of AZURE_STORAGE_TABLE_URL: a connection string (Azure Storage or Azurite). In sandbox mode it replaces the embedded Azurite, so several local instances share one store.',
  AZURE_STORAGE_TABLE_PREFIX:
    "Prefix of the app's table names (default presence: tables presenceusers, presencetransient and presencejobs); letters and digits.",
  STORAGE: 'Sandbox mode only: memory keeps state in this process (not durable, for quick experiments); default: the embedded Azurite.',
  SANDBOX_DATA_DIR:
    'Sandbox mode only: where the embedded Azurite keeps its data and the key sealing refresh tokens (default .sandbox in the working directory; delete it to start afresh).',
  APPLICATIONINSIGHTS_CONNECTION_STRING:
    'The Application Insights resource to send traces and metrics to (OpenTelemetry, Azure Monitor distro). Unset: no telemetry. OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG set its sampling (default: at most 5 traces a second).',
  TOKEN_KEY_ID:
    "Production: the Azure Key Vault key (URL) that wraps the data key sealing users' refresh tokens (kept wrapped in the store; the managed identity wraps and unwraps it). Without it nothing acts later for a user (renewals past 4 hours, statuses coming back, planned statuses).",
} as const;

const CREDENTIAL_VARS = ['BOT_ID', 'BOT_PASSWORD', 'MANAGED_IDENTITY_CLIENT_ID', 'BOT_TENANT_ID', 'BOT_DOMAIN'] as const;
/** Set by the app and container hosts this app is deployed to: sandbox mode refuses to start where any of them is set. */
const HOST_MARKERS = [
  'WEBSITE_SITE_NAME',
  'WEBSITE_INSTANCE_ID', // Azure App Service
  'CONTAINER_APP_NAME', // Azure Container Apps
  'KUBERNETES_SERVICE_HOST', // every Kubernetes pod
] as const;
/**
 * The Bot Framework's own names for this app's BOT_* variables. A deployment that sets them instead meant
 * production: without the refusal it would start as the sandbox.
 */
const BOT_FRAMEWORK_NAMES = {
  MicrosoftAppId: 'BOT_ID',
  MicrosoftAppPassword: 'BOT_PASSWORD',
  MicrosoftAppType: 'BOT_TYPE',
  MicrosoftAppTenantId: 'BOT_TENANT_ID',
} as const;
/** An Entra ID (client, object or tenant ID). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const get = (name: keyof typeof ENV_VARS): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const common = readCommon(get, problems);
  const anyCredential = CREDENTIAL_VARS.some((name) => get(name) !== undefined);

  if (!anyCredential) {
    refuseProductionMarkers(env, problems);
    const host = get('HOST') ?? '127.0.0.1';
    if (!LOOPBACK.test(host)) problems.push(`Sandbox mode only binds a loopback address; HOST=${host} is not one.`);
    const remoteSandbox = readRemoteSandbox(get, problems);
    const storage = readSandboxStorage(get, problems);
    if (problems.length || !storage) throw new ConfigError(problems);
    const tokenKey = { kind: 'file', path: path.resolve(get('SANDBOX_DATA_DIR') ?? '.sandbox', 'token-key') } as const;
    return { mode: 'sandbox', ...common, storage, host, appId: SANDBOX_APP_ID, tokenKey, ...(remoteSandbox ? { remoteSandbox } : {}) };
  }
  for (const name of SANDBOX_ONLY) {
    if (get(name)) problems.push(`${name} is for sandbox mode only; unset it when BOT_ID (or any credential) is set.`);
  }
  const storage = readProductionStorage(get, problems);

  const appId = get('BOT_ID');
  const domain = get('BOT_DOMAIN');
  const secret = get('BOT_PASSWORD');
  const miClientId = get('MANAGED_IDENTITY_CLIENT_ID');
  const appType = get('BOT_TYPE') ?? 'MultiTenant';
  const tenantId = get('BOT_TENANT_ID');
  if (!appId || !GUID.test(appId)) problems.push('BOT_ID must be the Entra app (client) ID, a GUID.');
  if (!domain || /[/:]/.test(domain)) problems.push("BOT_DOMAIN must be the app's public host name, e.g. presence.example.com (no scheme, no path).");
  if (!secret && !miClientId) problems.push('Set BOT_PASSWORD (client secret) or MANAGED_IDENTITY_CLIENT_ID (federated credential).');
  if (miClientId && !GUID.test(miClientId)) problems.push('MANAGED_IDENTITY_CLIENT_ID must be a GUID.');
  if (miClientId && !secret && !tenantId)
    problems.push('MANAGED_IDENTITY_CLIENT_ID needs BOT_TENANT_ID: a bot that signs in with a managed identity is single-tenant.');
  if (appType !== 'MultiTenant' && appType !== 'SingleTenant') problems.push('BOT_TYPE must be MultiTenant or SingleTenant.');
  if (appType === 'SingleTenant' && !tenantId) problems.push('BOT_TYPE=SingleTenant needs BOT_TENANT_ID.');
  if (tenantId && !GUID.test(tenantId)) problems.push('BOT_TENANT_ID must be a GUID.');
  const authorityHost = readUrl(get('AUTHORITY_HOST') ?? 'https://login.microsoftonline.com', 'AUTHORITY_HOST', problems);
  const graphBaseUrl = readUrl(get('GRAPH_BASE_URL') ?? 'https://graph.microsoft.com/v1.0', 'GRAPH_BASE_URL', problems);
  const tokenKey = readTokenKey(get, problems);
  if (problems.length || !appId || !domain || !storage) throw new ConfigError(problems);
  return {
    mode: 'production',
    ...common,
    storage,
    host: get('HOST') ?? '0.0.0.0',
    appId,
    appType: appType as ProductionConfig['appType'],
    tenantId,
    credential: secret ? { kind: 'secret', secret } : { kind: 'managedIdentity', clientId: miClientId ?? '' },
    applicationIdUri: `api://${domain}/botid-${appId}`,
    botDomain: domain,
    oauthConnectionName: get('OAUTH_CONNECTION_NAME') ?? 'graph',
    authorityHost,
    graphBaseUrl,
    allowedTenants: common.allowedTenants ?? (appType === 'SingleTenant' && tenantId ? [tenantId] : undefined),
    ...(tokenKey ? { tokenKey } : {}),
  };
}

/** The Key Vault key's URL, with or without its version. */
function readTokenKey(get: Get, problems: string[]): TokenKeyConfig | undefined {
  const keyId = get('TOKEN_KEY_ID');
  if (!keyId) return undefined;
  if (!/^https:\/\/[^/]+\/keys\/[^/]+(\/[0-9a-f]{32})?\/?$/.test(keyId))
    problems.push('TOKEN_KEY_ID must be a Key Vault key URL, e.g. https://{vault}.vault.azure.net/keys/{name}.');
  return { kind: 'keyVault', keyId };
}

/** Sandbox mode (no credentials) where a production marker is set: a problem naming the markers and what to do. */
function refuseProductionMarkers(env: Env, problems: string[]): void {
  const isSet = (name: string) => Boolean(env[name]?.trim());
  const renamed = (Object.keys(BOT_FRAMEWORK_NAMES) as (keyof typeof BOT_FRAMEWORK_NAMES)[]).filter(isSet);
  const nodeEnv = env.NODE_ENV?.trim().toLowerCase() === 'production';
  const found = [...(nodeEnv ? ['NODE_ENV'] : []), ...HOST_MARKERS.filter(isSet), ...renamed];
  if (!found.length) return;
  const markers = listed(found.map((name) => (name === 'NODE_ENV' ? 'NODE_ENV=production' : name)));
  problems.push(
    `No Microsoft 365 credentials (BOT_ID, ...) are set, but ${markers} ${found.length === 1 ? 'marks' : 'mark'} a production deployment, and sandbox mode never runs in production. To run in production, set BOT_ID, BOT_PASSWORD or MANAGED_IDENTITY_CLIENT_ID, and BOT_DOMAIN; to run the sandbox here, unset ${listed(found)}.`,
  );
  if (renamed.length) problems.push(`This app reads ${listed(renamed.map((name) => BOT_FRAMEWORK_NAMES[name]))}, not the Bot Framework's ${listed(renamed)}.`);
}

/** a; a and b; a, b and c. */
function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}

const SANDBOX_ONLY = ['SANDBOX_URL', 'SANDBOX_CLIENT_SECRET', 'STORAGE', 'SANDBOX_DATA_DIR'] as const;
const TABLE_PREFIX = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

type Get = (name: keyof typeof ENV_VARS) => string | undefined;

function readTablePrefix(get: Get, problems: string[]): string {
  const prefix = get('AZURE_STORAGE_TABLE_PREFIX') ?? 'presence';
  if (!TABLE_PREFIX.test(prefix)) problems.push('AZURE_STORAGE_TABLE_PREFIX must start with a letter and hold only letters and digits (at most 40).');
  return prefix;
}

/** Sandbox mode: the embedded Azurite unless a connection string names another store, or STORAGE=memory. */
function readSandboxStorage(get: Get, problems: string[]): StorageConfig | undefined {
  const tablePrefix = readTablePrefix(get, problems);
  const connectionString = get('AZURE_STORAGE_CONNECTION_STRING');
  const kind = get('STORAGE');
  if (get('AZURE_STORAGE_TABLE_URL'))
    problems.push('AZURE_STORAGE_TABLE_URL needs the managed identity of a production deployment; in sandbox mode use AZURE_STORAGE_CONNECTION_STRING.');
  if (kind !== undefined && kind !== 'memory') problems.push('STORAGE must be memory, or unset (the embedded Azurite).');
  if (kind === 'memory' && connectionString) problems.push('STORAGE=memory and AZURE_STORAGE_CONNECTION_STRING exclude each other.');
  if (kind === 'memory') return { kind: 'memory' };
  if (connectionString) return { kind: 'connectionString', connectionString, tablePrefix };
  const dataDir = get('SANDBOX_DATA_DIR') ?? '.sandbox';
  return { kind: 'embedded', location: path.resolve(dataDir, 'storage'), tablePrefix };
}

/** Production: durable storage is required; there is no in-memory fallback. */
function readProductionStorage(get: Get, problems: string[]): StorageConfig | undefined {
  const tablePrefix = readTablePrefix(get, problems);
  const connectionString = get('AZURE_STORAGE_CONNECTION_STRING');
  const tableUrl = get('AZURE_STORAGE_TABLE_URL');
  if (connectionString && tableUrl) problems.push('Set AZURE_STORAGE_TABLE_URL or AZURE_STORAGE_CONNECTION_STRING, not both.');
  if (connectionString) return { kind: 'connectionString', connectionString, tablePrefix };
  if (tableUrl) {
    const url = readUrl(tableUrl, 'AZURE_STORAGE_TABLE_URL', problems);
    return { kind: 'tableUrl', url, tablePrefix };
  }
  problems.push(
    "Production needs durable storage for what the app set and for sign-in: set AZURE_STORAGE_TABLE_URL (the storage account's table endpoint, reached with the managed identity) or AZURE_STORAGE_CONNECTION_STRING.",
  );
  return undefined;
}

function readCommon(get: Get, problems: string[]): Omit<Common, 'host' | 'storage'> {
  const port = Number(get('PORT') ?? 3978);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push('PORT must be a port number (0-65535).');
  const size = Number(get('TOKEN_CACHE_SIZE') ?? 10_000);
  if (!Number.isInteger(size) || size < 1) problems.push('TOKEN_CACHE_SIZE must be a positive whole number.');
  const level = get('LOG_LEVEL') ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(level)) problems.push('LOG_LEVEL must be debug, info, warn or error.');
  const tenants = get('ALLOWED_TENANTS')
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tenants?.some((t) => !GUID.test(t))) problems.push('ALLOWED_TENANTS must be comma-separated tenant IDs (GUIDs).');
  const telemetry = readTelemetry(get, problems);
  return {
    port,
    logLevel: level as LogLevel,
    tokenCacheSize: size,
    allowedTenants: tenants?.length ? tenants : undefined,
    ...(telemetry ? { telemetry } : {}),
  };
}

/** Application Insights' connection string: `InstrumentationKey={guid};IngestionEndpoint=https://...;...`. */
function readTelemetry(get: Get, problems: string[]): Common['telemetry'] {
  const connectionString = get('APPLICATIONINSIGHTS_CONNECTION_STRING');
  if (!connectionString) return undefined;
  const key = /(?:^|;)\s*InstrumentationKey=([^;]*)/i.exec(connectionString)?.[1]?.trim();
  if (!key || !GUID.test(key))
    problems.push(
      "APPLICATIONINSIGHTS_CONNECTION_STRING must be the Application Insights resource's connection string (InstrumentationKey=...;IngestionEndpoint=...).",
    );
  return { connectionString };
}

/** SANDBOX_URL (with its SANDBOX_CLIENT_SECRET): an http origin on a loopback address, nothing else. */
function readRemoteSandbox(get: Get, problems: string[]): SandboxConfig['remoteSandbox'] {
  const value = get('SANDBOX_URL');
  const clientSecret = get('SANDBOX_CLIENT_SECRET');
  if (!value) {
    if (clientSecret) problems.push('SANDBOX_CLIENT_SECRET is only read with SANDBOX_URL.');
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const loopback =
    url?.protocol === 'http:' &&
    LOOPBACK.test(url.hostname.replace(/^\[(.*)\]$/, '$1')) &&
    url.pathname === '/' &&
    !url.search &&
    !url.username &&
    !url.password;
  if (!loopback) problems.push('SANDBOX_URL must be a loopback http origin such as http://127.0.0.1:3979 (no path): the sandbox never leaves this machine.');
  if (!clientSecret) problems.push('SANDBOX_URL needs SANDBOX_CLIENT_SECRET: the secret the sandbox printed when it started.');
  return url && loopback && clientSecret ? { url: url.origin, clientSecret } : undefined;
}

function readUrl(value: string, name: string, problems: string[]): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:') problems.push(`${name} must be an https URL.`);
  } catch {
    problems.push(`${name} must be a URL.`);
  }
  return value.replace(/\/+$/, '');
}

/** The configuration as safe to print: secrets shown only as set or not. */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  const storage = describeStorage(config.storage);
  const telemetry = describeTelemetry(config.telemetry);
  if (config.mode === 'sandbox')
    return {
      mode: config.mode,
      host: config.host,
      port: config.port,
      storage,
      ...(config.remoteSandbox ? { sandboxUrl: config.remoteSandbox.url } : {}),
      ...(config.telemetry ? { telemetry } : {}),
    };
  const { credential, tokenKey, ...rest } = config;
  return {
    ...rest,
    storage,
    telemetry,
    credential: credential.kind === 'secret' ? 'client secret (set)' : `managed identity ${credential.clientId}`,
    timers: tokenKey?.kind === 'keyVault' ? `refresh tokens sealed under ${tokenKey.keyId}` : 'reminders only (no TOKEN_KEY_ID)',
  };
}

/** Where telemetry goes, by the ingestion endpoint's host: the instrumentation key is not shown. */
function describeTelemetry(telemetry: Common['telemetry']): string {
  if (!telemetry) return 'off (no APPLICATIONINSIGHTS_CONNECTION_STRING)';
  const endpoint = /IngestionEndpoint=([^;]+)/i.exec(telemetry.connectionString)?.[1];
  let host = 'the default endpoint';
  try {
    if (endpoint) host = new URL(endpoint).host;
  } catch {
    host = 'an unreadable endpoint';
  }
  return `Application Insights via ${host}`;
}

/** A connection string can hold an account key or a SAS: only its endpoints are shown. */
function describeStorage(storage: StorageConfig): string {
  switch (storage.kind) {
    case 'memory':
      return 'memory (not durable)';
    case 'embedded':
      return `embedded Azurite in ${storage.location}`;
    case 'tableUrl':
      return `${storage.url} (managed identity)`;
    case 'connectionString': {
      const endpoint = /TableEndpoint=([^;]+)/i.exec(storage.connectionString)?.[1];
      const account = /AccountName=([^;]+)/i.exec(storage.connectionString)?.[1];
      return `connection string (${endpoint ?? account ?? 'development storage'})`;
    }
  }
}

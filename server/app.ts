import * as restify from 'restify';
import { botAppId, createBotAdapter, registerBot, type BotAuth } from '../bot/endpoint';
import { ChatNotifier } from '../bot/proactive';
import { JobScheduler } from '../presence/jobs';
import { REMINDER_JOB, Reminders } from '../presence/reminders';
import { TIMER_JOBS, TimerJobs, TimerPlanner } from '../presence/timers';
import { RefreshTokens } from '../presence/tokens/refresh-tokens';
import { GraphPresenceClient } from '../presence/graph';
import { createHttp } from '../presence/http';
import { PresenceLedger } from '../presence/ledger';
import type { Logger } from '../presence/log';
import { PresenceService, type ServiceLimits } from '../presence/service';
import { GraphTokenBroker } from '../presence/tokens/broker';
import { GRAPH_SCOPES, OnBehalfOfExchanger, type ClientCredential } from '../presence/tokens/obo';
import { SsoTokenValidator } from '../presence/tokens/sso-validator';
import { connectSandbox, mountSandbox, type Sandbox, type SandboxStandIns } from '../sandbox';
import { tabFrameAncestors } from '../tab/api/csp';
import { registerTabApi } from '../tab/api/routes';
import { defaultTabDistDir, registerTabPages } from '../tab/api/static';
import { AuthGuard, DEFAULT_AUTH_FAILURES } from '../edge/auth-guard';
import { drain } from '../edge/drain';
import { guardSandbox } from '../edge/loopback-guard';
import { startGate } from '../edge/start-gate';
import type { BucketLimits } from '../presence/rate-limit';
import { ConfigError, type AppConfig } from './config';
import { clientCredential, storageCredential } from './identity';
import { keyVaultWrapper, loadDataKey } from './data-key';
import { createLogger } from './log';
import { openStorage, type OpenStorage } from './storage';
import { startSweepers } from './sweepers';
import { NO_TELEMETRY, type Telemetry } from '../presence/telemetry';
import { startAzureMonitor } from '../telemetry/azure-monitor';
import { traceRequests } from '../edge/trace-requests';

export interface RunningApp {
  readonly url: string;
  readonly config: AppConfig;
  readonly service: PresenceService;
  readonly tokens: GraphTokenBroker;
  readonly storage: OpenStorage;
  /** The timers this instance runs, on the shared store. */
  readonly scheduler: JobScheduler;
  /** The app's clock: in sandbox mode the sandbox's, as this instance last read it (a remote one is followed every 500 ms). */
  now(): number;
  /** The sandbox mounted on this server (not set when SANDBOX_URL points at one in another process). */
  readonly sandbox?: Sandbox;
  /** Sandbox mode: the local URLs worth trying, for the banner (the sandbox's, mounted here or not, and the bot endpoint). */
  readonly sandboxUrls?: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  /** Failed authentications per client address before 429 (default DEFAULT_AUTH_FAILURES). */
  readonly authFailures?: BucketLimits;
  /** Commands per user and Graph calls per tenant (default DEFAULT_LIMITS in presence/service.ts). */
  readonly limits?: ServiceLimits;
  /** One deadline per command (default 10 s). */
  readonly deadlineMs?: number;
  /** How long a stop waits for requests in flight before it cuts the connections (default 8 s). */
  readonly drainMs?: number;
  /** How often this instance looks for timers that are due (default 1 s). */
  readonly jobPollMs?: number;
  /** Telemetry to report to instead of the configuration's (tests: in-memory exporters). */
  readonly telemetry?: Telemetry;
}

/**
 * How long a stop waits for requests in flight. App Service does not document its wait between SIGTERM and
 * the kill; 8 s fits inside the 10 s a Docker stop waits by default, the shortest such window in common use.
 * A turn in flight is almost always done in well under a second.
 */
const DRAIN_MS = 8_000;

/** The composition root: builds the parts from the validated configuration and wires them to one restify server. */
export async function startServer(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const running = options.telemetry || !config.telemetry ? undefined : await startAzureMonitor(config.telemetry.connectionString, logger);
  const telemetry = options.telemetry ?? running?.telemetry ?? NO_TELEMETRY;
  const http = createHttp();
  // SANDBOX_URL: a sandbox in another process (npm run sandbox), checked before listening so a wrong URL or secret stops the start.
  const remote =
    config.mode === 'sandbox' && config.remoteSandbox
      ? await connectSandbox({ ...config.remoteSandbox, appId: config.appId, http }).catch((err: unknown) => {
          throw new ConfigError([err instanceof Error ? err.message : String(err)]);
        })
      : undefined;
  const storage = await openStorage(config.storage, { logger, credential: () => storageCredential(config), telemetry });
  const server = restify.createServer({ name: 'teams-presence', handleUncaughtExceptions: false });
  // The sandbox mounted here stands in for Graph and Entra: its requests are the app's dependencies, already spans of their own.
  traceRequests(server, telemetry, config.mode === 'sandbox' ? { skip: (path) => path.startsWith('/sandbox/') } : {});
  const gate = startGate(server);
  if (config.mode === 'sandbox') guardSandbox(server);
  // No server-wide body parser: each route reads its own body, capped, and only after it has checked who is asking.
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const healthy = await storage.healthy();
    res.json(healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', mode: config.mode, storage: healthy ? 'ok' : 'unavailable' });
  });
  await new Promise<void>((resolve) => {
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  try {
    const sandbox =
      config.mode === 'sandbox' && !remote
        ? await mountSandbox(server, { baseUrl: url, appId: config.appId, store: storage.table('sandboxgraph') })
        : undefined;
    const standIns: SandboxStandIns | undefined = remote ?? sandbox;
    const endpoints = endpointsFor(config, standIns);
    // The app's clock: in sandbox mode the emulator's, so advancing it (POST /sandbox/graph/_clock) brings timers due.
    const now = standIns ? () => standIns.now() : Date.now;

    const exchanger = new OnBehalfOfExchanger({
      authorityHost: endpoints.authorityHost,
      clientId: config.appId,
      credential: endpoints.credential,
      scopes: GRAPH_SCOPES,
      http,
      telemetry,
    });
    // Token lifetimes are wall-clock time (their verifiers check exp against it), also in sandbox mode: no `now` here.
    const tokens = new GraphTokenBroker({
      validator: new SsoTokenValidator({
        clientId: config.appId,
        applicationIdUri: config.mode === 'production' ? config.applicationIdUri : undefined,
        authorityHost: endpoints.authorityHost,
        allowedTenants: config.allowedTenants,
      }),
      exchanger,
      cacheSize: config.tokenCacheSize,
      // With a data key to seal them, every exchange brings a refresh token: a timer planned later costs no second exchange.
      offlineAccess: config.tokenKey !== undefined,
      telemetry,
    });
    const ledger = new PresenceLedger(storage.stores, { cacheSize: config.tokenCacheSize, now });
    const adapter = createBotAdapter(botAuth(config), logger);
    const scheduler = new JobScheduler({ index: storage.stores.jobs, logger, now, pollMs: options.jobPollMs, telemetry });
    const notifier = new ChatNotifier({ adapter, botAppId: botAppId(botAuth(config), config.appId), now });
    const reminders = new Reminders({ scheduler, ledger, notifier, logger });
    scheduler.handle(REMINDER_JOB, reminders);
    const { tokenKey } = config;
    const wrapper = () => keyVaultWrapper(tokenKey?.kind === 'keyVault' ? tokenKey.keyId : '', storageCredential(config));
    const dataKey = tokenKey && (await loadDataKey(tokenKey, { store: storage.stores.users, wrapper }));
    const refreshTokens = dataKey && new RefreshTokens({ store: storage.stores.users, key: dataKey, exchanger });
    const service = new PresenceService({
      graph: new GraphPresenceClient({ baseUrl: endpoints.graphBaseUrl, http, logger, telemetry }),
      tokens,
      appId: config.appId,
      logger,
      ledger,
      limits: options.limits,
      deadlineMs: options.deadlineMs,
      reminders,
      jobs: scheduler,
      ...(refreshTokens ? { timers: { planner: new TimerPlanner(scheduler), refreshTokens } } : {}),
      now,
      telemetry,
    });
    // Only where refresh tokens are kept: an instance without them leaves these jobs to one that can run them.
    if (refreshTokens) {
      const timerJobs = new TimerJobs({ service, ledger, notifier, logger });
      for (const kind of Object.values(TIMER_JOBS)) scheduler.handle(kind, timerJobs);
    }
    // One guard for both front doors: an address that fails at one is slowed at the other.
    const authGuard = new AuthGuard({ failures: options.authFailures ?? DEFAULT_AUTH_FAILURES, trustForwardedFor: config.mode === 'production', telemetry });

    registerBot(server, {
      auth: botAuth(config),
      adapter,
      now,
      service,
      logger,
      authGuard,
      transient: storage.stores.transient,
      sso: standIns
        ? { kind: 'issued', issue: (who) => standIns.issueSsoToken(who), consentUrl: (who) => standIns.consentUrl(who.userId) }
        : { kind: 'teams', connectionName: config.mode === 'production' ? config.oauthConnectionName : '' },
    });
    registerTabApi(server, { service, logger, authGuard, now });
    // Only in sandbox mode may this server's own origin (the sandbox Teams host) frame the tab.
    registerTabPages(server, {
      distDir: defaultTabDistDir(),
      frameAncestors: tabFrameAncestors(config.mode === 'sandbox' ? url : undefined),
      production: config.mode === 'production',
    });
    gate.open();

    const stopSweeping = startSweepers(storage.stores, logger);
    scheduler.start();
    return {
      url,
      config,
      service,
      tokens,
      storage,
      sandbox,
      sandboxUrls: standIns
        ? {
            'Bot endpoint': `${url}/api/messages`,
            // The sandbox Teams host frames the tab from its own origin: only when the sandbox is mounted here.
            ...(sandbox ? { 'Personal tab (sandbox Teams host)': `${url}/sandbox/teams` } : {}),
            ...standIns.urls,
          }
        : undefined,
      scheduler,
      now,
      close: async () => {
        stopSweeping();
        standIns?.close();
        await scheduler.stop();
        try {
          const { forced } = await drain(server.server, options.drainMs ?? DRAIN_MS);
          if (forced) logger.warn('stopped with requests still open: their connections were closed');
          await sandbox?.flush();
        } finally {
          // Whatever failed above, the store (and an embedded Azurite this process started) is closed, and telemetry sent.
          await storage.close();
          await running?.shutdown();
        }
      },
    };
  } catch (err) {
    gate.fail();
    await drain(server.server, 0);
    await storage.close();
    await running?.shutdown();
    throw err;
  }
}

function botAuth(config: AppConfig): BotAuth {
  if (config.mode === 'sandbox') return { kind: 'none' };
  if (config.credential.kind === 'secret')
    return { kind: 'secret', appId: config.appId, password: config.credential.secret, appType: config.appType, tenantId: config.tenantId };
  return { kind: 'managedIdentity', clientId: config.credential.clientId, tenantId: config.tenantId };
}

/** Production talks to Entra and Graph; sandbox mode points the same code at the local stand-ins. */
function endpointsFor(config: AppConfig, sandbox?: SandboxStandIns): { authorityHost: string; graphBaseUrl: string; credential: ClientCredential } {
  if (config.mode === 'production')
    return { authorityHost: config.authorityHost, graphBaseUrl: config.graphBaseUrl, credential: clientCredential(config.credential) };
  if (!sandbox) throw new Error('sandbox mode without a sandbox');
  return { authorityHost: sandbox.authorityHost, graphBaseUrl: sandbox.graphBaseUrl, credential: { kind: 'secret', secret: sandbox.clientSecret } };
}

import * as restify from 'restify';
import { registerBot, type BotAuth } from '../bot/endpoint';
import { GraphPresenceClient } from '../presence/graph';
import { createHttp } from '../presence/http';
import type { Logger } from '../presence/log';
import { PresenceService } from '../presence/service';
import { GraphTokenBroker } from '../presence/tokens/broker';
import { GRAPH_SCOPES, OnBehalfOfExchanger, type ClientCredential } from '../presence/tokens/obo';
import { SsoTokenValidator } from '../presence/tokens/sso-validator';
import { mountSandbox, type Sandbox } from '../sandbox';
import type { AppConfig } from './config';
import { clientCredential } from './identity';
import { createLogger } from './log';

export interface RunningApp {
  readonly url: string;
  readonly config: AppConfig;
  readonly service: PresenceService;
  readonly tokens: GraphTokenBroker;
  readonly sandbox?: Sandbox;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
}

/** The composition root: builds the parts from the validated configuration and wires them to one restify server. */
export async function startServer(config: AppConfig, options: StartOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const server = restify.createServer({ name: 'teams-presence', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 256 * 1024 }));
  server.get('/healthz', (_req: restify.Request, res: restify.Response, next: restify.Next) => {
    res.json({ status: 'ok', mode: config.mode });
    next();
  });
  await new Promise<void>((resolve) => {
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  const sandbox = config.mode === 'sandbox' ? await mountSandbox(server, { baseUrl: url, appId: config.appId }) : undefined;
  const endpoints = endpointsFor(config, sandbox);

  const http = createHttp();
  const tokens = new GraphTokenBroker({
    validator: new SsoTokenValidator({
      clientId: config.appId,
      applicationIdUri: config.mode === 'production' ? config.applicationIdUri : undefined,
      authorityHost: endpoints.authorityHost,
      allowedTenants: config.allowedTenants,
    }),
    exchanger: new OnBehalfOfExchanger({ authorityHost: endpoints.authorityHost, clientId: config.appId, credential: endpoints.credential, scopes: GRAPH_SCOPES, http }),
    cacheSize: config.tokenCacheSize,
  });
  const service = new PresenceService({
    graph: new GraphPresenceClient({ baseUrl: endpoints.graphBaseUrl, http, logger }),
    tokens,
    appId: config.appId,
    logger,
    ledgerSize: config.tokenCacheSize,
  });

  registerBot(server, {
    auth: botAuth(config),
    service,
    logger,
    sso: sandbox
      ? { kind: 'issued', issue: (who) => sandbox.issuer.issueSsoToken(who), consentUrl: (who) => `${url}/sandbox/identity/consent?userId=${encodeURIComponent(who.userId)}` }
      : { kind: 'teams', connectionName: config.mode === 'production' ? config.oauthConnectionName : '' },
  });

  return {
    url,
    config,
    service,
    tokens,
    sandbox,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
    }),
  };
}

function botAuth(config: AppConfig): BotAuth {
  if (config.mode === 'sandbox') return { kind: 'none' };
  if (config.credential.kind === 'secret') return { kind: 'secret', appId: config.appId, password: config.credential.secret, appType: config.appType, tenantId: config.tenantId };
  return { kind: 'managedIdentity', clientId: config.credential.clientId, tenantId: config.tenantId };
}

/** Production talks to Entra and Graph; sandbox mode points the same code at the local stand-ins. */
function endpointsFor(config: AppConfig, sandbox?: Sandbox): { authorityHost: string; graphBaseUrl: string; credential: ClientCredential } {
  if (config.mode === 'production') return { authorityHost: config.authorityHost, graphBaseUrl: config.graphBaseUrl, credential: clientCredential(config.credential) };
  if (!sandbox) throw new Error('sandbox mode without a sandbox');
  return { authorityHost: sandbox.authorityHost, graphBaseUrl: sandbox.graphBaseUrl, credential: { kind: 'secret', secret: sandbox.clientSecret } };
}

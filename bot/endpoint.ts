import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Request, Response, Server } from 'restify';
import { AuthGuard } from '../edge/auth-guard';
import { BodyError, bodyLeftUnread, readJson } from '../edge/body';
import { requestSpan } from '../edge/trace-requests';
import type { Logger } from '../presence/log';
import { tracedLogger } from '../presence/telemetry';
import type { RecordStore } from '../presence/store';
import { ActivityProblem, localeOf, readActivity } from './activity';
import { messagesFor } from './messages';
import { PresenceBot, type PresenceBotOptions } from './presence-bot';
import { IssuedSso, TeamsSso } from './sso';
import { traceOf, withTrace } from './trace';
import type { Identity } from '../presence/tokens/identity';

/** How the Bot Framework authenticates this bot; no app ID means sandbox (no auth), only ever on loopback. */
export type BotAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'secret'; readonly appId: string; readonly password: string; readonly appType: 'MultiTenant' | 'SingleTenant'; readonly tenantId?: string }
  | { readonly kind: 'managedIdentity'; readonly clientId: string; readonly tenantId?: string };

export interface BotEndpointOptions {
  readonly auth: BotAuth;
  readonly adapter: BotAdapter;
  readonly service: PresenceBotOptions['service'];
  readonly logger: Logger;
  /** Sandbox: sign the sender's SSO token directly. Production: Teams SSO through this OAuth connection. */
  readonly sso:
    | { readonly kind: 'issued'; readonly issue: (who: Identity) => Promise<string>; readonly consentUrl: (who: Identity) => string }
    | { readonly kind: 'teams'; readonly connectionName: string };
  /** The transient store shared by every instance: Teams SSO exchange claims and commands waiting for sign-in. */
  readonly transient: RecordStore;
  /** Answers 429 to an address that keeps failing to authenticate, before its next token is looked at. */
  readonly authGuard: AuthGuard;
  readonly now?: () => number;
}

/** Bot Framework activities are small; Teams caps a message at about 28 KB. */
const MAX_ACTIVITY_BYTES = 256 * 1024;
const BEARER = /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/;

/** CloudAdapter, with the turn run on a request this endpoint has already authenticated and checked. */
class CheckedAdapter extends CloudAdapter {
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  run(auth: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

class Unauthorized extends Error {}

/**
 * Mounts the bot on POST /api/messages. In this order, each step refusing before the next costs anything:
 * an address that keeps failing is answered 429; production requires a bearer token's shape (401); the body
 * is read with a cap and only as JSON (413, 415, 400); the Bot Framework token is validated against the
 * activity's channel and service URL, which is why the body comes first (401); every field the bot reads is
 * checked (400); then the turn runs. Refusals carry no internals, and log one line.
 */
/** The bot's adapter: turns on /api/messages, and proactive messages (bot/proactive.ts) outside them. */
export function createBotAdapter(auth: BotAuth, logger: Logger): BotAdapter {
  const adapter = new CheckedAdapter(new ConfigurationBotFrameworkAuthentication(authSettings(auth)));
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const correlationId = randomUUID();
    tracedLogger(logger, traceOf(context)).error('unhandled turn error', { correlationId, error, activityType: context.activity.type });
    const m = messagesFor(localeOf(context.activity));
    await context.sendActivity(`${m.errors.internal({})} ${m.correlation(correlationId)}`);
  };
  return adapter;
}

export type BotAdapter = CheckedAdapter;

/** The app ID the bot acts as in proactive messages (any value with auth off, in sandbox mode). */
export function botAppId(auth: BotAuth, sandboxAppId: string): string {
  return auth.kind === 'secret' ? auth.appId : auth.kind === 'managedIdentity' ? auth.clientId : sandboxAppId;
}

export function registerBot(server: Server, options: BotEndpointOptions): PresenceBot {
  const { logger, authGuard, adapter } = options;
  const bot = new PresenceBot({
    service: options.service,
    ...ssoParts(options.sso, options.transient),
    logger,
    now: options.now,
  });
  const production = options.auth.kind !== 'none';
  server.post('/api/messages', async (req: Request, res: Response) => {
    const refuse = (status: number, reason: string, headers: Record<string, string> = {}, detail?: string) => {
      logger.info('bot request refused', { status, reason, ...(detail ? { detail } : {}) });
      res.writeHead(status, { 'content-type': 'application/json', ...headers, ...(bodyLeftUnread(req) ? { connection: 'close' } : {}) });
      res.end(JSON.stringify({ error: reason }));
    };
    const retryAfter = authGuard.begin(req);
    if (retryAfter > 0) return refuse(429, 'too many failed authentications', { 'retry-after': String(retryAfter) });
    const header = req.headers.authorization ?? '';
    let accepted = false;
    try {
      if (production && !BEARER.test(header)) throw new Unauthorized();
      const activity = readActivity(await readJson(req, MAX_ACTIVITY_BYTES));
      const auth = await adapter.authenticate(activity, header).catch((err: unknown) => {
        throw new Unauthorized(err instanceof Error ? err.name : 'unknown');
      });
      accepted = true;
      authGuard.settle(req, true);
      const trace = requestSpan(req);
      const invoke = await adapter.run(auth, activity, (context) => (withTrace(context, trace), bot.run(context)));
      res.writeHead(invoke?.status ?? 200, invoke?.body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(invoke?.body === undefined ? undefined : JSON.stringify(invoke.body));
    } catch (err) {
      // In production, whatever is refused before its token was accepted counts against its address.
      if (!accepted) authGuard.settle(req, !production);
      if (err instanceof Unauthorized) return refuse(401, 'unauthorized', { 'www-authenticate': 'Bearer' }, err.message);
      if (err instanceof BodyError) return refuse(err.status, `body: ${err.problem}`);
      if (err instanceof ActivityProblem) return refuse(400, `activity: ${err.field}`);
      const correlationId = randomUUID();
      tracedLogger(logger, requestSpan(req)).error('bot request failed', { correlationId, error: err });
      if (!res.headersSent) refuse(500, `internal error, reference ${correlationId}`);
    }
  });
  return bot;
}

function ssoParts(sso: BotEndpointOptions['sso'], store: RecordStore): Pick<PresenceBotOptions, 'sso' | 'teamsSso' | 'consentUrl'> {
  if (sso.kind === 'issued') return { sso: new IssuedSso(sso.issue), consentUrl: sso.consentUrl };
  const teamsSso = new TeamsSso({ store, connectionName: sso.connectionName, messages: messagesFor });
  return { sso: teamsSso, teamsSso };
}

function authSettings(auth: BotAuth): Record<string, string | undefined> {
  switch (auth.kind) {
    case 'none':
      return {};
    case 'secret':
      return { MicrosoftAppId: auth.appId, MicrosoftAppPassword: auth.password, MicrosoftAppType: auth.appType, MicrosoftAppTenantId: auth.tenantId };
    case 'managedIdentity':
      return { MicrosoftAppId: auth.clientId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: auth.tenantId };
  }
}

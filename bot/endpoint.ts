import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../presence/log';
import type { RecordStore } from '../presence/store';
import { messagesFor } from './messages';
import { PresenceBot, type PresenceBotOptions } from './presence-bot';
import { IssuedSso, TeamsSso } from './sso';
import type { Identity } from '../presence/tokens/identity';

/** How the Bot Framework authenticates this bot; no app ID means sandbox (no auth), only ever on loopback. */
export type BotAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'secret'; readonly appId: string; readonly password: string; readonly appType: 'MultiTenant' | 'SingleTenant'; readonly tenantId?: string }
  | { readonly kind: 'managedIdentity'; readonly clientId: string; readonly tenantId?: string };

export interface BotEndpointOptions {
  readonly auth: BotAuth;
  readonly service: PresenceBotOptions['service'];
  readonly logger: Logger;
  /** Sandbox: sign the sender's SSO token directly. Production: Teams SSO through this OAuth connection. */
  readonly sso: { readonly kind: 'issued'; readonly issue: (who: Identity) => Promise<string>; readonly consentUrl: (who: Identity) => string } | { readonly kind: 'teams'; readonly connectionName: string };
  /** The transient store shared by every instance: Teams SSO exchange claims and commands waiting for sign-in. */
  readonly transient: RecordStore;
  readonly now?: () => number;
}

/** Mounts the bot on POST /api/messages (CloudAdapter: Bot Framework authentication in production). */
export function registerBot(server: Server, options: BotEndpointOptions): PresenceBot {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(authSettings(options.auth)));
  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const correlationId = randomUUID();
    options.logger.error('unhandled turn error', { correlationId, error, activityType: context.activity.type });
    const m = messagesFor(context.activity.locale);
    await context.sendActivity(`${m.errors.internal({})} ${m.correlation(correlationId)}`);
  };
  const bot = new PresenceBot({
    service: options.service,
    ...ssoParts(options.sso, options.transient),
    logger: options.logger,
    now: options.now,
  });
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
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
    case 'none': return {};
    case 'secret': return { MicrosoftAppId: auth.appId, MicrosoftAppPassword: auth.password, MicrosoftAppType: auth.appType, MicrosoftAppTenantId: auth.tenantId };
    case 'managedIdentity': return { MicrosoftAppId: auth.clientId, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: auth.tenantId };
  }
}

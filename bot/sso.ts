import { CardFactory, CloudAdapterBase, type Storage, type TokenExchangeResource, type TurnContext } from 'botbuilder';
import type { UserTokenClient } from 'botframework-connector';
import type { Identity } from '../presence/tokens/identity';
import type { BotMessages } from './messages';

/** A command waiting for sign-in, replayed when the SSO token arrives. */
export interface PendingCommand {
  readonly text?: string;
  readonly value?: unknown;
}

/** Gets a Teams SSO token for the sender of a turn. */
export interface SsoSource {
  /**
   * The SSO token now, or undefined when an interactive sign-in has started: the token then arrives in a
   * `signin/tokenExchange` or `signin/verifyState` invoke, and the pending command resumes there.
   */
  acquire(context: TurnContext, who: Identity, pending: PendingCommand): Promise<string | undefined>;
}

/** Sandbox mode: the sandbox identity issuer signs the sender's SSO token directly (the Agents Playground has no SSO). */
export class IssuedSso implements SsoSource {
  constructor(private readonly issue: (who: Identity) => Promise<string>) {}

  acquire(_context: TurnContext, who: Identity): Promise<string> {
    return this.issue(who);
  }
}

/** The Bot Framework token service calls the Teams SSO flow needs (narrow, so tests can fake it). */
export interface BotTokenService {
  signInResource(context: TurnContext, connectionName: string): Promise<{ signInLink?: string; tokenExchangeResource?: TokenExchangeResource }>;
  userToken(context: TurnContext, connectionName: string, magicCode: string): Promise<string | undefined>;
}

export interface TeamsSsoOptions {
  readonly storage: Storage;
  readonly connectionName: string;
  readonly messages: (locale?: string) => BotMessages;
  readonly tokenService?: BotTokenService;
}

/** The token service behind CloudAdapter (its UserTokenClient on the turn). */
export const cloudTokenService: BotTokenService = {
  signInResource: (context, connectionName) => userTokenClient(context).getSignInResource(connectionName, context.activity, ''),
  async userToken(context, connectionName, magicCode) {
    const { activity } = context;
    const result = await userTokenClient(context).getUserToken(activity.from.id, connectionName, activity.channelId, magicCode);
    return result?.token;
  },
};

/**
 * Production: Teams bot SSO. An OAuth card with a token exchange resource makes Teams send the user's
 * SSO token silently (`signin/tokenExchange`); when that needs consent the bot answers 412 and Teams shows
 * the card's sign-in button (the fallback), which ends in `signin/verifyState`.
 */
export class TeamsSso implements SsoSource {
  constructor(private readonly options: TeamsSsoOptions) {}

  async acquire(context: TurnContext, who: Identity, pending: PendingCommand): Promise<undefined> {
    await this.options.storage.write({ [pendingKey(who)]: { ...pending, eTag: '*' } });
    const resource = await this.tokenService.signInResource(context, this.options.connectionName);
    const m = this.options.messages(context.activity.locale);
    await context.sendActivity({
      attachments: [CardFactory.oauthCard(this.options.connectionName, m.signIn.title, m.signIn.text, resource.signInLink, resource.tokenExchangeResource)],
    });
    return undefined;
  }

  /** The command that was waiting for this user's sign-in, if any; it is removed once taken. */
  async takePending(who: Identity): Promise<PendingCommand | undefined> {
    const key = pendingKey(who);
    const items = await this.options.storage.read([key]);
    const item = items[key] as (PendingCommand & { eTag?: string }) | undefined;
    if (!item) return undefined;
    await this.options.storage.delete([key]);
    return { text: item.text, value: item.value };
  }

  async restorePending(who: Identity, pending: PendingCommand): Promise<void> {
    await this.options.storage.write({ [pendingKey(who)]: { ...pending, eTag: '*' } });
  }

  /**
   * Each of a user's Teams clients (desktop, web, mobile) sends the same token exchange: the first claim wins.
   * Read-then-write with the stored eTag; a concurrent writer makes the write fail, which also means "taken".
   */
  async claimExchange(context: TurnContext, exchangeId: string): Promise<boolean> {
    const key = `sso-exchange/${context.activity.channelId}/${context.activity.conversation.id}/${exchangeId}`;
    const items = await this.options.storage.read([key]);
    if (items[key]) return false;
    try {
      await this.options.storage.write({ [key]: { claimedAt: Date.now() } });
      return true;
    } catch {
      return false;
    }
  }

  /** The token after the fallback sign-in (verifyState carries the magic code). */
  tokenFromMagicCode(context: TurnContext, magicCode: string): Promise<string | undefined> {
    return this.tokenService.userToken(context, this.options.connectionName, magicCode);
  }

  private get tokenService(): BotTokenService {
    return this.options.tokenService ?? cloudTokenService;
  }

  get connectionName(): string {
    return this.options.connectionName;
  }
}

function pendingKey(who: Identity): string {
  return `sso-pending/${who.tenantId}/${who.userId}`;
}

function userTokenClient(context: TurnContext): UserTokenClient {
  const adapter = context.adapter;
  const client = adapter instanceof CloudAdapterBase ? context.turnState.get<UserTokenClient | undefined>(adapter.UserTokenClientKey) : undefined;
  if (!client) throw new Error('No UserTokenClient on this turn');
  return client;
}

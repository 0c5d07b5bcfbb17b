import { localeOf } from './activity';
import { createHash } from 'node:crypto';
import { CardFactory, CloudAdapterBase, type TokenExchangeResource, type TurnContext } from 'botbuilder';
import type { UserTokenClient } from 'botframework-connector';
import { isStoreError, userPartition, type RecordStore, type StoreKey } from '../presence/store';
import type { Span } from '../presence/telemetry';
import type { Identity } from '../presence/tokens/identity';
import type { BotMessages } from './messages';
import { traceOf } from './trace';

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
  /** The transient store (presence/store.ts), shared by every instance: exchange claims and pending commands. */
  readonly store: RecordStore;
  readonly connectionName: string;
  readonly messages: (locale?: string) => BotMessages;
  readonly tokenService?: BotTokenService;
  readonly now?: () => number;
}

/** A command waits this long for its sign-in; then it is dropped (and swept). */
const PENDING_TTL_MS = 15 * 60_000;
/** Teams' clients send their exchanges within seconds of each other; the claim only has to outlive that. */
const CLAIM_TTL_MS = 10 * 60_000;

/** The token service behind CloudAdapter (its UserTokenClient on the turn). */
const cloudTokenService: BotTokenService = {
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
    await this.savePending(who, pending, traceOf(context));
    const resource = await this.tokenService.signInResource(context, this.options.connectionName);
    const m = this.options.messages(localeOf(context.activity));
    // One message, as every reply: the card, with its sentence as the notification's and the feed's preview.
    await context.sendActivity({
      summary: m.signIn.text,
      attachments: [CardFactory.oauthCard(this.options.connectionName, m.signIn.title, m.signIn.text, resource.signInLink, resource.tokenExchangeResource)],
    });
    return undefined;
  }

  /**
   * The command that was waiting for this user's sign-in, if any. Taking it is a delete with its ETag, so when
   * two instances take at once, exactly one gets it.
   */
  async takePending(who: Identity, trace?: Span): Promise<PendingCommand | undefined> {
    const key = pendingKey(who);
    const record = await this.options.store.read(key, { trace });
    if (!record) return undefined;
    try {
      if (!(await this.options.store.delete(key, record.etag, { trace }))) return undefined;
    } catch (err) {
      if (isStoreError(err, 'conflict')) return undefined;
      throw err;
    }
    return readPending(record.value);
  }

  restorePending(who: Identity, pending: PendingCommand, trace?: Span): Promise<void> {
    return this.savePending(who, pending, trace);
  }

  /**
   * Each of a user's Teams clients (desktop, web, mobile) sends the same token exchange, possibly to different
   * instances: the first claim wins. The claim is one create-if-absent write, atomic in the store, and it expires.
   */
  async claimExchange(context: TurnContext, who: Identity, exchangeId: string): Promise<boolean> {
    const { channelId, conversation } = context.activity;
    // The exchange's own ID and the conversation are Teams' strings: hashed, so any character is a valid key.
    const digest = createHash('sha256')
      .update(JSON.stringify([channelId, conversation.id, exchangeId]))
      .digest('base64url');
    try {
      await this.options.store.create(
        { partition: userPartition(who), row: `exchange-${digest}` },
        { claimedAt: new Date(this.now()).toISOString() },
        { expiresAt: new Date(this.now() + CLAIM_TTL_MS), trace: traceOf(context) },
      );
      return true;
    } catch (err) {
      if (isStoreError(err, 'conflict')) return false;
      throw err;
    }
  }

  /** The token after the fallback sign-in (verifyState carries the magic code). */
  tokenFromMagicCode(context: TurnContext, magicCode: string): Promise<string | undefined> {
    return this.tokenService.userToken(context, this.options.connectionName, magicCode);
  }

  private async savePending(who: Identity, pending: PendingCommand, trace: Span | undefined): Promise<void> {
    const options = { expiresAt: new Date(this.now() + PENDING_TTL_MS), trace };
    await this.options.store.upsert(pendingKey(who), { text: pending.text, value: pending.value }, options);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private get tokenService(): BotTokenService {
    return this.options.tokenService ?? cloudTokenService;
  }

  get connectionName(): string {
    return this.options.connectionName;
  }
}

function pendingKey(who: Identity): StoreKey {
  return { partition: userPartition(who), row: 'pending' };
}

function readPending(value: unknown): PendingCommand {
  const record = (typeof value === 'object' && value !== null ? value : {}) as { text?: unknown; value?: unknown };
  return { ...(typeof record.text === 'string' ? { text: record.text } : {}), ...(record.value !== undefined ? { value: record.value } : {}) };
}

function userTokenClient(context: TurnContext): UserTokenClient {
  const adapter = context.adapter;
  const client = adapter instanceof CloudAdapterBase ? context.turnState.get<UserTokenClient | undefined>(adapter.UserTokenClientKey) : undefined;
  if (!client) throw new Error('No UserTokenClient on this turn');
  return client;
}

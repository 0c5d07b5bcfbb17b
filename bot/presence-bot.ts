import { localeOf } from './activity';
import { randomUUID } from 'node:crypto';
import { TeamsActivityHandler, TurnContext, type InvokeResponse } from 'botbuilder';
import { asPresenceError, type PresenceError } from '../presence/errors';
import type { Logger } from '../presence/log';
import { tracedLogger } from '../presence/telemetry';
import type { UserContact } from '../presence/ledger';
import type { PresenceRequest } from '../presence/request';
import type { Credential, PresenceOutcome, PresenceService } from '../presence/service';
import type { Identity } from '../presence/tokens/identity';
import { card, heading, readCardAction, text, type AdaptiveCard } from './cards';
import { dateLocale } from '../i18n/languages';
import { messagesFor, type BotMessages } from './messages';
import { readDuration } from './duration-text';
import { parseCommand, type BotCommand, type ParseContext, type ParseResult } from './parse';
import { cardReply, errorReply, replyActivity, extendLimitReply, helpReply, outcomeReply, parseErrorReply, welcomeReply, type Reply } from './replies';
import type { PendingCommand, SsoSource, TeamsSso } from './sso';
import { traceOf } from './trace';

export interface PresenceBotOptions {
  readonly service: Pick<PresenceService, 'execute'>;
  /** Where the sender's SSO token comes from when no Graph token is cached. */
  readonly sso: SsoSource;
  /** Production only: answers Teams' signin/tokenExchange and signin/verifyState invokes. */
  readonly teamsSso?: TeamsSso;
  /** Sandbox only: a page where the sandbox user grants consent. */
  readonly consentUrl?: (who: Identity) => string;
  readonly logger: Logger;
  readonly messages?: (locale?: string) => BotMessages;
  readonly now?: () => number;
}

const SIGN_IN_INVOKES = new Set(['signin/tokenExchange', 'signin/verifyState']);
const NEEDS_SSO = new Set(['sso_required', 'token_expired']);

/** The chat front door: a command in, one presence request to the shared service, a card out. Acts only for the sender. */
export class PresenceBot extends TeamsActivityHandler {
  constructor(private readonly options: PresenceBotOptions) {
    super();
    this.onMessage(async (context, next) => {
      await this.onUserMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      if (context.activity.membersAdded?.some((member) => member.id === botId)) await this.send(context, welcomeReply(this.m(context)));
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (SIGN_IN_INVOKES.has(context.activity.name ?? '')) return this.onSignIn(context);
    if (context.activity.name === 'signin/failure' && this.options.teamsSso) return this.onSignInFailure(context);
    // Nothing else is invoked by this bot's cards or manifest; botbuilder's own handlers for the rest read their values unchecked.
    return { status: 501 };
  }

  private async onUserMessage(context: TurnContext): Promise<void> {
    const who = senderOf(context);
    if (!who) {
      await context.sendActivity(this.m(context).notATeamsUser);
      return;
    }
    const input: PendingCommand = { text: context.activity.text, value: context.activity.value as unknown };
    let failure = await this.perform(context, input, { kind: 'known', identity: who });
    if (failure && NEEDS_SSO.has(failure.code)) {
      const ssoToken = await this.options.sso.acquire(context, who, input);
      if (ssoToken === undefined) return; // an interactive sign-in has started; the command resumes after it
      failure = await this.perform(context, input, { kind: 'sso', ssoToken, expected: who });
    }
    if (failure) await this.replyError(context, who, failure);
  }

  /** Teams delivers the SSO token (or the fallback sign-in's magic code); the waiting command runs with it. */
  private async onSignIn(context: TurnContext): Promise<InvokeResponse> {
    const teams = this.options.teamsSso;
    const who = senderOf(context);
    if (!teams || !who) return { status: 404 };
    const value = (context.activity.value ?? {}) as { id?: unknown; token?: unknown; state?: unknown };
    const exchange = context.activity.name === 'signin/tokenExchange';
    let ssoToken: string | undefined;
    if (exchange) {
      if (typeof value.id !== 'string' || typeof value.token !== 'string') return { status: 400 };
      if (!(await teams.claimExchange(context, who, value.id))) return { status: 200 }; // another Teams client of this user got there first
      ssoToken = value.token;
    } else {
      ssoToken = typeof value.state === 'string' ? await teams.tokenFromMagicCode(context, value.state) : undefined;
      if (!ssoToken) return { status: 404 };
    }
    const pending = (await teams.takePending(who, traceOf(context))) ?? { text: 'status' };
    const failure = await this.perform(context, pending, { kind: 'sso', ssoToken, expected: who });
    if (failure && exchange && (failure.code === 'consent_required' || failure.code === 'unauthenticated' || failure.code === 'token_expired')) {
      await teams.restorePending(who, pending, traceOf(context));
      // 412 tells Teams the silent exchange failed: it shows the sign-in card's button instead.
      return { status: 412, body: { id: value.id, connectionName: teams.connectionName, failureDetail: failure.code } };
    }
    if (failure) await this.replyError(context, who, failure);
    return { status: 200, body: exchange ? { id: value.id, connectionName: teams.connectionName } : undefined };
  }

  /**
   * Teams could not get the SSO token (e.g. `resourcematchfailed`: the manifest's webApplicationInfo.resource, the
   * OAuth connection's Token Exchange URL and the Entra app's identifier URI differ). Teams' reason goes to the log
   * (it holds no token); the user gets a sentence and the reference, not silence.
   */
  private async onSignInFailure(context: TurnContext): Promise<InvokeResponse> {
    const value = (context.activity.value ?? {}) as { code?: unknown; message?: unknown };
    const correlationId = randomUUID();
    this.log(context).warn('teams sso failed', {
      correlationId,
      code: typeof value.code === 'string' ? value.code.slice(0, 100) : undefined,
      reason: typeof value.message === 'string' ? value.message.slice(0, 300) : undefined,
    });
    await context.sendActivity(this.m(context).signInFailed(correlationId));
    return { status: 200 };
  }

  /** Runs one command; returns the service's error (not yet told to the user) or undefined when it replied. */
  private async perform(context: TurnContext, input: PendingCommand, credential: Credential): Promise<PresenceError | undefined> {
    const m = this.m(context);
    const now = new Date((this.options.now ?? Date.now)());
    const parsed = toCommand(input, { now, timeZone: context.activity.localTimezone, language: m.lang });
    if (!parsed.ok) return void (await this.send(context, parseErrorReply(parsed.error, m)));
    if (parsed.command.type === 'help') return void (await this.send(context, helpReply(m)));
    if (parsed.command.type === 'letEnd') return void (await this.send(context, { text: m.reminder.letItEnd(m.stateLabel[parsed.command.state]) }));
    let outcome: PresenceOutcome;
    try {
      ({ outcome } = await this.options.service.execute(credential, toRequest(parsed.command), { contact: contactOf(context), trace: traceOf(context) }));
    } catch (err) {
      const failure = asPresenceError(err);
      if (parsed.command.type === 'extend' && failure.code === 'invalid_request' && failure.field === 'duration') {
        return void (await this.send(context, extendLimitReply(parsed.command.state, failure.limitMs, m)));
      }
      return failure;
    }
    // Outside the try: a reply that cannot be sent is the turn's failure, not a sign that the change did not happen.
    await this.send(
      context,
      outcomeReply(outcome, { m, now, timeZone: context.activity.localTimezone, locale: dateLocale(localeOf(context.activity), m.lang) }),
    );
    return undefined;
  }

  private async replyError(context: TurnContext, who: Identity, failure: PresenceError): Promise<void> {
    const m = this.m(context);
    const correlationId = randomUUID();
    const fields = { correlationId, code: failure.code, detail: failure.detail, activityId: context.activity.id };
    if (failure.unexpected) this.log(context).error('command failed', fields);
    else this.log(context).info('command refused', fields);
    if (failure.code === 'consent_required' && this.options.consentUrl) {
      await this.send(context, cardReply(consentCard(m, this.options.consentUrl(who))));
      return;
    }
    await this.send(context, errorReply(failure, m, correlationId));
  }

  private async send(context: TurnContext, reply: Reply): Promise<void> {
    await context.sendActivity(replyActivity(reply, this.m(context).lang));
  }

  /** The logger, its lines beside the turn's trace. */
  private log(context: TurnContext): Logger {
    return tracedLogger(this.options.logger, traceOf(context));
  }

  private m(context: TurnContext): BotMessages {
    return (this.options.messages ?? messagesFor)(localeOf(context.activity));
  }
}

/**
 * Where to reach the sender later (the next issue's reminders): the 1:1 conversation's reference, without the
 * per-turn activity ID (so an unchanged conversation is not rewritten on every turn), and the locale and time zone.
 * Group chats are not kept: a reminder belongs in the user's own chat with the bot.
 */
function contactOf(context: TurnContext): UserContact | undefined {
  const { activity } = context;
  const type = activity.conversation?.conversationType;
  if (type !== undefined && type !== 'personal') return undefined;
  const conversation: Record<string, unknown> = { ...TurnContext.getConversationReference(activity) };
  delete conversation.activityId;
  const locale = localeOf(activity);
  const timeZone = typeof activity.localTimezone === 'string' ? activity.localTimezone : undefined;
  return {
    conversation: JSON.parse(JSON.stringify(conversation)) as Record<string, unknown>,
    ...(locale ? { locale } : {}),
    ...(timeZone ? { timeZone } : {}),
  };
}

/** The sender, as the authenticated channel reports them: their Entra object ID and tenant. */
function senderOf(context: TurnContext): Identity | undefined {
  const { activity } = context;
  const userId = activity.from?.aadObjectId;
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const tenantId = activity.conversation?.tenantId ?? (typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : undefined);
  return userId && tenantId ? { userId, tenantId } : undefined;
}

function toCommand(input: PendingCommand, parsing: ParseContext): ParseResult {
  const { now, timeZone } = parsing;
  const action = readCardAction(input.value);
  if (!action) return parseCommand(input.text ?? '', parsing);
  // A suggested command is read as if typed now: "until 5pm" means today's 5 PM when clicked.
  if (action.type === 'run') return parseCommand(action.text, parsing);
  if (action.type === 'extendToEndOfDay') {
    const untilEod = readDuration(['until', 'eod'], { now, timeZone });
    if (typeof untilEod !== 'number') return { ok: false, error: { code: 'end_time_passed', state: action.state } };
    return { ok: true, command: { type: 'extendUntil', state: action.state, at: new Date(now.getTime() + untilEod) } };
  }
  return { ok: true, command: action };
}

function toRequest(command: Exclude<BotCommand, { type: 'help' | 'letEnd' }>): PresenceRequest {
  switch (command.type) {
    case 'set':
      return { kind: 'set', state: command.state, durationMs: command.durationMs, statusMessage: command.statusMessage };
    case 'extend':
      return { kind: 'extend', state: command.state, byMs: command.byMs, upToLimit: command.upToLimit };
    case 'extendUntil':
      return { kind: 'extend', state: command.state, at: command.at };
    case 'remind':
      return { kind: 'reminders', leadMs: command.leadMs };
    case 'reset':
      return { kind: 'clear', target: 'both' };
    case 'status':
      return { kind: 'read' };
    case 'forget':
      return { kind: 'forget' };
    case 'schedule':
      return { kind: 'plan', state: command.state, startAt: command.startAt, endAt: command.endAt, statusMessage: command.statusMessage };
    case 'listSchedule':
      return { kind: 'planned' };
    case 'cancelScheduled':
      return { kind: 'unplan', id: command.id };
  }
}

function consentCard(m: BotMessages, url: string): AdaptiveCard {
  return card(m.consent.text, [heading(m.consent.title), text(m.consent.text)], [{ type: 'Action.OpenUrl', title: m.consent.button, url }]);
}

import type { CloudAdapter, ConversationReference } from 'botbuilder';
import { FinalJobFailure } from '../presence/jobs';
import type { UserContact } from '../presence/ledger';
import type { Reminder, ReminderNotifier } from '../presence/reminders';
import type { TimerNotice, TimerNotifier } from '../presence/timers';
import { dateLocale } from '../i18n/languages';
import { messagesFor, type BotMessages } from './messages';
import { reminderReply, replyActivity, timerNoticeReply, type Reply } from './replies';

export interface ChatNotifierOptions {
  readonly adapter: CloudAdapter;
  /** The bot's app ID: continueConversationAsync acts as this bot (any value in sandbox mode, where auth is off). */
  readonly botAppId: string;
  readonly now: () => number;
  readonly messages?: (locale?: string) => BotMessages;
}

/**
 * What the timers tell the user, as proactive messages in their 1:1 chat with the bot: the stored conversation
 * reference, outside any turn, from whichever instance runs the job. A card's buttons come back as ordinary turns,
 * with the user's own token.
 */
export class ChatNotifier implements ReminderNotifier, TimerNotifier {
  constructor(private readonly options: ChatNotifierOptions) {}

  remind(contact: UserContact, reminder: Reminder): Promise<void> {
    return this.send(contact, (m) =>
      reminderReply(reminder.state, reminder.expiresAt, {
        m,
        now: new Date(this.options.now()),
        timeZone: contact.timeZone,
        locale: dateLocale(contact.locale, m.lang),
      }),
    );
  }

  notify(contact: UserContact, notice: TimerNotice): Promise<void> {
    return this.send(contact, (m) => timerNoticeReply(notice, m));
  }

  private async send(contact: UserContact, reply: (m: BotMessages) => Reply): Promise<void> {
    const m = (this.options.messages ?? messagesFor)(contact.locale);
    const activity = replyActivity(reply(m), m.lang);
    const reference = contact.conversation as Partial<ConversationReference>;
    try {
      await this.options.adapter.continueConversationAsync(this.options.botAppId, reference, async (context) => {
        await context.sendActivity(activity);
      });
    } catch (err) {
      // 403 and 404: the bot was removed from the chat, or the conversation is gone. Asking again cannot help.
      const status = (err as { statusCode?: unknown }).statusCode;
      if (status === 403 || status === 404) throw new FinalJobFailure(`the chat answered ${status}`);
      throw err;
    }
  }
}

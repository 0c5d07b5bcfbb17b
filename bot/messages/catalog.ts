import type { PresenceErrorCode } from '../../presence/errors';
import type { StateName } from '../../presence/model';
import type { Language } from '../../i18n/languages';
import type { ClearPart, PresenceSource, SetPart } from '../../presence/service';

/**
 * Every sentence the bot says, in one catalog per language (bot/messages/<language>.ts). Code elsewhere picks an
 * entry and passes values; it never builds a sentence itself.
 */
export interface BotMessages {
  /** BCP 47 tag of the catalog's language: the Adaptive Card's `lang` and the locale of its dates. */
  lang: Language;
  stateLabel: Record<StateName, string>;
  availabilityLabel: (availability: string, activity: string) => string;
  sourceLabel: Record<PresenceSource, string>;
  /** A status set: the card's first sentence and the reply's summary. */
  statusSet: (state: string, when: string) => string;
  defaultDuration: (howLong: string) => string;
  statusMessage: (message: string) => string;
  /** The heading of a session state that people do not see: what they see instead. */
  peopleSee: (shown: string) => string;
  shadowed: (state: string, when: string, shown: string) => string;
  resetTitle: string;
  resetDone: string;
  /** After a reset, what Teams shows now (read once the clears were done). */
  resetShows: (label: string) => string;
  statusNow: (label: string, source: string) => string;
  /** One status this app set and that is running: when it ends. */
  statusAppSet: (state: string, when: string) => string;
  statusNothingSet: string;
  /** Graph changed, but the app's record of it could not be written (the store is down). */
  notRecorded: (correlationId: string) => string;
  /** The app's record could not be read: what it set, and until when, is unknown. */
  recordUnreadable: (correlationId: string) => string;
  /** A reset that cleared some of what it should, not all (`partial` says what not). */
  resetPartly: string;
  /** What did not happen, as a clause for `partial`, by the command and its part. */
  notDone: { set: Record<SetPart, string>; cleared: Record<ClearPart, string> };
  /** One sentence: what did not happen (clauses from `notDone`, joined by `list`), and references for unexpected failures. */
  partial: (notDone: string, references?: string) => string;
  list: (items: readonly string[]) => string;
  forgotten: (records: number) => string;
  help: { title: string; intro: string; examples: readonly (readonly [string, string])[]; durations: string; footer: string };
  welcome: { title: string; intro: string };
  didYouMean: (suggestion: string) => string;
  /** The reminder setting after "remind …": `lead` is when ("10 minutes"). */
  remindersOn: (lead: string, shortest: string) => string;
  remindersOff: string;
  badReminder: (min: string, max: string) => string;
  /** The proactive reminder card: its heading, sentence ("… ends at 5:00 PM, in 10 minutes.") and the reply to "Let it end". */
  reminder: { title: (state: string) => string; text: (state: string, when: string, inHowLong: string) => string; letItEnd: (state: string) => string };
  /** "+1 hour" would pass the state's limit: nothing changed; a button offers the longest allowed. */
  extendPastLimit: (state: string, max: string) => string;
  /** What comes back when the status set now ends (an earlier one it replaced). */
  comesBack: (state: string, when: string) => string;
  /** Statuses planned ahead ("dnd tomorrow 9-11", "schedule", "cancel"): `span` is a formatted time range. */
  plans: {
    title: string;
    added: (state: string, span: string) => string;
    item: (state: string, span: string, message?: string) => string;
    none: string;
    /** After a change, what else is planned. */
    others: string;
    cancelled: (state: string, span: string) => string;
    nothingToCancel: string;
    cancelButton: (state: string, from: string) => string;
    /** In "status": the next planned one, and how many more. */
    next: (state: string, span: string, more: number) => string;
  };
  /** What the timers tell the user when they could not do their work (presence/timers.ts). */
  timers: {
    signedOut: { title: string; text: string; button: string };
    failed: { renew: (state: string) => string; restore: (state: string) => string; start: string };
  };
  unknownCommand: string;
  badDuration: (state: string) => string;
  /** As badDuration, naming the words that were not understood, as typed. */
  badDurationPart: (state: string, unread: string) => string;
  durationOutOfRange: (state: string, min: string, max: string) => string;
  statusMessageTooLong: (max: number) => string;
  /** "till eod" or "until lunch" after that time today. */
  endTimePassed: (state: string) => string;
  /** "set me to …" with something that is no state; `typed` is what followed. */
  unknownState: (typed: string) => string;
  /** Words that start like a planned status ("from 2pm", "9-11") but can't be read as one, or end before they start. */
  badSchedule: (state: string) => string;
  /** A planned range of today that is already over ("busy 9-11" at noon). */
  schedulePassed: (state: string) => string;
  /** A planned status starting further ahead than `max` allows. */
  scheduleTooFar: (state: string, max: string) => string;
  notATeamsUser: string;
  signIn: { title: string; text: string; button: string };
  /** Teams could not get an SSO token silently (signin/failure); the reference is in the log with Teams' reason. */
  signInFailed: (correlationId: string) => string;
  consent: { title: string; text: string; button: string };
  errors: Record<PresenceErrorCode, (info: { retryAfterSeconds?: number; field?: string }) => string>;
  correlation: (id: string) => string;
  buttons: {
    plus30: string;
    untilEndOfDay: string;
    letItEnd: string;
    reset: string;
    extend: string;
    longest: (max: string) => string;
    schedule: string;
    available: string;
    busy: string;
    dnd: string;
    status: string;
    help: string;
  };
  durations: { minutes: (n: number) => string; hours: (n: number) => string; days: (n: number) => string };
}

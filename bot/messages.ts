import type { PresenceErrorCode } from '../presence/errors';
import type { StateName } from '../presence/model';
import type { ClearPart, PresenceSource, SetPart } from '../presence/service';

/**
 * Every sentence the bot says, in one catalog per language (English now). Code elsewhere picks an
 * entry and passes values; it never builds a sentence itself.
 */
export interface BotMessages {
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

/** What people see, by Graph's availability/activity pair. */
const AVAILABILITY_LABELS: Readonly<Record<string, string>> = {
  'Available/Available': 'Available',
  'Available/AvailableInactive': 'Available (inactive)',
  'AvailableIdle/Available': 'Available (idle)',
  'Busy/Busy': 'Busy',
  'Busy/InACall': 'In a call',
  'Busy/InAConferenceCall': 'In a conference call',
  'Busy/InAMeeting': 'In a meeting',
  'BusyIdle/Busy': 'Busy (idle)',
  'DoNotDisturb/DoNotDisturb': 'Do not disturb',
  'DoNotDisturb/Presenting': 'Presenting',
  'DoNotDisturb/UrgentInterruptionsOnly': 'Urgent interruptions only',
  'BeRightBack/BeRightBack': 'Be right back',
  'Away/Away': 'Away',
  'Away/OutOfOffice': 'Out of office',
  'Offline/OffWork': 'Appear offline',
  'Offline/Offline': 'Offline',
  'Offline/OutOfOffice': 'Out of office',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const en: BotMessages = {
  stateLabel: {
    Available: 'Available',
    Busy: 'Busy',
    DoNotDisturb: 'Do not disturb',
    BeRightBack: 'Be right back',
    Away: 'Appear away',
    AppearOffline: 'Appear offline',
    InACall: 'In a call',
    InAConferenceCall: 'In a conference call',
    Presenting: 'Presenting',
  },
  availabilityLabel: (availability, activity) =>
    AVAILABILITY_LABELS[`${availability}/${activity}`] ?? (availability === 'PresenceUnknown' ? 'Unknown' : availability),
  sourceLabel: { preferred: 'set by this app', app: 'set by this app', teams: 'from your Teams activity', unknown: 'set by this app or by Teams' },
  statusSet: (state, when) => `Your status is ${state} until ${when}.`,
  defaultDuration: (howLong) => `No duration given, so Teams' default applies: ${howLong}.`,
  statusMessage: (message) => `Status message: "${message}".`,
  peopleSee: (shown) => `People see ${shown}`,
  shadowed: (state, when, shown) =>
    `${state} is set until ${when}, but people see ${shown}: the status you chose outranks what an app sets. Reset to show ${state}.`,
  resetTitle: 'Status reset',
  resetDone: 'Your status follows your Teams activity again.',
  resetShows: (label) => `People see ${label} now.`,
  statusNow: (label, source) => `Your status is ${label}, ${source}.`,
  statusAppSet: (state, when) => `${state} ends at ${when}.`,
  statusNothingSet: 'This app has set nothing for you right now.',
  notRecorded: (id) => `Your status is set in Teams, but this app couldn't save its end time, so "status" may not know when it ends. Reference: ${id}`,
  recordUnreadable: (id) => `This app couldn't read its records just now, so it can't say what it set or until when. Reference: ${id}`,
  resetPartly: 'Only part of your status was reset.',
  notDone: {
    set: {
      statusMessage: "your status message wasn't set",
      confirm: "Teams couldn't confirm that people see it (a preferred status would outrank it)",
      previousMessage: 'the status message you set with your previous status is still showing',
    },
    cleared: {
      preferred: "your preferred status wasn't cleared",
      session: "this app's call or presenting status wasn't cleared",
      statusMessage: "your status message wasn't cleared",
    },
  },
  partial: (notDone, references) => `But ${notDone}${references ? ` (if it keeps happening, give your admin this reference: ${references})` : ''}.`,
  list: (items) => new Intl.ListFormat('en', { type: 'conjunction' }).format(items),
  forgotten: (records) =>
    records === 0
      ? 'This app had nothing stored about you. Your Teams status is unchanged.'
      : `Done: this app deleted everything it stored about you (${plural(records, 'record', 'records')}). Your Teams status is unchanged; type "reset" to clear what is set.`,
  help: {
    title: 'Set your Teams status',
    intro: 'Tell me what to show and for how long. I only change your own status.',
    examples: [
      ['dnd 8h', 'Do not disturb for 8 hours'],
      ['busy until 5pm', 'Busy until 5 PM your time'],
      ['dnd 2h "deep work"', 'Do not disturb for 2 hours, with a status message'],
      ['available 30m · brb · away · offline', 'Available, Be right back, Appear away, Appear offline'],
      ['call 1h · conference · presenting', 'In a call, in a conference call, presenting (5 minutes to 24 hours)'],
      ['dnd tomorrow 9-11', 'Plan a status ahead: busy 14:00-16:00, dnd from 2pm for 1h'],
      ['schedule', 'What is planned, with a cancel button for each'],
      ['cancel', 'Cancel the next planned status'],
      ['reset', 'Go back to your normal Teams status'],
      ['status', 'What you show now, and until when'],
      ['remind', 'A reminder 10 minutes before a status you set ends; remind 5m, remind off'],
      ['forget me', 'Delete everything this app stored about you'],
    ],
    durations:
      'Durations: 30m, 2 hours, 1h30m, 90 (minutes), half a day, 5pm, until 17:00, until tomorrow, until monday, till eod. A status message after it: dnd 2h focus.',
    footer: 'Teams can take a few minutes to show a change everywhere.',
  },
  welcome: { title: 'Hi! I set your Teams status for you.', intro: 'Try "dnd 8h" for eight quiet hours, or "reset" to go back.' },
  didYouMean: (suggestion) => `I didn't catch that. Did you mean "${suggestion}"?`,
  remindersOn: (lead, shortest) =>
    `I'll remind you ${lead} before a status you set from now on ends, for statuses of ${shortest} or more. "remind off" stops it.`,
  remindersOff: 'Reminders are off. "remind 10m" turns them on again.',
  badReminder: (min, max) => `A reminder can come ${min} to ${max} before the end, or "remind off". Nothing was changed.`,
  reminder: {
    title: (state) => `${state} ends soon`,
    text: (state, when, inHowLong) => `${state} ends at ${when}, in ${inHowLong}.`,
    letItEnd: (state) => `OK, ${state} ends as planned.`,
  },
  extendPastLimit: (state, max) => `${state} can be set for at most ${max} from now, so it wasn't extended.`,
  comesBack: (state, when) => `Then ${state} comes back until ${when}.`,
  plans: {
    title: 'Planned',
    added: (state, span) => `${state} is planned for ${span}.`,
    item: (state, span, message) => `${state}: ${span}${message ? `, "${message}"` : ''}`,
    none: 'Nothing is planned. Try "dnd tomorrow 9-11".',
    others: 'Also planned:',
    cancelled: (state, span) => `Cancelled: ${state}, ${span}.`,
    nothingToCancel: 'Nothing is planned, so there was nothing to cancel.',
    cancelButton: (state, from) => `Cancel ${state}, ${from}`,
    next: (state, span, more) => `Planned next: ${state}, ${span}${more ? `, and ${plural(more, 'more', 'more')}` : ''}.`,
  },
  timers: {
    signedOut: {
      title: 'Sign in again',
      button: 'Sign in again',
      text: 'Your sign-in to this app has expired or was withdrawn, so I cancelled what I was going to do for you later: planned statuses, statuses that would come back, and renewals. Your status now is unchanged. Send me any command to sign in again.',
    },
    failed: {
      renew: (state) => `I couldn't keep ${state} going past Teams' 4-hour limit, so it may end early.`,
      restore: (state) => `I couldn't bring ${state} back, so your status follows your Teams activity.`,
      start: "I couldn't start a status you planned, so your status is unchanged.",
    },
  },
  unknownCommand: "I didn't catch that. Here is what I understand:",
  badDuration: (state) => `I couldn't read how long to set ${state}. Try "8h", "30 min", "1h30m", "90" (minutes) or "until 5pm".`,
  durationOutOfRange: (state, min, max) => `${state} can be set for ${min} to ${max}. Nothing was changed.`,
  statusMessageTooLong: (max) => `A status message can be at most ${max} characters. Nothing was changed.`,
  endTimePassed: (state) => `That time has already passed today, so ${state} wasn't set. Try "until tomorrow", "until 5pm" or a duration like "2h".`,
  unknownState: (typed) => `I can set your status, but not to "${typed}". Try dnd, busy, away, brb, available or offline.`,
  badSchedule: (state) => `I couldn't read when to plan ${state}. Try "tomorrow 9-11", "2pm-4pm" or "from 2pm for 1h".`,
  schedulePassed: (state) => `That time has already passed today, so ${state} wasn't planned. For tomorrow, say tomorrow first, like "dnd tomorrow 9-11".`,
  scheduleTooFar: (state, max) => `${state} can be planned at most ${max} ahead. Nothing was planned.`,
  notATeamsUser: 'I can only change the status of a signed-in Microsoft 365 user in Teams.',
  signIn: { title: 'Sign in', text: 'Sign in once so I can change your Teams status.', button: 'Sign in' },
  signInFailed: (id) =>
    `Teams couldn't sign you in to this app, so your status was not changed. Please try again; if it keeps happening, give your admin this reference: ${id}`,
  consent: {
    title: 'Permission needed',
    text: 'To change your status I need your permission to read and write your presence (Presence.ReadWrite).',
    button: 'Grant permission',
  },
  errors: {
    unauthenticated: () => "I couldn't verify your sign-in. Please try again.",
    sso_required: () => 'Please sign in first.',
    tenant_not_allowed: () => 'This app is not enabled for your organization.',
    consent_required: () => 'I need your permission to change your status.',
    token_expired: () => 'Your sign-in expired. Please try again.',
    forbidden: () => 'Microsoft Teams did not allow this app to change your status. Your admin may need to grant the Presence.ReadWrite permission.',
    rate_limited: ({ retryAfterSeconds }) => `That's more commands than I can take at once. Please wait ${retryAfterSeconds ?? 30} seconds and try again.`,
    throttled: ({ retryAfterSeconds }) => `Teams is busy right now. Please try again in ${retryAfterSeconds ?? 30} seconds.`,
    invalid_request: ({ field }) =>
      field === 'startAt'
        ? 'A status can be planned to start within the next 7 days. Nothing was changed.'
        : field === 'timers'
          ? "This app isn't set up here to keep a status past Teams' 4 hours or to plan one ahead: your admin can turn that on. Nothing was changed."
          : field === 'planned'
            ? 'You have planned as many statuses as I can keep. Cancel one first ("schedule" lists them).'
            : field
              ? `That request isn't valid (${field}). Nothing was changed.`
              : 'Teams rejected that request. Nothing was changed.',
    graph_unavailable: () => "Sorry, Microsoft Teams isn't answering right now, so your status was not changed.",
    identity_unavailable: () => "Sorry, sign-in isn't working right now, so your status was not changed.",
    storage_unavailable: () => "Sorry, this app's storage isn't answering right now, so nothing was changed. Please try again later.",
    internal: () => 'Sorry, something went wrong on our side and your status was not changed.',
  },
  correlation: (id) => `If it keeps happening, give your admin this reference: ${id}`,
  buttons: {
    plus30: '+30 minutes',
    untilEndOfDay: 'Until end of day',
    letItEnd: 'Let it end',
    reset: 'Reset',
    extend: '+1 hour',
    longest: (max) => `${max} from now`,
    schedule: 'Schedule',
    available: 'Available',
    busy: 'Busy',
    dnd: 'Do not disturb',
    status: 'Status',
    help: 'Help',
  },
  durations: {
    minutes: (n) => plural(n, 'minute', 'minutes'),
    hours: (n) => plural(n, 'hour', 'hours'),
    days: (n) => plural(n, 'day', 'days'),
  },
};

/** The catalog for a locale; English until more languages arrive. */
export function messagesFor(_locale?: string): BotMessages {
  return en;
}

import type { StateName } from '../../presence/model';
import type { ClearPart, SetPart } from '../../presence/service';
import type { ApiErrorCode, PresenceSource } from '../api/contract';

/**
 * The codes the tab's API reports, plus the failures the page itself can meet on the way. `token_expired`
 * is not among them: the page asks Teams for a fresh token and tries once more, and a second refusal is `unauthenticated`.
 */
export type TabErrorCode =
  | Exclude<ApiErrorCode, 'token_expired'>
  /** getAuthToken failed: Teams could not sign the user in to this app. */
  | 'sso_failed'
  /** fetch failed or timed out: no answer from the app's server. */
  | 'network';

/** A choice in the duration picker. */
export type DurationChoice = 'm30' | 'h1' | 'h2' | 'today' | 'week' | 'custom' | 'until';

export interface CountdownParts {
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/**
 * Every sentence the tab shows or announces, in one catalog per language (English now), like the
 * bot's. Code elsewhere picks an entry and passes values; it never builds a sentence itself. Dates
 * and times are formatted with Intl in the user's locale and passed in.
 */
export interface TabMessages {
  /** BCP 47 language of this catalog: the page's `lang`. */
  readonly lang: string;
  readonly documentTitle: string;
  readonly heading: string;
  readonly loading: string;
  readonly unavailable: string;
  readonly stateLabel: Readonly<Record<StateName, string>>;
  readonly availabilityLabel: (availability: string, activity: string) => string;
  readonly sourceLabel: Readonly<Record<PresenceSource, string>>;
  readonly ends: (when: string) => string;
  readonly countdown: (left: CountdownParts) => string;
  readonly noEnd: string;
  readonly alsoSet: (state: string, when: string) => string;
  /** Under the status now: the earlier status of this app's that comes back when it ends, and until when. */
  readonly comesBack: (state: string, when: string) => string;
  readonly statusMessage: (message: string) => string;
  readonly changeHeading: string;
  readonly durationLegend: string;
  readonly durationChoice: Readonly<Record<DurationChoice, string>>;
  readonly customHours: string;
  readonly customMinutes: string;
  readonly untilLabel: string;
  readonly messageLabel: string;
  readonly messageHint: (max: number) => string;
  readonly preferredHeading: string;
  readonly sessionHeading: string;
  readonly sessionHint: (min: string, max: string) => string;
  readonly reset: string;
  readonly resetHint: string;
  readonly reminderLabel: string;
  readonly reminderHint: string;
  readonly reminderOff: string;
  /** A choice of the reminder select: `lead` is "5 minutes". */
  readonly reminderLead: (lead: string, isDefault: boolean) => string;
  readonly working: string;
  readonly plansHeading: string;
  readonly noPlans: string;
  /** A planned status in the list: `from` and `to` are formatted times. */
  readonly planItem: (state: string, from: string, to: string) => string;
  readonly cancelPlan: string;
  /** The Cancel button's accessible name: `item` is planItem's text. */
  readonly cancelPlanLabel: (item: string) => string;
  readonly planHeading: string;
  readonly planHint: (max: string) => string;
  readonly planStateLabel: string;
  readonly planStartLabel: string;
  readonly planEndLabel: string;
  readonly planMessageLabel: string;
  readonly planButton: string;
  readonly announce: {
    readonly set: (state: string, when: string, message?: string) => string;
    readonly shadowed: (state: string, shown: string) => string;
    readonly reset: string;
    /** A reset that cleared some of what it should, not all (`partial` says what not). */
    readonly resetPartly: string;
    readonly changed: (label: string) => string;
    /** What did not happen: clauses from `notDone`, joined by `list`. */
    readonly partial: (notDone: string) => string;
    /** The change is made in Teams, but this app could not record it. */
    readonly notRecorded: string;
    /** The reminder setting after a change: `lead` is "5 minutes". */
    readonly reminders: (lead: string) => string;
    readonly remindersOff: string;
    readonly planned: (state: string, from: string, to: string) => string;
    readonly planCancelled: (state: string, from: string, to: string) => string;
    /** A cancel that found nothing to cancel: the plan started or was cancelled elsewhere meanwhile. */
    readonly notPlanned: string;
  };
  readonly notDone: { readonly set: Readonly<Record<SetPart, string>>; readonly cleared: Readonly<Record<ClearPart, string>> };
  readonly list: (items: readonly string[]) => string;
  readonly invalid: {
    readonly customDuration: string;
    readonly until: string;
    readonly outOfRange: (state: string, min: string, max: string) => string;
    readonly messageTooLong: (max: number) => string;
    readonly planStart: (max: string) => string;
    readonly planEnd: string;
    readonly planOutOfRange: (state: string, min: string, max: string) => string;
    readonly tooManyPlans: string;
  };
  readonly errors: Readonly<Record<TabErrorCode, (info: { readonly retryAfterSeconds?: number }) => string>>;
  readonly correlation: (id: string) => string;
  readonly retry: string;
  readonly consentButton: string;
  readonly notInTeams: string;
  readonly durations: { readonly minutes: (n: number) => string; readonly hours: (n: number) => string; readonly days: (n: number) => string };
  readonly authStart: { readonly title: string; readonly redirecting: string; readonly invalid: string };
  readonly authEnd: { readonly title: string; readonly done: string; readonly failed: string; readonly standalone: string };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

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

export const en: TabMessages = {
  lang: 'en',
  documentTitle: 'Your Teams status',
  heading: 'Your status',
  loading: 'Checking your status…',
  unavailable: 'Your status can’t be shown right now.',
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
  sourceLabel: {
    preferred: 'Set by this app as your preferred status',
    app: 'Set by this app for a call or presentation',
    teams: 'Set by Teams from your activity',
    unknown: 'Set by this app or by Teams (this app could not read its records just now)',
  },
  ends: (when) => `Ends ${when}`,
  countdown: ({ days, hours, minutes, seconds }) => {
    if (days > 0) return `${days} d ${hours} h left`;
    if (hours > 0) return `${hours} h ${minutes} min left`;
    if (minutes > 0) return `${minutes} min ${seconds} s left`;
    return `${seconds} s left`;
  },
  noEnd: 'No end time: it follows what you do in Teams.',
  alsoSet: (state, when) => `This app also set ${state} until ${when}. Your status above outranks it.`,
  comesBack: (state, when) => `Then ${state} comes back until ${when}.`,
  statusMessage: (message) => `“${message}”`,
  changeHeading: 'Change your status',
  durationLegend: 'For how long',
  durationChoice: {
    m30: '30 minutes',
    h1: '1 hour',
    h2: '2 hours',
    today: 'Today',
    week: 'This week',
    custom: 'Custom duration',
    until: 'Until a time',
  },
  customHours: 'Hours',
  customMinutes: 'Minutes',
  untilLabel: 'Ends at',
  messageLabel: 'Status message (optional)',
  messageHint: (max) => `Shown with your status and cleared when it ends. Up to ${max} characters.`,
  preferredHeading: 'Status',
  sessionHeading: 'In a call or presenting',
  sessionHint: (min, max) => `These last ${min} to ${max}. A status set above outranks them.`,
  reset: 'Reset status',
  resetHint: 'Clears what this app set, so Teams shows your activity again.',
  reminderLabel: 'Remind me before a status ends',
  reminderHint: 'A message in your chat with this app, for a status you set with an end time.',
  reminderOff: 'Off',
  reminderLead: (lead, isDefault) => (isDefault ? `${lead} (default)` : lead),
  working: 'Working…',
  plansHeading: 'Planned',
  noPlans: 'Nothing is planned.',
  planItem: (state, from, to) => `${state}: ${from} to ${to}`,
  cancelPlan: 'Cancel',
  cancelPlanLabel: (item) => `Cancel ${item}`,
  planHeading: 'Plan a status',
  planHint: (max) => `This app sets it at the start, until the end, as if you set it then. It can start up to ${max} ahead.`,
  planStateLabel: 'Status',
  planStartLabel: 'Start',
  planEndLabel: 'End',
  planMessageLabel: 'Message (optional)',
  planButton: 'Plan',
  announce: {
    set: (state, when, message) => (message ? `${state} is set until ${when}, with the status message “${message}”.` : `${state} is set until ${when}.`),
    shadowed: (state, shown) => `${state} is set, but people see ${shown}: your preferred status outranks it. Reset to show ${state}.`,
    reset: 'Status reset. Teams shows your activity again.',
    resetPartly: 'Status reset only in part.',
    changed: (label) => `Your status is now ${label}.`,
    partial: (notDone) => `But ${notDone}.`,
    notRecorded: 'This app couldn’t save the change, so this page may not show what it set or until when.',
    reminders: (lead) => `Reminders ${lead} before the end.`,
    remindersOff: 'Reminders are off.',
    planned: (state, from, to) => `${state} is planned from ${from} to ${to}.`,
    planCancelled: (state, from, to) => `Cancelled: ${state} from ${from} to ${to}.`,
    notPlanned: 'That was no longer planned: it has started or was cancelled already.',
  },
  notDone: {
    set: {
      statusMessage: 'your status message wasn’t set',
      confirm: 'Teams couldn’t confirm that people see it (a status set above would outrank it)',
      previousMessage: 'the status message set with your previous status is still showing',
    },
    cleared: {
      preferred: 'your status wasn’t cleared',
      session: 'your call or presenting status wasn’t cleared',
      statusMessage: 'your status message wasn’t cleared',
    },
  },
  list: (items) => new Intl.ListFormat('en', { type: 'conjunction' }).format(items),
  invalid: {
    customDuration: 'Enter how long, at least 1 minute. Nothing was changed.',
    until: 'Pick an end time in the future. Nothing was changed.',
    outOfRange: (state, min, max) => `${state} can be set for ${min} to ${max}. Nothing was changed.`,
    messageTooLong: (max) => `A status message can be at most ${max} characters. Nothing was changed.`,
    planStart: (max) => `Pick a start in the future, at most ${max} ahead. Nothing was planned.`,
    planEnd: 'Pick an end after the start. Nothing was planned.',
    planOutOfRange: (state, min, max) => `${state} can be planned for ${min} to ${max}. Nothing was planned.`,
    tooManyPlans: 'You have planned as many statuses as this app keeps. Cancel one first. Nothing was planned.',
  },
  errors: {
    unauthenticated: () => 'Teams couldn’t confirm your sign-in. Try again.',
    tenant_not_allowed: () => 'This app isn’t enabled for your organization.',
    consent_required: () => 'To show and change your status, this app needs your permission to read and write your presence (Presence.ReadWrite).',
    forbidden: () => 'Teams didn’t allow this app to change your status. Your admin may need to grant the Presence.ReadWrite permission.',
    rate_limited: ({ retryAfterSeconds }) => `That's more changes than this app takes at once. Try again in ${retryAfterSeconds ?? 30} seconds.`,
    throttled: ({ retryAfterSeconds }) => `Teams is busy right now. Try again in ${retryAfterSeconds ?? 30} seconds.`,
    invalid_request: () => 'Teams didn’t accept that request. Nothing was changed.',
    graph_unavailable: () => 'Teams isn’t answering right now, so nothing was changed. Try again in a minute.',
    identity_unavailable: () => 'Sign-in isn’t working right now, so nothing was changed. Try again in a minute.',
    storage_unavailable: () => 'This app’s storage isn’t answering right now. Try again in a minute.',
    internal: () => 'Something went wrong on our side and nothing was changed.',
    sso_failed: () => 'Teams couldn’t sign you in to this app. Try again.',
    network: () => 'The app didn’t answer. Check your connection and try again.',
  },
  correlation: (id) => `If it keeps happening, give your admin this reference: ${id}`,
  retry: 'Try again',
  consentButton: 'Grant permission',
  notInTeams: 'Open this page from the Presence app in Microsoft Teams.',
  durations: {
    minutes: (n) => plural(n, 'minute', 'minutes'),
    hours: (n) => plural(n, 'hour', 'hours'),
    days: (n) => plural(n, 'day', 'days'),
  },
  authStart: {
    title: 'Permission',
    redirecting: 'Opening the permission page…',
    invalid: 'This permission link isn’t valid. Close this window and try again from the app.',
  },
  authEnd: {
    title: 'Permission',
    done: 'Done. This window closes by itself.',
    failed: 'Permission wasn’t granted. Close this window and try again from the app.',
    standalone: 'You can close this window.',
  },
};

/** The catalog for a locale; English until more languages arrive. */
export function messagesFor(_locale?: string): TabMessages {
  return en;
}

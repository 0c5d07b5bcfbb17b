import { availabilityLabel } from '../../i18n/labels';
import { labels } from '../../i18n/en';
import { countOf } from '../../i18n/plural';
import type { BotMessages } from './catalog';

export const en: BotMessages = {
  lang: 'en',
  stateLabel: labels.stateLabel,
  availabilityLabel: (availability, activity) => availabilityLabel(labels, availability, activity),
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
  // The reference is a sentence of its own: a part may end in parentheses already, and two in a row read badly.
  partial: (notDone, references) => `But ${notDone}.${references ? ` If it keeps happening, give your admin this reference: ${references}.` : ''}`,
  list: labels.list,
  forgotten: (records) =>
    records === 0
      ? 'This app had nothing stored about you. Your Teams status is unchanged.'
      : `Done: this app deleted everything it stored about you (${countOf('en', records, { one: 'record', other: 'records' })}). Your Teams status is unchanged; type "reset" to clear what is set.`,
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
    next: (state, span, more) => `Planned next: ${state}, ${span}${more ? `, and ${more} more` : ''}.`,
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
  badDurationPart: (state, unread) => `I couldn't read "${unread}" as how long to set ${state}. Try "8h", "30 min", "1h30m", "90" (minutes) or "until 5pm".`,
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
  durations: labels.durations,
};

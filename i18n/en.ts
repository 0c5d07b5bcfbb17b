import { listIn, type Labels } from './labels';
import { countOf } from './plural';

export const labels: Labels = {
  language: 'en',
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
  availability: {
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
  },
  unknownAvailability: 'Unknown',
  durations: {
    minutes: (n) => countOf('en', n, { one: 'minute', other: 'minutes' }),
    hours: (n) => countOf('en', n, { one: 'hour', other: 'hours' }),
    days: (n) => countOf('en', n, { one: 'day', other: 'days' }),
  },
  list: (items) => listIn('en', items),
};

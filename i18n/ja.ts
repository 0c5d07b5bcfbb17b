import { listIn, type Labels } from './labels';
import { countOf } from './plural';

/** Japanese: the labels Teams shows (連絡可能, 取り込み中, 応答不可, …); numbers and units with a space, as Microsoft writes them ("30 分"). */
export const labels: Labels = {
  language: 'ja',
  stateLabel: {
    Available: '連絡可能',
    Busy: '取り込み中',
    DoNotDisturb: '応答不可',
    BeRightBack: '一時退席中',
    Away: '退席中表示',
    AppearOffline: 'オフライン表示',
    InACall: '通話中',
    InAConferenceCall: '電話会議中',
    Presenting: '発表中',
  },
  availability: {
    'Available/Available': '連絡可能',
    'Available/AvailableInactive': '連絡可能 (非アクティブ)',
    'AvailableIdle/Available': '連絡可能 (アイドル)',
    'Busy/Busy': '取り込み中',
    'Busy/InACall': '通話中',
    'Busy/InAConferenceCall': '電話会議中',
    'Busy/InAMeeting': '会議中',
    'BusyIdle/Busy': '取り込み中 (アイドル)',
    'DoNotDisturb/DoNotDisturb': '応答不可',
    'DoNotDisturb/Presenting': '発表中',
    'DoNotDisturb/UrgentInterruptionsOnly': '緊急の通知のみ',
    'BeRightBack/BeRightBack': '一時退席中',
    'Away/Away': '退席中',
    'Away/OutOfOffice': '不在',
    'Offline/OffWork': 'オフライン表示',
    'Offline/Offline': 'オフライン',
    'Offline/OutOfOffice': '不在',
  },
  unknownAvailability: '不明',
  durations: {
    minutes: (n) => countOf('ja', n, { other: '{n} 分' }),
    hours: (n) => countOf('ja', n, { other: '{n} 時間' }),
    days: (n) => countOf('ja', n, { other: '{n} 日' }),
  },
  list: (items) => listIn('ja', items),
};

import { listIn, type Labels } from './labels';
import { countOf } from './plural';

/** Russian: the state names Teams shows in Russian (Доступен, Занят, Не беспокоить, Скоро вернусь, Отошел, Не в сети). */
export const labels: Labels = {
  language: 'ru',
  stateLabel: {
    Available: 'Доступен',
    Busy: 'Занят',
    DoNotDisturb: 'Не беспокоить',
    BeRightBack: 'Скоро вернусь',
    Away: 'Отошел',
    AppearOffline: 'Не в сети',
    InACall: 'В звонке',
    InAConferenceCall: 'В конференц-звонке',
    Presenting: 'Идет презентация',
  },
  availability: {
    'Available/Available': 'Доступен',
    'Available/AvailableInactive': 'Доступен (неактивен)',
    'AvailableIdle/Available': 'Доступен (бездействует)',
    'Busy/Busy': 'Занят',
    'Busy/InACall': 'В звонке',
    'Busy/InAConferenceCall': 'В конференц-звонке',
    'Busy/InAMeeting': 'На собрании',
    'BusyIdle/Busy': 'Занят (бездействует)',
    'DoNotDisturb/DoNotDisturb': 'Не беспокоить',
    'DoNotDisturb/Presenting': 'Идет презентация',
    'DoNotDisturb/UrgentInterruptionsOnly': 'Только срочные уведомления',
    'BeRightBack/BeRightBack': 'Скоро вернусь',
    'Away/Away': 'Отошел',
    'Away/OutOfOffice': 'Нет на работе',
    'Offline/OffWork': 'Не в сети',
    'Offline/Offline': 'Не в сети',
    'Offline/OutOfOffice': 'Нет на работе',
  },
  unknownAvailability: 'Неизвестно',
  // The nominative ("1 минута", "2 минуты", "5 минут"); inAccusative and inGenitive give the other cases sentences need.
  durations: {
    minutes: (n) => countOf('ru', n, { one: 'минута', few: 'минуты', many: 'минут', other: 'минуты' }),
    hours: (n) => countOf('ru', n, { one: 'час', few: 'часа', many: 'часов', other: 'часа' }),
    days: (n) => countOf('ru', n, { one: 'день', few: 'дня', many: 'дней', other: 'дня' }),
  },
  list: (items) => listIn('ru', items),
};

/** A unit word of `durations` (Cyrillic letters around it are part of another word). */
const UNIT_WORD = /(?<![а-яё])(минута|минуты|минут|час|часа|часов|день|дня|дней)(?![а-яё])/gu;

const ACCUSATIVE: Readonly<Record<string, string>> = { минута: 'минуту' };
const GENITIVE: Readonly<Record<string, string>> = {
  минута: 'минуты',
  минуты: 'минут',
  час: 'часа',
  часа: 'часов',
  день: 'дня',
  дня: 'дней',
};

/**
 * A duration from `durations` after "на", "за", "через" ("через 1 минуту"): only the feminine singular changes, since
 * час and день are inanimate masculine and the other forms already are the genitive that numbers take.
 */
export function inAccusative(span: string): string {
  return span.replace(UNIT_WORD, (word) => ACCUSATIVE[word] ?? word);
}

/** A duration from `durations` after "от", "до", "более" ("от 1 минуты до 24 часов"): one form for each nominative one. */
export function inGenitive(span: string): string {
  return span.replace(UNIT_WORD, (word) => GENITIVE[word] ?? word);
}

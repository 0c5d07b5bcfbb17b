/**
 * The chat command parser in Russian (language 'ru'), one row per phrasing: the text, the context (fixed now,
 * optional time zone) and the exact result. Durations to end times are worked out by hand in the comments.
 */
import assert from 'node:assert/strict';
import { parseCommand } from '../../bot/parse';
import { ru as messages } from '../../bot/messages/ru';
import type { CommandKey } from '../../bot/words/catalog';
import { ru } from '../../bot/words/ru';
import {
  DAY,
  HOUR,
  MIN,
  badDuration,
  badReminder,
  badSchedule,
  command,
  outOfRange,
  passed,
  plan,
  remind,
  row,
  schedulePassed,
  set,
  tooFar,
  type Row,
  unknown,
  unknownState,
  commandOf,
} from './rows';

/** Thursday 2026-01-15 15:00 UTC; 18:00 in Moscow (UTC+3, no daylight saving), 07:00 in Los Angeles. */
const NOW = '2026-01-15T15:00:00.000Z';
const MOSCOW = { timeZone: 'Europe/Moscow' };
const LA = { timeZone: 'America/Los_Angeles' };

const reset = command({ type: 'reset' });
const status = command({ type: 'status' });
const help = command({ type: 'help' });
const forget = command({ type: 'forget' });
const listSchedule = command({ type: 'listSchedule' });
const cancel = command({ type: 'cancelScheduled' });

const ROWS: readonly Row[] = [
  // Every state, in Teams' words and the ways people type them (feminine forms, ё or е, colloquial).
  row('не беспокоить', set('DoNotDisturb')),
  row('не мешать', set('DoNotDisturb')),
  row('занят', set('Busy')),
  row('занята', set('Busy')),
  row('на встрече', set('Busy')),
  row('доступен', set('Available')),
  row('доступна 15 минут', set('Available', 15 * MIN)),
  row('в сети', set('Available')),
  row('скоро вернусь', set('BeRightBack')),
  row('вернусь через 10 минут', set('BeRightBack', 10 * MIN)),
  row('отошел', set('Away')),
  row('Отошёл 20 мин', set('Away', 20 * MIN)),
  row('отошла', set('Away')),
  row('на обеде', set('Away')),
  row('не в сети', set('AppearOffline')),
  row('офлайн 2 дня', set('AppearOffline', 2 * DAY)),
  row('звонок 1ч', set('InACall', HOUR)),
  row('на созвоне', set('InACall')),
  row('конференция 45 мин', set('InAConferenceCall', 45 * MIN)),
  row('конференц-звонок 1ч', set('InAConferenceCall', HOUR)),
  row('презентация 30м', set('Presenting', 30 * MIN)),
  row('провожу презентацию 1ч', set('Presenting', HOUR)),

  // Durations in Russian word forms: 1 час, 2 часа, 5 часов; "на" before a span; halves; glued units.
  row('не беспокоить 8ч', set('DoNotDisturb', 8 * HOUR)),
  row('не беспокоить 8 часов', set('DoNotDisturb', 8 * HOUR)),
  row('Не Беспокоить 8Ч', set('DoNotDisturb', 8 * HOUR)),
  row('занят 2 часа', set('Busy', 2 * HOUR)),
  row('занят 1 час', set('Busy', HOUR)),
  row('занят 30 минут', set('Busy', 30 * MIN)),
  row('занят 1 минуту', set('Busy', MIN)),
  row('занят 3 минуты', set('Busy', 3 * MIN)),
  row('занят на 2 часа', set('Busy', 2 * HOUR)),
  row('занят на час', set('Busy', HOUR)),
  row('не беспокоить на два часа', set('DoNotDisturb', 2 * HOUR)),
  row('занят полчаса', set('Busy', 30 * MIN)),
  row('занят полтора часа', set('Busy', 90 * MIN)),
  row('занят 1,5 часа', set('Busy', 90 * MIN)), // the decimal comma
  row('занят 1ч30м', set('Busy', 90 * MIN)),
  row('занят 1 час 30 минут', set('Busy', 90 * MIN)),
  row('занят пару часов', set('Busy', 2 * HOUR)),
  row('занят полдня', set('Busy', 4 * HOUR)), // a working half day, as "half a day"
  row('не беспокоить на неделю', set('DoNotDisturb', 7 * DAY)),
  row('не беспокоить на сутки', set('DoNotDisturb', DAY)),
  row('dnd 2 часа', set('DoNotDisturb', 2 * HOUR)), // an English command with a Russian duration

  // Bounds and garbage: preferred 1 minute..7 days, a session 5 minutes..24 hours; seconds are no unit.
  row('не беспокоить 2 недели', outOfRange('DoNotDisturb')),
  row('занят 9д', outOfRange('Busy')),
  row('звонок 25ч', outOfRange('InACall')),
  row('звонок 4 мин', outOfRange('InACall')),
  row('занят 30 секунд', badDuration('Busy')),
  row('занят банан', badDuration('Busy', 'банан')),

  // End times, UTC (now 15:00 Thursday).
  row('занят до 17:00', set('Busy', 2 * HOUR)),
  row('занят до 17', set('Busy', 2 * HOUR)),
  row('занят до 17 часов', set('Busy', 2 * HOUR)),
  row('занят до 5 вечера', set('Busy', 2 * HOUR)),
  row('занят до 4 дня', set('Busy', HOUR)), // "4 дня" after "до" is 16:00, not four days
  row('не беспокоить до 9 утра', set('DoNotDisturb', 18 * HOUR)), // 09:00 has passed: tomorrow's
  row('занят до 25:00', badDuration('Busy')),
  row('не в сети до завтра', set('AppearOffline', 18 * HOUR)), // a day without a time: 09:00
  row('не беспокоить до завтра 9:00', set('DoNotDisturb', 18 * HOUR)),
  row('не беспокоить до завтра в 8:30', set('DoNotDisturb', 17.5 * HOUR)),
  row('занят завтра до 12:00', set('Busy', 21 * HOUR)),
  row('занят сегодня до 17:00', set('Busy', 2 * HOUR)),
  row('не беспокоить до конца дня', set('DoNotDisturb', 2 * HOUR)), // end of day is 17:00
  row('занят до обеда', passed('Busy')), // lunch is 12:00, today's
  row('не беспокоить до полуночи', set('DoNotDisturb', 9 * HOUR)),

  // End times in the user's zone.
  row('занят до 17:00', set('Busy', 23 * HOUR), MOSCOW), // 18:00 there: tomorrow's 17:00
  row('занят до 20:00', set('Busy', 2 * HOUR), MOSCOW),
  row('не беспокоить до 9 утра', set('DoNotDisturb', 15 * HOUR), MOSCOW),
  row('не беспокоить до конца дня', passed('DoNotDisturb'), MOSCOW),
  row('не беспокоить до завтра', set('DoNotDisturb', 26 * HOUR), LA), // 07:00 PST now, Friday 09:00 PST is 17:00 UTC

  // Weekdays: the next one after today, at 09:00 (Monday 01-19 09:00 is 4 days less 6 hours away).
  row('не беспокоить до понедельника', set('DoNotDisturb', 90 * HOUR)),
  row('не беспокоить до пн', set('DoNotDisturb', 90 * HOUR)),
  row('занят до пятницы', set('Busy', 18 * HOUR)),
  row('не беспокоить до вс', set('DoNotDisturb', 66 * HOUR)),
  row('не беспокоить до следующей недели', set('DoNotDisturb', 90 * HOUR)), // next Monday 09:00
  row('не беспокоить до следующего понедельника', set('DoNotDisturb', 90 * HOUR)),
  row('звонок до понедельника', outOfRange('InACall')),

  // Planned statuses: tomorrow is Friday 01-16.
  row('не беспокоить завтра 9-11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('занят завтра с 9 до 11', plan('Busy', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('занят завтра с 14:00 до 16:00', plan('Busy', '2026-01-16T14:00Z', '2026-01-16T16:00Z')),
  row('занят в понедельник с 9 до 11', plan('Busy', '2026-01-19T09:00Z', '2026-01-19T11:00Z')),
  row('не беспокоить в пт с 10:00 до 12:00', plan('DoNotDisturb', '2026-01-16T10:00Z', '2026-01-16T12:00Z')),
  row('не беспокоить завтра с 14:00 на 2 часа', plan('DoNotDisturb', '2026-01-16T14:00Z', '2026-01-16T16:00Z')),
  row('занят с 17 по 18', plan('Busy', '2026-01-15T17:00Z', '2026-01-15T18:00Z')),
  row('занят с 20:00 до 21:00', plan('Busy', '2026-01-15T17:00Z', '2026-01-15T18:00Z'), MOSCOW),
  row('не беспокоить завтра 9:00-11:00 «экзамен»', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z', 'экзамен')),
  row('занят с 14:00 до 16:00', set('Busy', HOUR)), // begun at 15:00: set now until 16:00
  row('занят 9-11', schedulePassed('Busy')),
  row('занят с 16 до 14', badSchedule('Busy')),
  row('занят в четверг с 16 до 17', tooFar('Busy')), // next Thursday 16:00 is 7 days and an hour away

  // Status messages: quoted in «», "" or unquoted after a duration, case kept.
  row('не беспокоить 2ч «работаю над отчетом»', set('DoNotDisturb', 2 * HOUR, 'работаю над отчетом')),
  row('не беспокоить 2ч "Deep work"', set('DoNotDisturb', 2 * HOUR, 'Deep work')),
  row('не беспокоить до понедельника «Болею»', set('DoNotDisturb', 90 * HOUR, 'Болею')),
  row('на встрече 1ч «планерка»', set('Busy', HOUR, 'планерка')),
  row('не беспокоить 2ч Пишу отчет', set('DoNotDisturb', 2 * HOUR, 'Пишу отчет')),
  row('не беспокоить 2ч я у врача, позвоните мне позже', set('DoNotDisturb', 2 * HOUR, 'я у врача, позвоните мне позже')), // request words only lead

  // Reset, status, help, forget, the schedule and cancel, with the words that may follow them.
  row('сбросить', reset),
  row('очистить', reset),
  row('сбросить мой статус пожалуйста', reset),
  row('сбросить всё', reset),
  row('сбросить 8ч', unknown()),
  row('статус', status),
  row('состояние', status),
  row('статус сейчас', status),
  row('статус?', status),
  row('справка', help),
  row('помощь', help),
  row('забудь меня', forget),
  row('удалить мои данные', forget),
  row('забудь', unknown()),
  row('расписание', listSchedule),
  row('что запланировано', listSchedule),
  row('отменить', cancel),
  row('отменить следующий', cancel),
  row('отменить все', unknown()), // never just the next one for "all"

  // Reminders: alone asks; a lead time ("за 5 минут"), off and on set it.
  row('напоминание', remind()),
  row('напомни за 5 минут', remind(5 * MIN)),
  row('напомни мне за 15 минут до конца', remind(15 * MIN)),
  row('напомнить за час', remind(HOUR)),
  row('напоминание выкл', remind(null)),
  row('напоминание вкл', remind(10 * MIN)),
  row('напоминание 2ч', badReminder),
  row('напоминание банан', badReminder),

  // Requests: "поставь мне …", "я …".
  row('поставь мне статус занят', set('Busy')),
  row('я на встрече', set('Busy')),
  row('я занята', set('Busy')),
  row('поставь мне не беспокоить на час', set('DoNotDisturb', HOUR)),
  row('поставь мне банан', unknownState('банан')),

  // English commands still work with language 'ru'.
  row('dnd 8h', set('DoNotDisturb', 8 * HOUR)),
  row('busy until 5pm', set('Busy', 2 * HOUR)),
  row('dnd tomorrow 9-11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('reset', reset),
  row('status', status),
  row('help', help),
  row('remind off', remind(null)),

  // Near misses suggest the Russian canonical word in place; English ones the English word.
  row('зант 2ч', unknown('занят 2ч')),
  row('не беспокоит 8ч', unknown('не беспокоить 8ч')),
  row('статсу', unknown('статус')),
  row('dnf 8h', unknown('dnd 8h')),
  row('bussy', unknown('busy')),
  row('привет', unknown()),

  // Emoji and @mentions as in English.
  row('🔴 2ч', set('DoNotDisturb', 2 * HOUR)),
  row('<at>Presence</at> занят 1ч', set('Busy', HOUR)),
];

describe('parseCommand in Russian', () => {
  it('has a table of at least 60 phrasings', () => {
    assert.ok(ROWS.length >= 60, `${ROWS.length} rows`);
  });

  for (const { text, want, now = NOW, timeZone } of ROWS) {
    it(`${JSON.stringify(text)}${timeZone ? ` in ${timeZone}` : ''}`, () => {
      assert.deepStrictEqual(parseCommand(text, { now: new Date(now), timeZone, language: 'ru' }), want);
    });
  }
});

describe('the Russian words', () => {
  it('parses each canonical command word (commands[key][0]) to its command', () => {
    for (const key of Object.keys(ru.commands) as CommandKey[]) {
      const word = ru.commands[key][0];
      assert.deepStrictEqual(parseCommand(word, { now: new Date(NOW), language: 'ru' }), { ok: true, command: commandOf(key) }, word);
    }
  });

  it('parses every word it lists as its own command', () => {
    for (const key of Object.keys(ru.commands) as CommandKey[]) {
      for (const word of ru.commands[key])
        assert.deepStrictEqual(parseCommand(word, { now: new Date(NOW), language: 'ru' }), { ok: true, command: commandOf(key) }, word);
    }
  });

  it('parses every command of the help card, as the help card shows it', () => {
    for (const [example] of messages.help.examples) {
      for (const text of example.split(' · ')) assert.ok(parseCommand(text, { now: new Date(NOW), language: 'ru' }).ok, text);
    }
  });
});

describe('parseCommand in Russian: the status message as typed', () => {
  const context = { now: new Date('2026-01-15T09:00:00.000Z'), timeZone: 'Europe/Moscow', language: 'ru' as const };
  it('keeps an unquoted message as typed, although some of its words are also duration words ("до завтра")', () => {
    const parsed = parseCommand('не беспокоить 2ч работаю до завтра', context);
    assert.ok(parsed.ok && parsed.command.type === 'set');
    assert.equal(parsed.command.statusMessage, 'работаю до завтра');
  });
  it('reads the duration after a quoted message ("не беспокоить «тишина» 1ч")', () => {
    assert.deepStrictEqual(parseCommand('не беспокоить «тишина» 1ч', context), {
      ok: true,
      command: { type: 'set', state: 'DoNotDisturb', durationMs: 3_600_000, statusMessage: 'тишина' },
    });
  });
});

/**
 * The chat command parser in Japanese (language 'ja'), one row per phrasing: the text, the context (fixed now, the
 * user's zone, Tokyo unless the row says otherwise) and the exact result. Durations to end times are worked out by
 * hand in the comments.
 */
import assert from 'node:assert/strict';
import { parseCommand } from '../../bot/parse';
import { ja as messages } from '../../bot/messages/ja';
import { ja } from '../../bot/words/ja';
import type { CommandKey } from '../../bot/words/catalog';
import { fold } from '../../bot/words/translate';
import {
  DAY,
  HOUR,
  MIN,
  badDuration,
  badReminder,
  badSchedule,
  is,
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
  commandOf,
} from './rows';

/** Thursday 2026-01-15 01:00 UTC: 10:00 on Thursday in Tokyo (UTC+9, no daylight saving), 17:00 on Wednesday in Los Angeles. */
const NOW = '2026-01-15T01:00:00.000Z';
/** 18:00 on Thursday in Tokyo: the end of the working day has passed. */
const EVENING = '2026-01-15T09:00:00.000Z';
const TOKYO = 'Asia/Tokyo';
const UTC = { timeZone: 'UTC' };
const LA = { timeZone: 'America/Los_Angeles' };

const ROWS: readonly Row[] = [
  // Every state in Teams' words and in the ways people type them, bare: the service applies its default.
  row('応答不可', set('DoNotDisturb')),
  row('集中モード', set('DoNotDisturb')),
  row('取り込み中', set('Busy')),
  row('取込み中', set('Busy')),
  row('会議中', set('Busy')), // like "in a meeting"
  row('連絡可能', set('Available')),
  row('オンライン', set('Available')),
  row('一時退席中', set('BeRightBack')),
  row('離席中', set('BeRightBack')),
  row('退席中表示', set('Away')),
  row('退席中', set('Away')),
  row('ランチ', set('Away')), // like "lunch": Away with Teams' default
  row('オフライン表示', set('AppearOffline')),
  row('オフライン', set('AppearOffline')),
  row('通話中', set('InACall')),
  row('電話会議中', set('InAConferenceCall')), // the longest word, not 電話 (a call)
  row('発表中', set('Presenting')),
  row('プレゼン中', set('Presenting')),

  // Durations: digits (half- or full-width) with units, with or without a space after the state; kanji numerals.
  row('応答不可 8時間', set('DoNotDisturb', 8 * HOUR)),
  row('応答不可8時間', set('DoNotDisturb', 8 * HOUR)),
  row('取り込み中 30分', set('Busy', 30 * MIN)),
  row('取り込み中 ２時間', set('Busy', 2 * HOUR)),
  row('取り込み中２時間', set('Busy', 2 * HOUR)),
  row('応答不可 1時間30分', set('DoNotDisturb', 90 * MIN)),
  row('応答不可 1時間半', set('DoNotDisturb', 90 * MIN)),
  row('応答不可 二時間', set('DoNotDisturb', 2 * HOUR)),
  row('一時退席中 十五分', set('BeRightBack', 15 * MIN)),
  row('応答不可 90', set('DoNotDisturb', 90 * MIN)), // a bare number is minutes, as in English
  row('オフライン表示 2日', set('AppearOffline', 2 * DAY)),
  row('退席中表示 1週間', set('Away', 7 * DAY)),
  row('応答不可 半日', set('DoNotDisturb', 4 * HOUR)), // a working half day
  row('取り込み中 30分ほど', set('Busy', 30 * MIN)),
  row('電話会議中 45分', set('InAConferenceCall', 45 * MIN)),
  row('発表中 24時間', set('Presenting', DAY)),

  // Japanese order: the state last, and the words around it that ask for nothing more.
  row('2時間応答不可', set('DoNotDisturb', 2 * HOUR)),
  row('2時間だけ応答不可にしてください', set('DoNotDisturb', 2 * HOUR)),
  row('応答不可にして', set('DoNotDisturb')),
  row('ステータスを取り込み中に変更して', set('Busy')),
  row('私は取り込み中です', set('Busy')),
  row('<at>Presence</at> 2時間応答不可', set('DoNotDisturb', 2 * HOUR)),

  // Out of range (preferred 1 minute to 7 days, call and presenting 5 minutes to 24 hours), and what reads as no duration.
  row('応答不可 8日', outOfRange('DoNotDisturb')),
  row('通話中 3分', outOfRange('InACall')),
  row('通話中 25時間', outOfRange('InACall')),
  row('応答不可 30秒', badDuration('DoNotDisturb')), // no status is set in seconds
  row('応答不可 バナナ', badDuration('DoNotDisturb', 'バナナ')),

  // End times in Tokyo, 10:00 on Thursday now.
  row('取り込み中 17時まで', set('Busy', 7 * HOUR)),
  row('17時まで取り込み中', set('Busy', 7 * HOUR)),
  row('応答不可 17:30まで', set('DoNotDisturb', 7.5 * HOUR)),
  row('取り込み中 17時半まで', set('Busy', 7.5 * HOUR)),
  row('取り込み中 午後5時まで', set('Busy', 7 * HOUR)),
  row('取り込み中 １７：００まで', set('Busy', 7 * HOUR)),
  row('取り込み中 9時まで', set('Busy', 11 * HOUR)), // 09:00 has passed: 21:00 comes first, as "until 9" in English
  row('取り込み中 17時までにして', set('Busy', 7 * HOUR)),
  row('応答不可 明日9時まで', set('DoNotDisturb', 23 * HOUR)), // Friday 09:00
  row('応答不可 明日の朝まで', set('DoNotDisturb', 23 * HOUR)), // a day without a time: 09:00
  row('オフライン表示 明日まで', set('AppearOffline', 23 * HOUR)),
  row('取り込み中 明日の午後3時まで', set('Busy', 29 * HOUR)),
  row('取り込み中 金曜まで', set('Busy', 23 * HOUR)), // tomorrow is Friday
  row('応答不可 月曜まで', set('DoNotDisturb', 95 * HOUR)), // Monday 01-19 09:00: 4 days less 1 hour
  row('応答不可 来週の月曜日まで', set('DoNotDisturb', 95 * HOUR)),
  row('退席中表示 来週まで', set('Away', 95 * HOUR)), // next week: Monday 09:00
  row('取り込み中 定時まで', set('Busy', 7 * HOUR)), // the end of the working day: 17:00
  row('取り込み中 今日いっぱい', set('Busy', 7 * HOUR)),
  row('退席中表示 お昼まで', set('Away', 2 * HOUR)), // lunch: 12:00
  row('応答不可 24時まで', set('DoNotDisturb', 14 * HOUR)), // the midnight that ends today
  row('応答不可 午前0時まで', set('DoNotDisturb', 14 * HOUR)),
  row('取り込み中 17時まで', set('Busy', 23 * HOUR), { now: EVENING }), // 17:00 has passed: tomorrow's
  row('取り込み中 定時まで', passed('Busy'), { now: EVENING }),
  row('取り込み中 17時まで', set('Busy', 16 * HOUR), UTC), // 01:00 in UTC now
  row('取り込み中 17時まで', set('Busy', DAY), LA), // 17:00 on Wednesday there now: Thursday's
  row('応答不可 月曜まで', set('DoNotDisturb', 4 * DAY + 16 * HOUR), LA), // Monday 09:00 PST, from Wednesday 17:00

  // Planned statuses: a day and a range, a start and a span; a range of today begun, over, or no range at all.
  row('応答不可 明日9時から11時', plan('DoNotDisturb', '2026-01-16T00:00Z', '2026-01-16T02:00Z')), // Friday 09:00-11:00 JST
  row('明日の9時から11時まで応答不可', plan('DoNotDisturb', '2026-01-16T00:00Z', '2026-01-16T02:00Z')),
  row('応答不可 明日9時〜11時', plan('DoNotDisturb', '2026-01-16T00:00Z', '2026-01-16T02:00Z')),
  row('応答不可 明日 9-11', plan('DoNotDisturb', '2026-01-16T00:00Z', '2026-01-16T02:00Z')),
  row('取り込み中 14時から16時', plan('Busy', '2026-01-15T05:00Z', '2026-01-15T07:00Z')),
  row('応答不可 明日14時から1時間', plan('DoNotDisturb', '2026-01-16T05:00Z', '2026-01-16T06:00Z')),
  row('応答不可 来週の月曜 9時から11時', plan('DoNotDisturb', '2026-01-19T00:00Z', '2026-01-19T02:00Z')),
  row('取り込み中 9時から11時', set('Busy', HOUR)), // begun at 09:00: set now until 11:00
  row('応答不可 8時から9時', schedulePassed('DoNotDisturb')),
  row('取り込み中 14時から', badSchedule('Busy')), // a start and no end
  row('応答不可 来週の木曜 11時から12時', tooFar('DoNotDisturb')), // 7 days and 1 hour ahead

  // Status messages: quoted (ASCII, curly or full-width quotes) and unquoted after a duration, kept as typed.
  row('応答不可 2時間 "集中作業"', set('DoNotDisturb', 2 * HOUR, '集中作業')),
  row('応答不可 2時間 “資料作成”', set('DoNotDisturb', 2 * HOUR, '資料作成')),
  row('応答不可 ＂集中＂ 1時間', set('DoNotDisturb', HOUR, '集中')),
  row('応答不可 2時間 "明日9時まで"', set('DoNotDisturb', 2 * HOUR, '明日9時まで')), // words of the list, untouched
  row('2時間応答不可 "集中"', set('DoNotDisturb', 2 * HOUR, '集中')),
  row('応答不可 明日9時から11時 "レビュー"', plan('DoNotDisturb', '2026-01-16T00:00Z', '2026-01-16T02:00Z', 'レビュー')),
  row('応答不可 2時間 資料作成', set('DoNotDisturb', 2 * HOUR, '資料作成')),
  row('取り込み中 1時間 会議中', set('Busy', HOUR, '会議中')), // as typed, though 会議中 is a word of the list

  // Reset, status, help, forget me, the schedule and cancel, with the words after them that ask for nothing more.
  row('リセット', is('reset')),
  row('リセットして', is('reset')),
  row('状態のリセット', is('reset')),
  row('状態', is('status')),
  row('ステータス', is('status')),
  row('状態を教えて', is('status')),
  row('ヘルプ', is('help')),
  row('使い方', is('help')),
  row('データを削除', is('forget')),
  row('予定', is('listSchedule')),
  row('予定を表示', is('listSchedule')),
  row('キャンセル', is('cancelScheduled')),
  row('予定をキャンセル', is('cancelScheduled')),
  row('リセット 8時間', unknown()), // a command word typed right, with words that do not follow it: no "did you mean"

  // Reminders.
  row('リマインド', remind()),
  row('リマインド 5分', remind(5 * MIN)),
  row('リマインド 10分前', remind(10 * MIN)),
  row('5分前にリマインド', remind(5 * MIN)),
  row('リマインドオフ', remind(null)),
  row('リマインドをオフにして', remind(null)),
  row('リマインド オン', remind(10 * MIN)), // the default lead
  row('リマインド 2時間', badReminder),

  // English commands work in Japanese too (people copy them from help pages).
  row('dnd 8h', set('DoNotDisturb', 8 * HOUR)),
  row('busy until 5pm', set('Busy', 7 * HOUR)),
  row('dnd tomorrow 9-11', plan('DoNotDisturb', '2026-01-16T00:00Z', '2026-01-16T02:00Z')),
  row('reset', is('reset')),
  row('help', is('help')),
  row('remind off', remind(null)),

  // Near misses suggest the canonical Japanese word, with the rest when that parses; English ones the English word.
  row('取り込み忠 2時間', unknown('取り込み中 2時間')),
  row('応答不加', unknown('応答不可')),
  row('キャンセラ', unknown('キャンセル')),
  row('スケジュル', unknown('予定')), // the canonical word of the schedule, not the word typed nearly
  row('dnf 8h', unknown('dnd 8h')),
  row('こんにちは', unknown()),
  row('バナナ', unknown()),
];

describe('parseCommand in Japanese', () => {
  it('has a table of at least 60 phrasings', () => {
    assert.ok(ROWS.length >= 60, `${ROWS.length} rows`);
  });

  for (const { text, want, now = NOW, timeZone = TOKYO } of ROWS) {
    const where = [now === NOW ? '' : `at ${now}`, timeZone === TOKYO ? '' : `in ${timeZone}`].filter(Boolean).join(' ');
    it(`${JSON.stringify(text)}${where ? ` ${where}` : ''}`, () => {
      assert.deepStrictEqual(parseCommand(text, { now: new Date(now), timeZone, language: 'ja' }), want);
    });
  }
});

describe('the Japanese words', () => {
  const context = { now: new Date(NOW), timeZone: TOKYO, language: 'ja' } as const;

  it('parse each canonical command word (commands[key][0]) to its command', () => {
    for (const [key, words] of Object.entries(ja.commands) as [CommandKey, readonly string[]][]) {
      assert.deepStrictEqual(parseCommand(words[0] ?? '', context), { ok: true, command: commandOf(key) }, words[0]);
    }
  });

  it('parse every command word, not only the canonical one, to its command', () => {
    for (const [key, words] of Object.entries(ja.commands) as [CommandKey, readonly string[]][]) {
      for (const word of words) assert.deepStrictEqual(parseCommand(word, context), { ok: true, command: commandOf(key) }, word);
    }
  });

  it('hold no word twice (folded): a second entry would silently replace the first', () => {
    const all = [...Object.values(ja.commands).flat(), ...ja.words.map(([from]) => from)].map((w) => fold(w).replace(/\s+/g, ' '));
    const twice = all.filter((w, i) => all.indexOf(w) !== i);
    assert.deepStrictEqual(twice, []);
  });

  it('list only Japanese script, so no English text is read differently in Japanese', () => {
    const latin = [...Object.values(ja.commands).flat(), ...ja.words.map(([from]) => from)].filter((w) => /[A-Za-z]/.test(w));
    assert.deepStrictEqual(latin, []);
  });

  it("parse every command of the help card's examples, and those its texts suggest", () => {
    const suggested = [
      ...messages.help.examples.flatMap(([typed]) => typed.split(' · ')),
      // From the examples' descriptions, the durations line and the replies that name a command.
      '取り込み中 14時から16時',
      '応答不可 14時から1時間',
      '応答不可 14時～16時',
      '応答不可 8時間',
      'リセット',
      'リマインド 5分',
      'リマインド オフ',
      'リマインド 10分',
      ...['30分', '2時間', '1時間30分', '90', '半日', '17時まで', '17:30まで', '明日まで', '明日9時まで', '月曜まで', '定時まで', '2時間 資料作成'].map(
        (d) => `応答不可 ${d}`,
      ),
    ];
    for (const text of suggested) {
      const parsed = parseCommand(text, context);
      assert.ok(parsed.ok, `${text}: ${JSON.stringify(parsed)}`);
    }
  });
});

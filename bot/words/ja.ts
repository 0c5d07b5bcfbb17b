import type { CommandKey, ParserWords } from './catalog';

/**
 * Japanese: Teams' own words first (連絡可能, 取り込み中, 応答不可, 一時退席中, 退席中表示, オフライン表示, 通話中, 電話会議中,
 * 発表中). Japanese is written without spaces and puts what qualifies before what it qualifies ("17時まで", "2時間応答不可"),
 * so most of the work is in the rewrites below, which turn clock forms, durations and word order into the parser's English
 * before the words are looked up. Only Japanese script is listed: Latin text is left to the English parser as typed.
 */
const commands: Readonly<Record<CommandKey, readonly [string, ...string[]]>> = {
  dnd: ['応答不可', '集中モード', '邪魔しないで', '話しかけないで'],
  busy: ['取り込み中', '取込み中', '取込中', 'とりこみ中', 'ビジー', '多忙', '会議中', '打ち合わせ中', '作業中'],
  available: ['連絡可能', '連絡可', '在席中', '在席', 'オンライン', '対応可能'],
  brb: ['一時退席中', '一時退席', 'すぐ戻ります', 'すぐ戻る', '離席中', '離席', '休憩中', '休憩'],
  // Lunch is Away without a duration, as in English: how long lunch lasts is the user's to say.
  away: ['退席中表示', '退席中', '退席', '不在', '外出中', 'ランチ', 'ランチ中', '昼休み', '昼食中', 'お昼'],
  offline: ['オフライン表示', 'オフライン'],
  call: ['通話中', '電話中', '通話', '電話'],
  conference: ['電話会議中', '電話会議', '会議通話中', '会議通話'],
  presenting: ['発表中', 'プレゼン中', '画面共有中', '発表', 'プレゼン'],
  reset: ['リセット', '状態のリセット', '状態をリセット', 'クリア', '元に戻す', '解除'],
  status: ['状態', 'ステータス', '今の状態', '現在の状態', '在席状況'],
  remind: ['リマインド', 'リマインダー', '通知'],
  'forget me': ['データを削除', 'データ削除', '私のデータを削除', '私を忘れて', '忘れて'],
  schedule: ['予定', '予定一覧', 'スケジュール', '予約', '予約一覧'],
  cancel: ['キャンセル', '取り消し', '取消', '予定をキャンセル', '次の予定をキャンセル'],
  help: ['ヘルプ', '使い方', '助けて'],
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Alternatives longest first, so that the longest word wins where one starts another ("電話会議中" over "電話"). */
const alternatives = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');

/**
 * Spaces between the parts of a phrase, at most three: a bound, so that no pattern can try the ways to share a long run
 * of spaces between two of its parts (a cost that grows with the square of the run).
 */
const SP = '\\s{0,3}';
const STATE_KEYS = ['dnd', 'busy', 'available', 'brb', 'away', 'offline', 'call', 'conference', 'presenting'] as const;
const ALL = alternatives(Object.values(commands).flat());
const STATE = alternatives(STATE_KEYS.flatMap((key) => commands[key]));
const REMIND = alternatives(commands.remind);
/** What may follow a command word and asks for nothing more: "set", "show", "please" ("応答不可にしてください", "状態を教えて"). */
const VERBS = `(?:${SP}(?:設定|変更|切り替え|切替|表示|確認|お願いします|お願い|してください|して下さい|ください|下さい|しといて|しておいて|して|する|します|になる|なる|見せて|教えて|出して|です))*`;
/** A particle after a word; "で" only where it ends neither "まで" ("17時まで取り込み中") nor starts "です". */
const PARTICLE = `(?:${SP}(?:に|へ|を|は|(?<!ま)で(?!す)))?`;
/**
 * Teams @mentions at the start, which parse.ts strips: rewrites anchored at the start keep them there. A mention ends at
 * its first </at>, so a run of them is read one way only.
 */
const MENTION = '((?:\\s*<at\\b[^>]*>(?:(?!<\\/at>)[\\s\\S])*<\\/at>)*)';

/**
 * A clock time once the clock rewrites have run ("17:00", "9:30", "5pm"), or a bare hour in a range ("9から11"). Never
 * part of a longer number: a run of digits is one time or none, so no pattern tries the ways to cut it into hours.
 */
const CLOCK = '(?<![\\d:.])\\d{1,2}(?::\\d{2})?(?:am|pm)?(?![\\d:])';
const WEEKDAY = '[月火水木金土日]曜日?';
const DAY = `(?:明日|あした|今日|きょう|本日|来週${WEEKDAY}|来週|${WEEKDAY})`;
/** One part of an end time: a day, a clock time or a named time (rewritten to the parser's English by then). */
const TIME_PART = `(?:${DAY}|${CLOCK}|正午|真夜中|noon|midnight|eod|lunch)`;
/** A day, a time and a named time at most ("明日 9:00", "明日 eod"), and one more the parser will refuse. */
const TIME_PHRASE = `${TIME_PART}(?:${SP}${TIME_PART}){0,3}`;
/** After a clock time, what makes it a duration instead ("14時から2時間": the 2 is hours, no end time). */
const NOT_A_DURATION = `(?![\\d:]|${SP}(?:時間|分|日|週|秒|半))`;
const UNTIL = `${SP}(?:まで|迄)`;
/** A number that starts where no digit is before it, so a run of digits is tried once, not from each of its digits. */
const NUMBER = '(?<![\\d.])(\\d+(?:\\.\\d+)?)';

/** Numerals in kanji before a unit ("二時間", "三十分"); the guards keep "二十" from being read as "二" or "十". */
const KANJI_NUMBERS: readonly (readonly [string, number])[] = [
  ['一', 1],
  ['二', 2],
  ['三', 3],
  ['四', 4],
  ['五', 5],
  ['六', 6],
  ['七', 7],
  ['八', 8],
  ['九', 9],
  ['十', 10],
  ['十一', 11],
  ['十二', 12],
  ['十五', 15],
  ['二十', 20],
  ['二十四', 24],
  ['三十', 30],
  ['四十', 40],
  ['四十五', 45],
  ['五十', 50],
  ['六十', 60],
  ['九十', 90],
];

const WEEKDAYS: readonly (readonly [string, string])[] = [
  ['月', 'monday'],
  ['火', 'tuesday'],
  ['水', 'wednesday'],
  ['木', 'thursday'],
  ['金', 'friday'],
  ['土', 'saturday'],
  ['日', 'sunday'],
];

const re = (source: string) => new RegExp(source, 'giu');

const rewrites: readonly (readonly [RegExp, string])[] = [
  // The ideographic full stop and comma separate words like spaces.
  [/[。、]/gu, ' '],
  // "私は…", "ステータスを取り込み中に…": words before a state that ask for nothing more.
  [
    re(
      `^${MENTION}(?=.*?(?:${STATE}))\\s*(?:(?:私|わたし|僕|ぼく|自分|俺)${SP}(?:は|の|を)${SP})?(?:(?:ステータス|状態|在席状況|プレゼンス)${SP}(?:を|は|に)${SP})?`,
    ),
    '$1 ',
  ],
  // The state (or "remind") last, as Japanese has it ("2時間応答不可にして", "17時まで取り込み中", "5分前にリマインド"),
  // goes first, with what came before it after it, and a quoted message kept last.
  [re(`^${MENTION}(?!\\s*(?:[a-z]|${ALL}))\\s*(\\S.*?)${PARTICLE}${SP}(${STATE}|${REMIND})${PARTICLE}${VERBS}${SP}("[^"]*"?)?\\s*$`), '$1 $3 $2 $4'],
  // "リマインドをオフにして", "通知オン".
  [re(`(${REMIND})${SP}(?:を|は)?${SP}(?:オフ|停止|なし|無効|止めて|やめて|しない)${PARTICLE}${VERBS}`), '$1 off '],
  [re(`(${REMIND})${SP}(?:を|は)?${SP}(?:オン|有効|再開)${PARTICLE}${VERBS}`), '$1 on '],
  // Particles and verbs after a command word ("取り込み中にして", "状態を教えて", "予定を表示").
  [re(`(${ALL})${PARTICLE}${VERBS}`), '$1 '],
  ...KANJI_NUMBERS.map(([kanji, n]) => [re(`(?<![一二三四五六七八九十百])${kanji}(?=${SP}(?:時間|分|日|週))`), String(n)] as const),
  // The rest of today: the end of the working day, as "till eod" is in English.
  [re(`(?:今日|本日)${SP}(?:いっぱい|中)|終日|1日中`), ' until eod '],
  // Clock times: "24時" is the midnight that ends the day, "17時半" 17:30, "9時5分" 9:05, "17時" 17:00 (not "2時間").
  [re(`(?<!\\d)24(?:時(?!間)|:00(?=${UNTIL}))`), ' midnight '],
  [/(\d{1,2})時半/gu, '$1:30'],
  [/(\d{1,2})時(\d)分/gu, '$1:0$2'],
  [/(\d{1,2})時(\d{2})分?/gu, '$1:$2'],
  [/(\d{1,2})時(?!間)/gu, '$1:00'],
  // 午前0時 is midnight and 午後0時 noon, which the parser's am/pm (1 to 12) cannot say as written.
  [re(`午前${SP}の?${SP}0(?=:)`), '0'],
  [re(`午後${SP}の?${SP}0:(\\d{2})`), '12:$1pm'],
  [re(`(?:夜|深夜)${SP}の?${SP}12:00`), ' midnight '],
  [re(`(?:午前|朝)${SP}の?${SP}(\\d{1,2}(?::\\d{2})?)`), ' $1am '],
  [re(`(?:午後|夕方|夜|晩)${SP}の?${SP}(\\d{1,2}(?::\\d{2})?)`), ' $1pm '],
  // Named times: the end of the working day (17:00 local), lunch (12:00); "明日の朝まで" is tomorrow's start of day.
  [re(`定時|終業時間|終業時刻|終業|業務終了|夕方(?=${UNTIL})`), ' eod '],
  [re(`(?:お昼|昼休み|昼|ランチ)(?=${UNTIL})`), ' lunch '],
  [re(`(${DAY})${SP}の?${SP}朝(?=${UNTIL})`), '$1 '],
  // "来週の月曜日" is one day, written one way for the words below.
  [re(`来週${SP}の?${SP}([月火水木金土日])曜日?`), '来週$1曜'],
  // "明日の9時", "今日は定時": the particle between the parts of an end time goes.
  [re(`(${TIME_PART})${SP}(?:の|は)${SP}(?=${TIME_PART})`), '$1 '],
  // Planned statuses: "9時から11時(まで)", "9〜11", "14時から2時間", and a start alone ("14時から", for the parser to refuse).
  [re(`(${CLOCK})${SP}(?:から|〜|~|ー)${SP}(${CLOCK})${NOT_A_DURATION}(?:${UNTIL})?`), ' $1-$2 '],
  [re(`(${CLOCK})${SP}から${SP}(?=\\d|半)`), ' from $1 for '],
  [re(`(${CLOCK})${SP}から`), ' from $1 '],
  // End times: "17時まで", "明日9時まで", "月曜まで", "定時まで" read "until …".
  [re(`(${TIME_PHRASE})${UNTIL}に?${VERBS}`), ' until $1 '],
  // Durations: "1時間半", "2時間", "30分", "10分前" (a reminder's lead), "2日", "1週間"; seconds, which no status takes.
  [re(`(?<![\\d.])(\\d+)${SP}時間半`), ' $1.5 hours '],
  [re(`${NUMBER}${SP}時間前`), ' $1 hours before '],
  [re(`${NUMBER}${SP}時間後?`), ' $1 hours '],
  [re(`${NUMBER}${SP}分間?前`), ' $1 minutes before '],
  [re(`${NUMBER}${SP}分間?後?`), ' $1 minutes '],
  [re(`${NUMBER}${SP}日間?(?!曜)`), ' $1 days '],
  [re(`${NUMBER}${SP}週間?`), ' $1 weeks '],
  [re(`${NUMBER}${SP}秒間?`), ' $1s '],
  [/半日/gu, ' half a day '],
  [/半時間/gu, ' half an hour '],
  [re(`約${SP}(?=\\d)`), ''],
  // "2時間だけ", "30分ほど", "1時間の間": words after a duration that add nothing.
  [re(`(?<=(?:minutes|hours|days|weeks|before|day|hour)${SP})(?:だけ|ほど|くらい|ぐらい|程度|の間|間|に|で)*${VERBS}(?=\\s|$|")`), ' '],
];

export const ja: ParserWords = {
  commands,
  words: [
    ['明日', 'tomorrow'],
    ['あした', 'tomorrow'],
    ['今日', 'today'],
    ['きょう', 'today'],
    ['本日', 'today'],
    ['来週', 'next week'],
    ...WEEKDAYS.flatMap(([kanji, english]) => [
      [`${kanji}曜日`, english] as const,
      [`${kanji}曜`, english] as const,
      [`来週${kanji}曜`, `next ${english}`] as const,
    ]),
    ['正午', 'noon'],
    ['真夜中', 'midnight'],
    // Words that say "now" or "please", which the parser reads without.
    ['今から', ''],
    ['これから', ''],
    ['今すぐ', ''],
    ['お願いします', 'please'],
    ['お願い', 'please'],
    ['ください', 'please'],
    ['下さい', 'please'],
    ['よろしく', 'please'],
    ['ありがとう', 'thanks'],
  ],
  rewrites,
};

import type { ParserWords } from './catalog';

/**
 * Russian: Teams' own words first (Доступен, Занят, Не беспокоить, Скоро вернусь, Отошел, Не в сети), then the
 * forms people type: feminine ("занята", "отошла"), colloquial ("созвон", "на обеде");
 * е for ё needs nothing here (translate.ts folds it).
 * Word for word covers units in every case ("час", "часа", "часов"), days, "до" and "через"; the rewrites cover what
 * depends on the words around it: "на 2 часа" (a span) and "в 2 часа" (a time), "до 17 часов", "5 вечера", "1ч30м".
 */

/** The number words, as typed (the rewrites see the text before folding): a span may start with one ("на два часа"). */
const NUMBER_WORDS = [
  'один',
  'одна',
  'одну',
  'два',
  'две',
  'три',
  'четыре',
  'пять',
  'шесть',
  'семь',
  'восемь',
  'девять',
  'десять',
  'пятнадцать',
  'двадцать',
  'тридцать',
  'сорок',
  'пятьдесят',
  'девяносто',
  'полтора',
  'полторы',
  'пару',
  'пара',
  'пол',
  'полчаса',
  'полдня',
].join('|');
/** What starts a span after "на" or "за": a number in digits or in words. */
const SPAN_AHEAD = `(?=\\s+(?:\\d|\\.\\d|(?:${NUMBER_WORDS})(?![\\p{L}\\p{N}])))`;
/** Not inside a word: the start of a whole word in a script written with spaces. */
const START = '(?<![\\p{L}\\p{N}])';
const END = '(?![\\p{L}\\p{N}])';
/** After a unit glued to its number: no letter, but digits may follow ("1ч30м"). */
const GLUED_END = '(?![\\p{L}])';
/** A clock time that may follow a preposition: "17", "9:30". */
const CLOCK = '\\d{1,2}(?::\\d{2})?';
/** The prepositions before a time of day: до 17 (until), с 14 (from), по 16 (to), в 9 (at). */
const AT_TIME = '(до|со|с|по|во|в)';
/** The accusative of weekdays after "в" ("в пятницу"). */
const WEEKDAY_AFTER_V = '(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье|пн|вт|ср|чт|пт|сб|вс)';

const re = (source: string) => new RegExp(source, 'giu');

/** The words that open a request, with the English lead words (bot/parse.ts LEAD) they stand for. */
const LEAD_WORDS: readonly (readonly [string, string])[] = [
  ['поставь|поставить|установи|установить|задай', 'set'],
  ['сделай', 'make'],
  ['переключи', 'switch'],
  ['я', 'i'],
  ['мне|меня', 'me'],
  ['пожалуйста|плиз', 'please'],
];
/** Only at the start of the text (after @mentions), or after other words of a request, Russian or already English. */
const LEAD_BEFORE = `(?<=^(?:\\s*<at\\b[^>]*>[\\s\\S]*?<\\/at>)*\\s*(?:(?:${[...LEAD_WORDS.map(([w]) => w), 'статус', 'set|make|switch|i|me|please|status'].join('|')})\\s+)*)`;
/** Words that may end a command (bot/parse.ts FILLER and POLITE): only as the last words of the text. */
const LAST_WORDS: readonly (readonly [string, string])[] = [
  ['пожалуйста|плиз', 'please'],
  ['спасибо', 'thanks'],
  ['сейчас', 'now'],
  ['снова', 'again'],
  ['все|всё', 'all'],
];

export const ru: ParserWords = {
  commands: {
    dnd: ['не беспокоить', 'не мешать', 'не отвлекать', 'фокус', 'фокусировка'],
    busy: ['занят', 'занята', 'занято', 'на встрече', 'на совещании', 'на собрании', 'на митинге', 'встреча', 'совещание'],
    available: ['доступен', 'доступна', 'в сети', 'свободен', 'свободна', 'онлайн'],
    brb: ['скоро вернусь', 'сейчас вернусь', 'скоро буду', 'вернусь'],
    away: ['отошел', 'отошла', 'нет на месте', 'не на месте', 'отсутствую', 'на обеде', 'обед'],
    offline: ['не в сети', 'офлайн', 'оффлайн', 'невидимка'],
    call: ['звонок', 'в звонке', 'на звонке', 'созвон', 'на созвоне', 'разговариваю'],
    conference: ['конференция', 'на конференции', 'конференц-звонок', 'в конференц-звонке', 'на конференц-звонке'],
    presenting: ['презентация', 'провожу презентацию', 'презентую', 'выступаю'],
    reset: ['сбросить', 'сброс', 'сбрось', 'очистить', 'очисти'],
    status: ['статус', 'состояние', 'мой статус'],
    remind: ['напоминание', 'напоминания', 'напомнить', 'напомни', 'напоминать', 'напомни мне', 'напомнить мне'],
    'forget me': ['забудь меня', 'забыть меня', 'удалить мои данные', 'удали мои данные'],
    schedule: ['расписание', 'запланировано', 'что запланировано', 'планы', 'мои планы'],
    cancel: ['отменить', 'отмена', 'отмени'],
    help: ['справка', 'помощь', 'помоги'],
  },
  words: [
    // Units in each form a number takes (1 час, 2 часа, 5 часов), with their abbreviations.
    ['час', 'hour'],
    ['часок', 'hour'],
    ['часа', 'hours'],
    ['часов', 'hours'],
    ['ч', 'h'],
    ['минута', 'minute'],
    ['минуту', 'minute'],
    ['минутку', 'minute'],
    ['минуты', 'minutes'],
    ['минут', 'minutes'],
    ['мин', 'min'],
    ['м', 'm'],
    ['день', 'day'],
    ['дня', 'days'],
    ['дней', 'days'],
    ['дн', 'd'],
    ['д', 'd'],
    ['сутки', 'day'],
    ['суток', 'days'],
    ['неделя', 'week'],
    ['неделю', 'week'],
    ['недели', 'weeks'],
    ['недель', 'weeks'],
    ['нед', 'wk'],
    // Numbers in words, and the halves: "полтора часа", "полчаса", "полдня" (a working half day, as "half a day").
    ['один', '1'],
    ['одна', '1'],
    ['одну', '1'],
    ['два', '2'],
    ['две', '2'],
    ['три', '3'],
    ['четыре', '4'],
    ['пять', '5'],
    ['шесть', '6'],
    ['семь', '7'],
    ['восемь', '8'],
    ['девять', '9'],
    ['десять', '10'],
    ['пятнадцать', '15'],
    ['двадцать', '20'],
    ['тридцать', '30'],
    ['сорок', '40'],
    ['пятьдесят', '50'],
    ['девяносто', '90'],
    ['полтора', '1.5'],
    ['полторы', '1.5'],
    ['пару', 'a couple of'],
    ['пара', 'a couple of'],
    ['пол', 'half'],
    ['полчаса', 'half an hour'],
    ['полдня', 'half a day'],
    // End times: "до 17:00", "до завтра", "до понедельника", "до конца дня", "до обеда"; "через 10 минут".
    ['до', 'until'],
    ['через', 'in'],
    ['завтра', 'tomorrow'],
    ['сегодня', 'today'],
    ['вечера', 'eod'],
    ['обеда', 'lunch'],
    ['полудня', 'noon'],
    ['полуночи', 'midnight'],
    // "напомни за 15 минут до конца": the reminder's "before"; the longer phrase wins where it is the end of the day.
    ['до конца', 'before'],
    ['до конца дня', 'until eod'],
    ['до конца рабочего дня', 'until eod'],
    ['до окончания', 'before'],
    ['следующий', 'next'],
    ['следующая', 'next'],
    ['следующую', 'next'],
    ['следующего', 'next'],
    ['следующей', 'next'],
    ['следующее', 'next'],
    // "недели" alone is "weeks" ("2 недели"): the phrase keeps "next week" whole.
    ['следующей недели', 'next week'],
    ['следующую неделю', 'next week'],
    ['следующая неделя', 'next week'],
    // Weekdays: after "до" the genitive, after "в" the accusative, and the two-letter abbreviations.
    ['понедельник', 'monday'],
    ['понедельника', 'monday'],
    ['пн', 'mon'],
    ['вторник', 'tuesday'],
    ['вторника', 'tuesday'],
    ['вт', 'tue'],
    ['среда', 'wednesday'],
    ['среды', 'wednesday'],
    ['среду', 'wednesday'],
    ['ср', 'wed'],
    ['четверг', 'thursday'],
    ['четверга', 'thursday'],
    ['чт', 'thu'],
    ['пятница', 'friday'],
    ['пятницы', 'friday'],
    ['пятницу', 'friday'],
    ['пт', 'fri'],
    ['суббота', 'saturday'],
    ['субботы', 'saturday'],
    ['субботу', 'saturday'],
    ['сб', 'sat'],
    ['воскресенье', 'sunday'],
    ['воскресенья', 'sunday'],
    ['вс', 'sun'],
    // Reminders on and off.
    ['выкл', 'off'],
    ['выключить', 'off'],
    ['выключи', 'off'],
    ['откл', 'off'],
    ['отключить', 'off'],
    ['отключи', 'off'],
    ['никогда', 'never'],
    ['стоп', 'stop'],
    ['вкл', 'on'],
    ['включить', 'on'],
    ['включи', 'on'],
  ],
  rewrites: [
    // "1,5 часа": the decimal comma before a Russian unit (the parser splits words at commas).
    [re(`(\\d),(\\d+)(?=\\s*(?:ч|мин|м|д|сут|нед)[\\p{L}]*${END})`), '$1.$2'],
    // "сегодня до 17:00", "завтра до 9": the day after "until", where the parser reads it.
    [re(`${START}(сегодня|завтра)\\s+до${END}`), 'до $1'],
    // A clock time in hours after a preposition: "до 17 часов", "с 9ч30", "в 2 часа" (a time; "на 2 часа" is a span).
    [re(`${START}${AT_TIME}\\s+(\\d{1,2})\\s*(?:часов|часа|часам|час|ч)\\.?\\s*(\\d{2})\\s*(?:минут|мин|м)?${END}`), '$1 $2:$3'],
    [re(`${START}${AT_TIME}\\s+(\\d{1,2})\\s*(?:часов|часа|часам|час|ч)${END}`), '$1 $2:00'],
    // "5 вечера", "9 утра", "2 ночи": am and pm; "дня" only after a preposition ("до 4 дня"), since "2 дня" is two days.
    [re(`(${CLOCK})\\s*вечера${END}`), '$1pm'],
    [re(`${START}${AT_TIME}\\s+(${CLOCK})\\s*дня${END}`), '$1 $2pm'],
    [re(`(${CLOCK})\\s*(?:утра|ночи)${END}`), '$1am'],
    // Seconds are no unit of a status: "30 секунд" reads as "30s", which the parser refuses (not as 30 minutes and a message).
    [re(`(\\d)\\s*(?:секунды|секунду|секунда|секунд|сек)${END}`), '$1s'],
    // A unit glued to its number: "8ч", "1ч30м", "30мин", "2д", "1нед".
    [re(`(?<=\\d)(?:часов|часа|час|ч)${GLUED_END}`), 'h'],
    [re(`(?<=\\d)(?:минуты|минут|минуту|мин|м)${GLUED_END}`), 'm'],
    [re(`(?<=\\d)(?:дней|дня|день|дн|д)${GLUED_END}`), 'd'],
    [re(`(?<=\\d)(?:недели|недель|неделю|неделя|нед)${GLUED_END}`), 'w'],
    // "на весь день": the rest of today.
    [re(`${START}на\\s+весь\\s+день${END}`), 'for the rest of the day'],
    // A unit without a number is one of it: "на час", "за минуту", "через час".
    [re(`${START}(на|за|через)\\s+(час|часок|минуту|минутку|день|неделю|сутки)${END}`), '$1 1 $2'],
    // "на" before a span is "for" ("на 2 часа", "на полчаса"); "за" before one is a reminder's lead ("напомни за 5 минут").
    [re(`${START}на${SPAN_AHEAD}`), 'for'],
    [re(`${START}за${SPAN_AHEAD}\\s+`), ''],
    // Before a time: "с 14:00" is "from", "по 16:00" "to", "в 9" and "в пятницу" "at" (which the parser skips in an end time or a range).
    [re(`${START}со?(?=\\s+\\d)`), 'from'],
    [re(`${START}по(?=\\s+\\d)`), 'to'],
    [re(`${START}во?(?=\\s+(?:\\d|${WEEKDAY_AFTER_V}${END}))`), 'at'],
    // Requests ("поставь мне статус занят", "я на встрече") only where a request starts, and what may follow reset,
    // status or cancel ("сбросить все", "статус сейчас", "…пожалуйста") only at the end: these are everyday words, and
    // an unquoted status message is read from the translated text, so "я на приеме" there must stay as typed.
    ...LEAD_WORDS.map(([words, english]) => [re(`${LEAD_BEFORE}(?:${words})${END}`), english] as const),
    ...LAST_WORDS.map(([words, english]) => [re(`${START}(?:${words})(?=[\\s.!?]*$)`), english] as const),
  ],
};

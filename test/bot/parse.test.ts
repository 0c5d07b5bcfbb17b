/**
 * The chat command parser, one row per phrasing: the text, the context (fixed now, optional time
 * zone) and the exact result. Durations to end times are worked out by hand in the comments.
 */
import assert from 'node:assert/strict';
import { COMMAND_WORDS, parseCommand, type BotCommand, type ParseResult } from '../../bot/parse';
import { en } from '../../bot/messages';
import { parseErrorReply } from '../../bot/replies';
import { PRODUCT_RULES, STATE_NAMES, type StateName } from '../../presence/model';
import { DAY, HOUR, MIN, badDuration, badReminder, is, outOfRange, passed, remind, row, set, unknown, unknownState, type Row } from './rows';

/** Thursday 2026-01-15 15:00 UTC; 07:00 in Los Angeles, 20:30 in Kolkata, 00:00 (Friday) in Tokyo. */
const NOW = '2026-01-15T15:00:00.000Z';
/** 15:00 EST on Saturday 2026-03-07; New York springs forward at 02:00 on Sunday 03-08. */
const BEFORE_SPRING = '2026-03-07T20:00:00.000Z';
/** 00:00 EST on 2026-03-08, two hours before the gap. */
const SPRING_MIDNIGHT = '2026-03-08T05:00:00.000Z';
/** 20:00 EDT on Saturday 2026-10-31; New York falls back at 02:00 on Sunday 11-01 (01:00-02:00 happens twice). */
const BEFORE_FALL = '2026-11-01T00:00:00.000Z';
const reset = is('reset');
const status = is('status');
const help = is('help');
const tooLong = (state: StateName): ParseResult => ({ ok: false, error: { code: 'status_message_too_long', state, maxLength: 280 } });

const ROWS: readonly Row[] = [
  // Every command word, bare: no duration, the service applies its default.
  row('dnd', set('DoNotDisturb')),
  row('do not disturb', set('DoNotDisturb')),
  row('busy', set('Busy')),
  row('available', set('Available')),
  row('online', set('Available')),
  row('free', set('Available')),
  row('brb', set('BeRightBack')),
  row('be right back', set('BeRightBack')),
  row('away', set('Away')),
  row('appear away', set('Away')),
  row('offline', set('AppearOffline')),
  row('appear offline', set('AppearOffline')),
  row('call', set('InACall')),
  row('in a call', set('InACall')),
  row('conference', set('InAConferenceCall')),
  row('conference call', set('InAConferenceCall')),
  row('in a conference call', set('InAConferenceCall')),
  row('presenting', set('Presenting')),
  row('reset', reset),
  row('clear', reset),
  row('status', status),
  row('help', help),
  row('?', help),
  row('forget me', { ok: true, command: { type: 'forget' } }),
  // Reminders: alone asks, off and a lead time set it; an end time or a lead past an hour is no reminder.
  row('remind', remind()),
  row('reminders', remind()),
  row('remind 5m', remind(5 * MIN)),
  row('remind me 15 minutes before', remind(15 * MIN)),
  row('reminder 1h', remind(HOUR)),
  row('remind off', remind(null)),
  row('Reminders off please', remind(null)),
  row('remind never', remind(null)),
  row('remind on', remind(10 * MIN)),
  row('remind 2h', badReminder),
  row('remind 30s', badReminder),
  row('remind until 5pm', badReminder),
  row('remind banana', badReminder),
  row('remind "5m"', badReminder),
  row('Forget me please', { ok: true, command: { type: 'forget' } }),
  row('delete my data', { ok: true, command: { type: 'forget' } }),
  row('forget', unknown()),
  row('forget me 2h', unknown()),

  // Durations.
  row('dnd 8h', set('DoNotDisturb', 8 * HOUR)),
  row('busy 30m', set('Busy', 30 * MIN)),
  row('busy 30 min', set('Busy', 30 * MIN)),
  row('away 45 minutes', set('Away', 45 * MIN)),
  row('dnd 2 hours', set('DoNotDisturb', 2 * HOUR)),
  row('busy 1 hour', set('Busy', HOUR)),
  row('busy 1 hr', set('Busy', HOUR)),
  row('busy 3 hrs', set('Busy', 3 * HOUR)),
  row('brb 5 mins', set('BeRightBack', 5 * MIN)),
  row('dnd 1h30m', set('DoNotDisturb', 90 * MIN)),
  row('dnd 1h 30m', set('DoNotDisturb', 90 * MIN)),
  row('dnd 1 hour 30 minutes', set('DoNotDisturb', 90 * MIN)),
  row('busy 2 hours and 30 minutes', set('Busy', 150 * MIN)),
  row('dnd 1h30', set('DoNotDisturb', 90 * MIN)),
  row('dnd 1.5h', set('DoNotDisturb', 90 * MIN)),
  row('dnd .5h', set('DoNotDisturb', 30 * MIN)),
  row('dnd 90', set('DoNotDisturb', 90 * MIN)),
  row('dnd for 2h', set('DoNotDisturb', 2 * HOUR)),
  row('dnd for 90', set('DoNotDisturb', 90 * MIN)),
  row('busy for an hour', set('Busy', HOUR)),
  row('brb half an hour', set('BeRightBack', 30 * MIN)),
  row('offline 2d', set('AppearOffline', 2 * DAY)),
  row('offline 2 days', set('AppearOffline', 2 * DAY)),
  row('away 1 week', set('Away', 7 * DAY)),
  row('in a call 45 minutes', set('InACall', 45 * MIN)),
  row('in a conference call 30m', set('InAConferenceCall', 30 * MIN)),
  row('conference call 1h', set('InAConferenceCall', HOUR)),
  row('presenting 2h', set('Presenting', 2 * HOUR)),
  row('online 15m', set('Available', 15 * MIN)),
  row('free 1h', set('Available', HOUR)),
  row('dnd8h', set('DoNotDisturb', 8 * HOUR)),

  // Bounds: preferred 1 minute..7 days, session 5 minutes..24 hours (the app renews Graph's 4-hour session).
  row('dnd 1m', set('DoNotDisturb', MIN)),
  row('dnd 1 minute', set('DoNotDisturb', MIN)),
  row('dnd 0.5m', outOfRange('DoNotDisturb')),
  row('dnd 7d', set('DoNotDisturb', 7 * DAY)),
  row('busy 168h', set('Busy', 7 * DAY)),
  row('dnd 7 days 1 minute', outOfRange('DoNotDisturb')),
  row('dnd 10081', outOfRange('DoNotDisturb')),
  row('away 2 weeks', outOfRange('Away')),
  row('dnd 0', outOfRange('DoNotDisturb')),
  row('dnd 0m', outOfRange('DoNotDisturb')),
  row('dnd -5m', outOfRange('DoNotDisturb')),
  row('call 4h', set('InACall', 4 * HOUR)),
  row('call 4h01', set('InACall', 241 * MIN)),
  row('presenting 6h', set('Presenting', 6 * HOUR)),
  row('call 24h', set('InACall', DAY)),
  row('call 24h 1m', outOfRange('InACall')),
  row('presenting 24h 1m', outOfRange('Presenting')),
  row('call 4m', outOfRange('InACall')),
  row('presenting 5m', set('Presenting', 5 * MIN)),
  row('conference 1d', set('InAConferenceCall', DAY)),
  row('conference 2d', outOfRange('InAConferenceCall')),

  // End times, UTC (now 15:00).
  row('busy until 17:00', set('Busy', 2 * HOUR)),
  row('busy until 5pm', set('Busy', 2 * HOUR)),
  row('busy until 5 pm', set('Busy', 2 * HOUR)),
  row('busy until 5 p.m.', set('Busy', 2 * HOUR)),
  row('dnd till 5:30 pm', set('DoNotDisturb', 150 * MIN)),
  row('dnd til 5pm', set('DoNotDisturb', 2 * HOUR)),
  row('dnd until 9am', set('DoNotDisturb', 18 * HOUR)), // 09:00 has passed: tomorrow's
  row('dnd until 3pm', set('DoNotDisturb', DAY)), // it is 15:00 now: tomorrow's
  row('dnd until 3:01pm', set('DoNotDisturb', MIN)),
  row('dnd until tomorrow 9am', set('DoNotDisturb', 18 * HOUR)),
  row('dnd until 9am tomorrow', set('DoNotDisturb', 18 * HOUR)),
  row('dnd until tomorrow 5pm', set('DoNotDisturb', 26 * HOUR)), // today's 17:00 is ahead, but tomorrow was asked
  row('dnd until tomorrow at 8:30', set('DoNotDisturb', 17.5 * HOUR)),
  row('dnd until noon', set('DoNotDisturb', 21 * HOUR)),
  row('dnd until midnight', set('DoNotDisturb', 9 * HOUR)),
  row('dnd until 12am', set('DoNotDisturb', 9 * HOUR)),
  row('dnd until 12pm', set('DoNotDisturb', 21 * HOUR)),
  row('busy until 5', set('Busy', 2 * HOUR)), // no am/pm: 05:00 or 17:00, whichever comes first
  row('busy until 9:30', set('Busy', 6.5 * HOUR)), // 21:30 comes before 09:30
  row('busy until 09:30', set('Busy', 18.5 * HOUR)), // a leading zero reads as the 24-hour clock
  row('busy until 5pm', set('Busy', 2 * HOUR), { now: '2026-01-15T15:00:00.400Z' }), // 7199.6 s, whole seconds
  row('call until 5pm', set('InACall', 2 * HOUR)),
  row('call until 9pm', set('InACall', 6 * HOUR)),
  row('call until 3:03pm', outOfRange('InACall')), // 3 minutes
  row('busy until 25:00', badDuration('Busy', 'until 25:00')),
  row('busy until 5:75pm', badDuration('Busy', 'until 5:75pm')),
  row('busy until 13pm', badDuration('Busy', 'until 13pm')),
  row('busy until tomorrow', set('Busy', 18 * HOUR)), // a day without a time: 09:00
  row('busy until', badDuration('Busy', 'until')),

  // End times in the user's zone.
  row('busy until 5pm', set('Busy', 10 * HOUR), { timeZone: 'America/Los_Angeles' }), // 07:00 PST now
  row('busy until 9am', set('Busy', 2 * HOUR), { timeZone: 'America/Los_Angeles' }),
  row('dnd until tomorrow 9am', set('DoNotDisturb', 26 * HOUR), { timeZone: 'America/Los_Angeles' }),
  row('dnd until midnight', set('DoNotDisturb', 17 * HOUR), { timeZone: 'America/Los_Angeles' }),
  row('dnd until 9pm', set('DoNotDisturb', 30 * MIN), { timeZone: 'Asia/Kolkata' }), // 20:30 IST now
  row('dnd until 9:15 pm', set('DoNotDisturb', 45 * MIN), { timeZone: 'Asia/Kolkata' }),
  row('dnd until 9am', set('DoNotDisturb', 9 * HOUR), { timeZone: 'Asia/Tokyo' }), // 00:00 JST Friday now
  row('dnd until tomorrow 9am', set('DoNotDisturb', 33 * HOUR), { timeZone: 'Asia/Tokyo' }),
  row('dnd until 5pm', set('DoNotDisturb', 15 * HOUR), { timeZone: 'Australia/Sydney' }), // 02:00 AEDT now
  row('busy until 5pm', set('Busy', 2 * HOUR), { timeZone: 'Mars/Olympus_Mons' }), // unknown zone: UTC
  row('busy until 5pm', set('Busy', 2 * HOUR), { timeZone: '' }),

  // Daylight saving time in New York.
  row('dnd until tomorrow 9am', set('DoNotDisturb', 17 * HOUR), { now: BEFORE_SPRING, timeZone: 'America/New_York' }), // a 23-hour night
  row('dnd until 9am', set('DoNotDisturb', 17 * HOUR), { now: BEFORE_SPRING, timeZone: 'America/New_York' }),
  row('dnd until tomorrow 9am', set('DoNotDisturb', 13 * HOUR), { now: BEFORE_SPRING }), // the same instant in UTC
  row('busy until 2:30am', set('Busy', 2.5 * HOUR), { now: SPRING_MIDNIGHT, timeZone: 'America/New_York' }), // in the gap: 03:30 EDT
  row('busy until 4am', set('Busy', 3 * HOUR), { now: SPRING_MIDNIGHT, timeZone: 'America/New_York' }),
  row('dnd until tomorrow 9am', set('DoNotDisturb', 14 * HOUR), { now: BEFORE_FALL, timeZone: 'America/New_York' }), // a 25-hour night
  row('busy until 1:30am', set('Busy', 5.5 * HOUR), { now: BEFORE_FALL, timeZone: 'America/New_York' }), // the first 01:30 (EDT)

  // Status messages: quoted, anywhere after the command word, case kept.
  row('dnd 2h "deep work"', set('DoNotDisturb', 2 * HOUR, 'deep work')),
  row('dnd "deep work" 2h', set('DoNotDisturb', 2 * HOUR, 'deep work')),
  row('DND 2H "Deep Work"', set('DoNotDisturb', 2 * HOUR, 'Deep Work')),
  row('dnd 2h “Focus time”', set('DoNotDisturb', 2 * HOUR, 'Focus time')),
  row('dnd „Fokuszeit“ 1h', set('DoNotDisturb', HOUR, 'Fokuszeit')),
  row('dnd ”Quiet please”', set('DoNotDisturb', undefined, 'Quiet please')),
  row('dnd "Back at 3!"', set('DoNotDisturb', undefined, 'Back at 3!')),
  row('dnd 2h "deep work', set('DoNotDisturb', 2 * HOUR, 'deep work')), // no closing quote: to the end
  row('dnd 2h. "deep work".', set('DoNotDisturb', 2 * HOUR, 'deep work')),
  row('dnd ""', set('DoNotDisturb')),
  row('dnd until 5pm "Writing, do not disturb"', set('DoNotDisturb', 2 * HOUR, 'Writing, do not disturb')),
  row('available 30m "lunch"', set('Available', 30 * MIN, 'lunch')),
  row('call "Standup" 15m', set('InACall', 15 * MIN, 'Standup')),
  row(`busy "${'x'.repeat(280)}"`, set('Busy', undefined, 'x'.repeat(280))),
  row(`busy "${'x'.repeat(281)}"`, tooLong('Busy')),
  row(`presenting 1h "${'y'.repeat(300)}"`, tooLong('Presenting')),
  row('"deep work" dnd 2h', unknown()),
  row('dnd banana "deep work"', badDuration('DoNotDisturb', 'banana')),

  // Teams @mentions, case, spacing, punctuation.
  row('<at>Presence</at> dnd 8h', set('DoNotDisturb', 8 * HOUR)),
  row('<at id="0">Status Helper</at> busy', set('Busy')),
  row('<at>Presence</at> <at>Presence</at> status', status),
  row('<at>Presence</at>', help),
  row('\r\n<at>Presence</at> busy 1h\r\n', set('Busy', HOUR)),
  row('<AT>Presence</AT>   Do Not Disturb   2 Hours', set('DoNotDisturb', 2 * HOUR)),
  row('', help),
  row('   ', help),
  row('Busy', set('Busy')),
  row('dnd\u00a08h', set('DoNotDisturb', 8 * HOUR)),
  row('  busy \n 30m  ', set('Busy', 30 * MIN)),
  row('do  not\u00a0disturb 1h', set('DoNotDisturb', HOUR)),
  row('busy 30m.', set('Busy', 30 * MIN)),
  row('dnd 2h!', set('DoNotDisturb', 2 * HOUR)),
  row('dnd?', set('DoNotDisturb')),
  row('dnd ?', set('DoNotDisturb')),
  row('status?', status),
  row('reset!', reset),
  row('help.', help),
  row('??', help),

  // Extra words after reset, status and help.
  row('reset please', reset),
  row('clear my status', reset),
  row('reset to normal', reset),
  row('status now', status),
  row('help me', help),
  row('help dnd', help),
  row('reset to available', unknown()),
  row('reset 8h', unknown()),
  row('status busy', unknown()),
  row('reset "deep work"', unknown()),

  // Garbage after a state command is a bad duration, never a silent set.
  row('dnd banana', badDuration('DoNotDisturb', 'banana')),
  row('busy 8x', badDuration('Busy', '8x')),
  row('busy 30s', badDuration('Busy', '30s')),
  row('dnd for', badDuration('DoNotDisturb', 'for')),
  row('dnd 2h until 5pm', badDuration('DoNotDisturb', '2h until 5pm')),
  row('dnd 30m 1h', badDuration('DoNotDisturb', '30m 1h')),
  row('dnd 8 hours please', set('DoNotDisturb', 8 * HOUR)), // politeness is dropped
  row('busy 5pm', set('Busy', 2 * HOUR)), // a clock time needs no "until"
  row('away 1,5h', badDuration('Away', '1,5h')),

  // Near misses suggest the text with the canonical command word in place, when that is a command.
  row('dnf 8h', unknown('dnd 8h')),
  row('bussy', unknown('busy')),
  row('stauts', unknown('status')),
  row('avialable 1h', unknown('available 1h')),
  row('ofline', unknown('offline')),
  row('presnting', unknown('presenting')),
  row('hlep', unknown('help')),
  row('rest', unknown('reset')),
  row('clera', unknown('reset')),
  row('awy 10m', unknown('away 10m')),
  row('fre', unknown('available')),
  row('do not distrub 2h', unknown('dnd 2h')),
  row('donotdisturb', unknown('dnd')),
  row('be rigth back', unknown('brb')),
  row('in a cal 1h', unknown('call 1h')),
  row('conferense', unknown('conference')),
  row('dnf 8x', unknown('dnd')), // "dnd 8x" is no command either: the word alone
  row('bussy until 5pm "1:1s"', unknown('busy until 5pm "1:1s"')),
  row('Dnf 2h', unknown('dnd 2h')),

  // Far from every command: no suggestion.
  row('hello', unknown()),
  row('banana', unknown()),
  row('what is my status', status),
  row('set me to something nice', unknownState('something nice')),
  row('12345', unknown()),
  row('until 5pm', unknown()),
  row('lorem ipsum dolor', unknown()),

  // Lead words of a request: "set me to", "set my status to", "make me", "i'm", "please", "can you".
  row('set me to away', set('Away')),
  row('set my status to busy', set('Busy')),
  row('make me dnd 1h', set('DoNotDisturb', HOUR)),
  row('set status to dnd 2h', set('DoNotDisturb', 2 * HOUR)),
  row('Set my presence to Busy until 5pm', set('Busy', 2 * HOUR)),
  row('please set me to brb', set('BeRightBack')),
  row('can you set me to busy', set('Busy')),
  row('could you make me dnd for an hour please', set('DoNotDisturb', HOUR)),
  row("i'm busy", set('Busy')),
  row('I’m away 30m', set('Away', 30 * MIN)),
  row('im busy', set('Busy')),
  row('i am in a meeting', set('Busy')),
  row('im out to lunch', set('Away')),
  row('go offline', set('AppearOffline')),
  row('go away', set('Away')),
  row('switch to available', set('Available')),
  row('change my status to online 15m', set('Available', 15 * MIN)),
  row('put me on dnd', set('DoNotDisturb')),
  row('mark me as away', set('Away')),
  row('turn on dnd 1h', set('DoNotDisturb', HOUR)),
  row('set me to be right back', set('BeRightBack')), // "be" is a lead word, but given back to the state
  row("i'm on a call", set('InACall')), // "on" likewise
  row('set my status to presenting 1h', set('Presenting', HOUR)),
  row('make me dnd 9h "Exam"', set('DoNotDisturb', 9 * HOUR, 'Exam')),
  row('can you reset my status', reset),
  row('please help', help),
  row('set me to bussy', unknown('set me to busy')),
  row('set my status to banana', unknownState('banana')),
  row('make me a sandwich', unknownState('a sandwich')),
  row(`set me to ${'z'.repeat(60)}`, unknownState('z'.repeat(40))), // at most 40 characters echoed
  row('set my status', unknown()), // no state at all: the help card
  row('make me dnd banana', badDuration('DoNotDisturb', 'banana')),
  row('make me dnd 9d', outOfRange('DoNotDisturb')),
  row('i think so', unknownState('think so')),
  row('me busy', unknown()), // "me" starts no request

  // Everyday names of states. Lunch is Away without a duration: Teams' default applies, as for "away".
  row('out to lunch', set('Away')),
  row('Out to lunch!', set('Away')),
  row('lunch', set('Away')),
  row('at lunch', set('Away')),
  row('lunch 45m', set('Away', 45 * MIN)),
  row('out to lunch until 1:30pm', set('Away', 22.5 * HOUR)), // 13:30 has passed: tomorrow's
  row('out to lunch until 1:30pm', set('Away', 6.5 * HOUR), { timeZone: 'America/Los_Angeles' }), // 07:00 now
  row('in a meeting', set('Busy')),
  row('in a meeting 1h', set('Busy', HOUR)),
  row('meeting until 3:30pm', set('Busy', 30 * MIN)),
  row('focus 2h', set('DoNotDisturb', 2 * HOUR)),
  row('focusing', set('DoNotDisturb')),
  row('on a call', set('InACall')),
  row('on a call 5h', set('InACall', 5 * HOUR)),
  row('on a call 25h', outOfRange('InACall')),
  row('in a meting', unknown('busy')),
  row('lucnh', unknown('away')),

  // Emoji: ignored beside a command word; alone, ⛔ 🔴 🔕 are Do not disturb, 🟢 ✅ Available, 🟡 Away.
  row('🔴 dnd 1h', set('DoNotDisturb', HOUR)),
  row('dnd 1h 🔕', set('DoNotDisturb', HOUR)),
  row('⛔ 30m', set('DoNotDisturb', 30 * MIN)),
  row('⛔', set('DoNotDisturb')),
  row('⛔️', set('DoNotDisturb')), // with the emoji variation selector
  row('🔴', set('DoNotDisturb')),
  row('🔕 until 5pm', set('DoNotDisturb', 2 * HOUR)),
  row('🔴 2h "deep work"', set('DoNotDisturb', 2 * HOUR, 'deep work')),
  row('🟢', set('Available')),
  row('✅ 15m', set('Available', 15 * MIN)),
  row('🟡', set('Away')),
  row('🟡 1h', set('Away', HOUR)),
  row('🟢 busy', set('Busy')), // the word wins
  row('<at>Presence</at> ⛔ 45m', set('DoNotDisturb', 45 * MIN)),
  row('😀 busy 1h', set('Busy', HOUR)),
  row('busy 1h 👍🏽', set('Busy', HOUR)),
  row('🇩🇪 away', set('Away')),
  row('😀', unknown()),
  row('😀😀', unknown()),
  row('🔴 banana', badDuration('DoNotDisturb', 'banana')),
  row('⛔ 9d', outOfRange('DoNotDisturb')),
  row('🟢 hello', badDuration('Available', 'hello')),

  // An end time without "until": a clock time with a colon or am/pm (a bare number stays minutes).
  row('busy 3:30pm', set('Busy', 30 * MIN)),
  row('busy 17:00', set('Busy', 2 * HOUR)),
  row('busy 5 pm', set('Busy', 2 * HOUR)),
  row('busy 5:30pm', set('Busy', 2.5 * HOUR)),
  row('dnd 9:30', set('DoNotDisturb', 6.5 * HOUR)), // 21:30 comes before 09:30
  row('busy 3:30pm "Review"', set('Busy', 30 * MIN, 'Review')),
  row('busy 5pm', set('Busy', 10 * HOUR), { timeZone: 'America/Los_Angeles' }),
  row('busy 17', set('Busy', 17 * MIN)),
  row('dnd 25:00', badDuration('DoNotDisturb', '25:00')),
  row('dnd 13pm', badDuration('DoNotDisturb', '13pm')),
  row('call 9pm', set('InACall', 6 * HOUR)),

  // "in" before a duration, and a bare number, are minutes.
  row('brb in 10', set('BeRightBack', 10 * MIN)),
  row('brb 10', set('BeRightBack', 10 * MIN)),
  row('brb in 10 minutes', set('BeRightBack', 10 * MIN)),
  row('away in an hour', set('Away', HOUR)),
  row('brb in', badDuration('BeRightBack', 'in')),
  row('brb in five', set('BeRightBack', 5 * MIN)),

  // A named day ends at 09:00 local, the next such day after today (never today). Now: Thursday 15:00 UTC.
  row('dnd until monday', set('DoNotDisturb', 90 * HOUR)), // Monday 01-19 09:00: 4 days less 6 hours
  row('dnd until Monday', set('DoNotDisturb', 98 * HOUR), { timeZone: 'America/Los_Angeles' }), // 09:00 PST is 17:00 UTC
  row('dnd until mon', set('DoNotDisturb', 90 * HOUR)),
  row('dnd until next monday', set('DoNotDisturb', 90 * HOUR)), // the same as "monday"
  row('offline till tomorrow', set('AppearOffline', 18 * HOUR)),
  row('offline till tomorrow', set('AppearOffline', 26 * HOUR), { timeZone: 'America/Los_Angeles' }),
  row('offline till tomorrow', set('AppearOffline', 33 * HOUR), { timeZone: 'Asia/Tokyo' }), // Friday 00:00 JST now: Saturday 09:00
  row('away until next week', set('Away', 90 * HOUR)), // next Monday 09:00
  row('dnd until friday', set('DoNotDisturb', 18 * HOUR)),
  row('dnd until next friday', set('DoNotDisturb', 18 * HOUR)),
  row('dnd until sunday', set('DoNotDisturb', 66 * HOUR)),
  row('dnd until thursday', set('DoNotDisturb', 162 * HOUR)), // today is Thursday: a week away, less 6 hours
  row('dnd until friday', outOfRange('DoNotDisturb'), { timeZone: 'Asia/Tokyo' }), // Friday there: next Friday, over 7 days
  row('dnd until monday 2pm', set('DoNotDisturb', 95 * HOUR)),
  row('dnd until monday at 8:30', set('DoNotDisturb', 89.5 * HOUR)),
  row('dnd until tue 9am', set('DoNotDisturb', 114 * HOUR)),
  row('dnd until today 5pm', set('DoNotDisturb', 2 * HOUR)),
  row('dnd until today 9am', passed('DoNotDisturb')),
  row('dnd until monday', set('DoNotDisturb', 41 * HOUR), { now: BEFORE_SPRING, timeZone: 'America/New_York' }), // Saturday 15:00 EST: 42 wall hours, one skipped
  row('dnd until tomorrow tomorrow', badDuration('DoNotDisturb', 'until tomorrow tomorrow')),
  row('dnd until monday tuesday', badDuration('DoNotDisturb', 'until monday tuesday')),
  row('dnd until next', badDuration('DoNotDisturb', 'until next')),
  row('call until monday', outOfRange('InACall')),
  row('dnd monday', badDuration('DoNotDisturb', 'monday')), // a day needs "until"

  // Unquoted words after a duration are the status message, as typed; single and curly quotes work too.
  row('dnd 8h focus', set('DoNotDisturb', 8 * HOUR, 'focus')),
  row('dnd 8h Deep work, no calls', set('DoNotDisturb', 8 * HOUR, 'Deep work, no calls')),
  row('dnd until monday Off sick', set('DoNotDisturb', 90 * HOUR, 'Off sick')),
  row('busy 1h in a meeting', set('Busy', HOUR, 'in a meeting')),
  row('busy 5pm Writing', set('Busy', 2 * HOUR, 'Writing')),
  row('dnd 8h focus please', set('DoNotDisturb', 8 * HOUR, 'focus')),
  row("dnd 'focus'", set('DoNotDisturb', undefined, 'focus')),
  row("dnd 2h 'focus time'", set('DoNotDisturb', 2 * HOUR, 'focus time')),
  row("dnd 'focus time' 2h", set('DoNotDisturb', 2 * HOUR, 'focus time')),
  row('dnd ‘focus’', set('DoNotDisturb', undefined, 'focus')),
  row('dnd 1h ‘Don’t call’', set('DoNotDisturb', HOUR, 'Don’t call')),
  row('dnd “focus”', set('DoNotDisturb', undefined, 'focus')),
  row("dnd 'til 5pm", set('DoNotDisturb', 2 * HOUR)), // an apostrophe, not a quote
  row("dnd 1h 'focus", set('DoNotDisturb', HOUR, "'focus")), // an unclosed single quote is no quote: kept as typed
  row("dnd 1h 'Bob's leaving do'", set('DoNotDisturb', HOUR, "Bob's leaving do")),
  row('dnd 8h focus "x"', badDuration('DoNotDisturb', 'focus')), // one message at most
  row('dnd focus', badDuration('DoNotDisturb', 'focus')), // a message needs a duration before it (or quotes)
  row('dnd 2h 30x', badDuration('DoNotDisturb', '2h 30x')),
  row('dnd 1h an hour', badDuration('DoNotDisturb', 'an hour')),
  row('dnd 1h and more', badDuration('DoNotDisturb', '1h and more')),
  row(`dnd 1h ${'w'.repeat(281)}`, tooLong('DoNotDisturb')),

  // Named times: today's, an error once passed. End of day is 17:00, lunch 12:00, local.
  row('dnd till eod', set('DoNotDisturb', 2 * HOUR)),
  row('dnd until end of day', set('DoNotDisturb', 2 * HOUR)),
  row('dnd until the end of the day', set('DoNotDisturb', 2 * HOUR)),
  row('dnd until cob', set('DoNotDisturb', 2 * HOUR)),
  row('busy for the rest of the day', set('Busy', 2 * HOUR)),
  row('dnd till eod', set('DoNotDisturb', 10 * HOUR), { timeZone: 'America/Los_Angeles' }),
  row('dnd till eod', passed('DoNotDisturb'), { timeZone: 'Asia/Kolkata' }), // 20:30 there
  row('dnd until eod tomorrow', set('DoNotDisturb', 26 * HOUR)),
  row('dnd until eod tomorrow', set('DoNotDisturb', 20.5 * HOUR), { timeZone: 'Asia/Kolkata' }), // 20:30 now, Friday 17:00 IST
  row('busy until lunch', passed('Busy')),
  row('busy until lunch', set('Busy', 5 * HOUR), { timeZone: 'America/Los_Angeles' }),
  row('busy until lunch', set('Busy', 12 * HOUR), { timeZone: 'Asia/Tokyo' }),
  row('busy until lunch tomorrow', set('Busy', 21 * HOUR)),
  row('call till eod', set('InACall', 2 * HOUR)),
  row('call till eod', set('InACall', 10 * HOUR), { timeZone: 'America/Los_Angeles' }),

  // Spans in words.
  row('busy for half a day', set('Busy', 4 * HOUR)), // a working half day
  row('busy half a day', set('Busy', 4 * HOUR)),
  row('busy half day', set('Busy', 4 * HOUR)),
  row('busy an hour', set('Busy', HOUR)),
  row('busy a couple of hours', set('Busy', 2 * HOUR)),
  row('busy couple hours', set('Busy', 2 * HOUR)),
  row('busy half an hour', set('Busy', 30 * MIN)),
  row('busy an hour and a half', set('Busy', 90 * MIN)),
  row('busy 1 and a half hours', set('Busy', 90 * MIN)),
  row('busy two hours', set('Busy', 2 * HOUR)),
  row('busy thirty minutes', set('Busy', 30 * MIN)),
  row('busy one hour', set('Busy', HOUR)),
  row('busy for a couple of days', set('Busy', 2 * DAY)),
  row('dnd 8h thanks', set('DoNotDisturb', 8 * HOUR)),
  row('dnd 8h thank you', set('DoNotDisturb', 8 * HOUR)),
  row('dnd a few hours', badDuration('DoNotDisturb', 'a few hours')),
  row('dnd an hour and a quarter', badDuration('DoNotDisturb', 'an hour and a quarter')),
  row('busy twenty hours', set('Busy', 20 * HOUR)),
  row('call a couple of hours', set('InACall', 2 * HOUR)),
  row('call half a day', set('InACall', 4 * HOUR)),

  // A unit mistyped after a number is pointed out, never set as minutes with the typo as the status message.
  row('dnd 8 hous', badDuration('DoNotDisturb', '8 hous')),
  row('busy 1 our', badDuration('Busy', '1 our')),
  row('dnd 2 hourz', badDuration('DoNotDisturb', '2 hourz')),
  row('away 30 mintues', badDuration('Away', '30 mintues')),
  row('busy 90 seconds', badDuration('Busy', '90 seconds')), // no status lasts seconds
  row('brb in 10 minuts', badDuration('BeRightBack', 'in 10 minuts')),
  row('dnd 45 mom', set('DoNotDisturb', 45 * MIN, 'mom')), // no unit is that near: a status message
  row("busy until 5 o'clock", set('Busy', 2 * HOUR)),
  row("busy 6 o'clock", set('Busy', 3 * HOUR)), // 18:00, the next 6 o'clock
  // What people add to a day, and how they misspell it.
  row('dnd until monday morning', set('DoNotDisturb', 4 * DAY - 6 * HOUR)), // Monday 09:00, as "until monday"
  row('offline till tomorrow morning', set('AppearOffline', 18 * HOUR)),
  row('dnd until tomorow', set('DoNotDisturb', 18 * HOUR)),
  row('dnd until tommorow', set('DoNotDisturb', 18 * HOUR)),
  row('dnd until weds', set('DoNotDisturb', 6 * DAY - 6 * HOUR)), // next Wednesday 09:00
  row('dnd until end-of-day', set('DoNotDisturb', 2 * HOUR)),
  row('dnd eod', set('DoNotDisturb', 2 * HOUR)), // the end of the day needs no "until"
  row('busy end of day', set('Busy', 2 * HOUR)),
  row('brb lunch', badDuration('BeRightBack', 'lunch')), // lunch without "until" is no end time
  // Near misses name the part not understood.
  row('busy at 3pm', badDuration('Busy', 'at 3pm')),
  row('away next week', badDuration('Away', 'next week')),
  row('dnd today', badDuration('DoNotDisturb', 'today')),
  row('busy until tonight', badDuration('Busy', 'until tonight')),
  row('dnd until blursday', badDuration('DoNotDisturb', 'until blursday')),
  // Asking what is set, and lunch, as people type them.
  row("what's my status", status),
  row('whats my status?', status),
  row('my status', status),
  row('gone for lunch', set('Away')),
  row('gone to lunch', set('Away')),
  row('lunch break', set('Away')),
];

describe('parseCommand', () => {
  it('has a table of at least 300 phrasings', () => {
    assert.ok(ROWS.length >= 300, `${ROWS.length} rows`);
  });

  for (const { text, want, now = NOW, timeZone } of ROWS) {
    const where = [now === NOW ? '' : `at ${now}`, timeZone === undefined ? '' : `in ${timeZone || '""'}`].filter(Boolean).join(' ');
    it(`${JSON.stringify(text)}${where ? ` ${where}` : ''}`, () => {
      assert.deepStrictEqual(parseCommand(text, { now: new Date(now), timeZone }), want);
    });
  }
});

describe('end times are never early', () => {
  it('"busy until 17:00" at 15:00:00.400 lasts exactly 2 hours: the part of a second is rounded up, not down', () => {
    const now = new Date('2026-11-26T15:00:00.400Z');
    assert.deepStrictEqual(parseCommand('busy until 17:00', { now, timeZone: 'UTC' }), {
      ok: true,
      command: { type: 'set', state: 'Busy', durationMs: 2 * 3600_000 },
    });
    const end = now.getTime() + 2 * 3600_000;
    assert.ok(end >= Date.parse('2026-11-26T17:00:00.000Z'), 'the status ends at 17:00 or just after, never at 16:59:59');
  });
});

describe('parseErrorReply', () => {
  const replyTo = (text: string, timeZone?: string) => {
    const parsed = parseCommand(text, { now: new Date(NOW), timeZone });
    assert.ok(!parsed.ok, text);
    return parseErrorReply(parsed.error, en);
  };

  it('answers a near miss with its suggestion and a button that runs it, and only text that is no command with the help card', () => {
    const reply = replyTo('dnf 8h');
    assert.equal(reply.text, 'I didn\'t catch that. Did you mean "dnd 8h"?');
    assert.deepStrictEqual(reply.card?.actions, [{ type: 'Action.Submit', title: 'dnd 8h', data: { presenceAction: { type: 'run', text: 'dnd 8h' } } }]);
    assert.equal(reply.card?.fallbackText, reply.text);
    assert.match(JSON.stringify(replyTo('banana').card), /Here is what I understand/);
  });

  it('says which part was not understood: the state after "set me to", a time of today that has passed', () => {
    assert.deepStrictEqual(replyTo('set me to something nice'), { text: en.unknownState('something nice') });
    assert.match(en.unknownState('something nice'), /"something nice"/);
    assert.deepStrictEqual(replyTo('dnd till eod', 'Asia/Kolkata'), { text: en.endTimePassed('Do not disturb') });
    assert.match(en.endTimePassed('Do not disturb'), /already passed today/);
  });
});

describe('COMMAND_WORDS', () => {
  it('names every state once, plus reset, status, remind, forget, the schedule, cancel and help', () => {
    const states = COMMAND_WORDS.flatMap((c) => (c.type === 'set' ? [c.state] : []));
    assert.deepStrictEqual([...states].sort(), [...STATE_NAMES].sort());
    assert.deepStrictEqual(
      COMMAND_WORDS.filter((c) => c.type !== 'set').map((c) => c.type),
      ['reset', 'status', 'remind', 'forget', 'listSchedule', 'cancelScheduled', 'help'],
    );
  });

  it('has no word twice', () => {
    const words = COMMAND_WORDS.flatMap((c) => c.words);
    assert.equal(new Set(words).size, words.length);
  });

  it('parses every word it lists as its own command', () => {
    for (const entry of COMMAND_WORDS) {
      for (const word of entry.words) {
        const want: BotCommand = entry.type === 'set' ? { type: 'set', state: entry.state } : { type: entry.type };
        assert.deepStrictEqual(parseCommand(word, { now: new Date(NOW) }), { ok: true, command: want }, word);
      }
    }
  });

  it('agrees with the product limit on status messages', () => {
    assert.equal(PRODUCT_RULES.statusMessageMaxLength, 280);
  });
});

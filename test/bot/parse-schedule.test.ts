/**
 * Planned statuses, the schedule list and cancel, one row per phrasing: the text, the context (fixed now, optional
 * time zone) and the exact result, with the instants worked out by hand in the comments.
 */
import assert from 'node:assert/strict';
import { COMMAND_WORDS, parseCommand, type ParseError, type ParseResult } from '../../bot/parse';
import { en } from '../../bot/messages';
import { parseErrorReply } from '../../bot/replies';
import { SCHEDULE_AHEAD_MAX_MS, type StateName } from '../../presence/model';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Thursday 2026-01-15 15:00 UTC; 07:00 in Los Angeles, 20:30 in Kolkata, 00:00 (Friday) in Tokyo. */
const NOW = '2026-01-15T15:00:00.000Z';
const LA = { timeZone: 'America/Los_Angeles' };
const NEW_YORK = 'America/New_York';
/** 15:00 EST on Saturday 2026-03-07; New York springs forward at 02:00 on Sunday 03-08. */
const BEFORE_SPRING = '2026-03-07T20:00:00.000Z';
/** 00:00 EST on Sunday 2026-03-08, two hours before the gap (02:00-03:00 never happens). */
const SPRING_MIDNIGHT = '2026-03-08T05:00:00.000Z';
/** 20:00 EDT on Saturday 2026-10-31; New York falls back at 02:00 on Sunday 11-01. */
const BEFORE_FALL = '2026-11-01T00:00:00.000Z';
const SESSION = { minMs: 5 * MIN, maxMs: DAY };
const PREFERRED = { minMs: MIN, maxMs: 7 * DAY };

const plan = (state: StateName, startAt: string, endAt: string, statusMessage?: string): ParseResult => ({
  ok: true,
  command: { type: 'schedule', state, startAt: new Date(startAt), endAt: new Date(endAt), ...(statusMessage !== undefined && { statusMessage }) },
});
const set = (state: StateName, durationMs?: number, statusMessage?: string): ParseResult => ({
  ok: true,
  command: { type: 'set', state, ...(durationMs !== undefined && { durationMs }), ...(statusMessage !== undefined && { statusMessage }) },
});
const listSchedule: ParseResult = { ok: true, command: { type: 'listSchedule' } };
const cancel: ParseResult = { ok: true, command: { type: 'cancelScheduled' } };
const fail = (error: ParseError): ParseResult => ({ ok: false, error });
const bad = (state: StateName) => fail({ code: 'bad_schedule', state });
const passed = (state: StateName) => fail({ code: 'schedule_passed', state });
const tooFar = (state: StateName) => fail({ code: 'schedule_too_far', state, maxMs: 7 * DAY });
const outOfRange = (state: StateName) =>
  fail({ code: 'duration_out_of_range', state, ...(['InACall', 'InAConferenceCall', 'Presenting'].includes(state) ? SESSION : PREFERRED) });
const unknown = (suggestion?: string) => fail(suggestion === undefined ? { code: 'unknown_command' } : { code: 'unknown_command', suggestion });

interface Row {
  readonly text: string;
  readonly want: ParseResult;
  readonly now?: string;
  readonly timeZone?: string;
}
const row = (text: string, want: ParseResult, context: { now?: string; timeZone?: string } = {}): Row => ({ text, want, ...context });

const ROWS: readonly Row[] = [
  // A day and a range, UTC: tomorrow is Friday 01-16.
  row('dnd tomorrow 9-11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('dnd tomorrow 9am-11am', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('dnd tomorrow 9 am - 11 am', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('dnd tomorrow 9–11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')), // a typographic dash
  row('dnd tomorrow at 9-11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('dnd 9-11 tomorrow', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')), // the day after the range
  row('busy tomorrow from 9 to 11', plan('Busy', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('busy tomorrow 9.30-11', plan('Busy', '2026-01-16T09:30Z', '2026-01-16T11:00Z')),
  row('dnd tomorrow 9am for 2 hours', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('dnd tomorrow 9 for an hour and a half', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T10:30Z')),
  row('dnd monday 9-11', plan('DoNotDisturb', '2026-01-19T09:00Z', '2026-01-19T11:00Z')),
  row('dnd on monday 9-11', plan('DoNotDisturb', '2026-01-19T09:00Z', '2026-01-19T11:00Z')),
  row('dnd next monday 2pm to 4pm', plan('DoNotDisturb', '2026-01-19T14:00Z', '2026-01-19T16:00Z')),
  row('dnd tomorrow 10pm-midnight', plan('DoNotDisturb', '2026-01-16T22:00Z', '2026-01-17T00:00Z')),
  row('dnd tomorrow 10pm-12am', plan('DoNotDisturb', '2026-01-16T22:00Z', '2026-01-17T00:00Z')), // 12am as an end: the midnight ending the day
  row('busy tomorrow 2pm until eod', plan('Busy', '2026-01-16T14:00Z', '2026-01-16T17:00Z')),

  // Today, without a day: ahead (15:30), begun (a set until the end, from now) or over (schedule_passed).
  row('call 15:30-16:00', plan('InACall', '2026-01-15T15:30Z', '2026-01-15T16:00Z')),
  row('busy 3:30pm-4pm', plan('Busy', '2026-01-15T15:30Z', '2026-01-15T16:00Z')),
  row('busy 3:30pm', set('Busy', 30 * MIN)), // an end time, as before
  row('busy 14:00-16:00', set('Busy', HOUR)),
  row('busy 2pm-4pm', set('Busy', HOUR)),
  row('busy 2pm to 4pm', set('Busy', HOUR)),
  row('dnd from 2pm until 4pm', set('DoNotDisturb', HOUR)),
  row('busy 2-4', set('Busy', HOUR)), // 14:00-16:00
  row('busy 14:00-16:00 "Review"', set('Busy', HOUR, 'Review')),
  row('busy 14:00-16:00', set('Busy', HOUR), { now: '2026-01-15T15:00:00.400Z' }), // 3599.6 s, rounded up to whole seconds
  row('busy 9-11', passed('Busy')),
  row('busy today 9-11', passed('Busy')),
  row('busy 14:00-15:00', passed('Busy')), // ends at 15:00, now
  row('dnd from 2pm for 1h', passed('DoNotDisturb')),
  row('call 14:00-15:04', outOfRange('InACall')), // begun: 4 minutes are left, under the 5 a session needs

  // The user's zone. Los Angeles: 07:00 PST (UTC-8) now.
  row('dnd from 2pm to 4pm', plan('DoNotDisturb', '2026-01-15T22:00Z', '2026-01-16T00:00Z'), LA),
  row('dnd from 2pm for 1h', plan('DoNotDisturb', '2026-01-15T22:00Z', '2026-01-15T23:00Z'), LA),
  row('dnd from 2pm until 4pm', plan('DoNotDisturb', '2026-01-15T22:00Z', '2026-01-16T00:00Z'), LA),
  row('busy 9-11', plan('Busy', '2026-01-15T17:00Z', '2026-01-15T19:00Z'), LA),
  row('busy 6am-8am', set('Busy', HOUR), LA), // begun at 06:00
  row('busy 5am-6am', passed('Busy'), LA),
  row('presenting tomorrow 10-12 "all hands"', plan('Presenting', '2026-01-16T18:00Z', '2026-01-16T20:00Z', 'all hands'), LA),
  // Kolkata: 20:30 IST (UTC+5:30).
  row('busy 9-11', passed('Busy'), { timeZone: 'Asia/Kolkata' }),
  row('busy tomorrow 9-11', plan('Busy', '2026-01-16T03:30Z', '2026-01-16T05:30Z'), { timeZone: 'Asia/Kolkata' }),
  row('busy 9pm-10pm', plan('Busy', '2026-01-15T15:30Z', '2026-01-15T16:30Z'), { timeZone: 'Asia/Kolkata' }),
  // Tokyo: 00:00 JST (UTC+9) on Friday 01-16, so today is Friday and tomorrow Saturday.
  row('busy 9-11', plan('Busy', '2026-01-16T00:00Z', '2026-01-16T02:00Z'), { timeZone: 'Asia/Tokyo' }),
  row('dnd tomorrow 9-11', plan('DoNotDisturb', '2026-01-17T00:00Z', '2026-01-17T02:00Z'), { timeZone: 'Asia/Tokyo' }),

  // Daylight saving time in New York.
  row('dnd tomorrow 9-11', plan('DoNotDisturb', '2026-03-08T13:00Z', '2026-03-08T15:00Z'), { now: BEFORE_SPRING, timeZone: NEW_YORK }), // EDT, UTC-4
  row('dnd tomorrow 9-11', plan('DoNotDisturb', '2026-03-08T09:00Z', '2026-03-08T11:00Z'), { now: BEFORE_SPRING }), // the same instant in UTC
  row('busy 1am-4am', plan('Busy', '2026-03-08T06:00Z', '2026-03-08T08:00Z'), { now: SPRING_MIDNIGHT, timeZone: NEW_YORK }), // 01:00 EST to 04:00 EDT: 2 hours
  row('busy 1am for 3h', plan('Busy', '2026-03-08T06:00Z', '2026-03-08T09:00Z'), { now: SPRING_MIDNIGHT, timeZone: NEW_YORK }), // 3 hours elapsed: 05:00 EDT
  row('dnd tomorrow 9-11', plan('DoNotDisturb', '2026-11-01T14:00Z', '2026-11-01T16:00Z'), { now: BEFORE_FALL, timeZone: NEW_YORK }), // EST, UTC-5

  // Hours without am/pm: a start from 1 to 7 is afternoon, from 8 to 12 morning; the end is the reading less than
  // 12 hours after the start; a start before an end with am/pm takes the later reading that comes before it.
  row('dnd tomorrow 2-4', plan('DoNotDisturb', '2026-01-16T14:00Z', '2026-01-16T16:00Z')),
  row('dnd tomorrow 11-1', plan('DoNotDisturb', '2026-01-16T11:00Z', '2026-01-16T13:00Z')),
  row('dnd tomorrow 9-5', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T17:00Z')),
  row('dnd tomorrow 7-9', plan('DoNotDisturb', '2026-01-16T19:00Z', '2026-01-16T21:00Z')),
  row('dnd tomorrow 8-10', plan('DoNotDisturb', '2026-01-16T08:00Z', '2026-01-16T10:00Z')),
  row('dnd tomorrow 12-1', plan('DoNotDisturb', '2026-01-16T12:00Z', '2026-01-16T13:00Z')),
  row('dnd tomorrow 2:30-4', plan('DoNotDisturb', '2026-01-16T14:30Z', '2026-01-16T16:00Z')),
  row('dnd tomorrow 9-11pm', plan('DoNotDisturb', '2026-01-16T21:00Z', '2026-01-16T23:00Z')),
  row('dnd tomorrow 11-1pm', plan('DoNotDisturb', '2026-01-16T11:00Z', '2026-01-16T13:00Z')),
  row('dnd tomorrow 2-4pm', plan('DoNotDisturb', '2026-01-16T14:00Z', '2026-01-16T16:00Z')),
  row('dnd tomorrow 09-11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')), // a leading zero: the 24-hour clock
  row('dnd tomorrow 4-2', bad('DoNotDisturb')), // 16:00 to 02:00 or 14:00: no end after the start
  row('dnd tomorrow 9-9', bad('DoNotDisturb')),
  row('dnd tomorrow 3pm-2pm', bad('DoNotDisturb')),
  row('dnd tomorrow 2pm-2pm', bad('DoNotDisturb')),

  // Status messages as for a set: quoted, or unquoted words after the range.
  row('dnd tomorrow 9-11 Deep work', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z', 'Deep work')),
  row('dnd 9-11 tomorrow focus', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z', 'focus')),
  row('dnd "Exam" tomorrow 9-11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z', 'Exam')),
  row('dnd from 2pm for 1h Writing', plan('DoNotDisturb', '2026-01-15T22:00Z', '2026-01-15T23:00Z', 'Writing'), LA),
  row('dnd tomorrow 9-11 please', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('dnd tomorrow 9-11 focus "x"', bad('DoNotDisturb')), // one message at most
  row('dnd tomorrow 9-11 2h', bad('DoNotDisturb')),
  row('dnd tomorrow 9-11 from 2pm', bad('DoNotDisturb')),
  row(`dnd tomorrow 9-11 "${'x'.repeat(281)}"`, fail({ code: 'status_message_too_long', state: 'DoNotDisturb', maxLength: 280 })),
  row('set me to dnd tomorrow 9-11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('⛔ tomorrow 9-11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),

  // Limits: the length is the state's (durationLimits), the start at most 7 days ahead.
  row('call tomorrow 9-10', plan('InACall', '2026-01-16T09:00Z', '2026-01-16T10:00Z')),
  row('call tomorrow 9:00-9:04', outOfRange('InACall')),
  row('presenting tomorrow 8am-9pm', plan('Presenting', '2026-01-16T08:00Z', '2026-01-16T21:00Z')), // 13 hours: sessions last up to 24
  row('call tomorrow 9am for 25h', outOfRange('InACall')),
  row('brb tomorrow 9:00-9:01', plan('BeRightBack', '2026-01-16T09:00Z', '2026-01-16T09:01Z')),
  row('dnd tomorrow 9am for 8 days', outOfRange('DoNotDisturb')),
  row('dnd thursday 9-11', plan('DoNotDisturb', '2026-01-22T09:00Z', '2026-01-22T11:00Z')), // next week's: 6 days 18 hours ahead
  row('dnd thursday 4pm-5pm', tooFar('DoNotDisturb')), // 7 days 1 hour ahead
  row('dnd friday 9-11', tooFar('DoNotDisturb'), { timeZone: 'Asia/Tokyo' }), // Friday there: next Friday, 7 days 9 hours ahead

  // Starts like a schedule but cannot be read: bad_schedule, not bad_duration.
  row('dnd from banana', bad('DoNotDisturb')),
  row('dnd from 2pm', bad('DoNotDisturb')),
  row('dnd from', bad('DoNotDisturb')),
  row('dnd tomorrow from 9', bad('DoNotDisturb')),
  row('dnd 9-25', bad('DoNotDisturb')),
  row('dnd tomorrow 9-banana', bad('DoNotDisturb')),
  row('dnd tomorrow monday 9-11', bad('DoNotDisturb')), // two days
  row('dnd tomorrow 9-11 tomorrow', bad('DoNotDisturb')),
  row('dnd tomorrow 9am for 30s', bad('DoNotDisturb')),
  row('busy 2pm to 5pm to 6pm', bad('Busy')),

  // Existing meanings do not change.
  row('dnd until 5pm', set('DoNotDisturb', 2 * HOUR)),
  row('dnd 8h', set('DoNotDisturb', 8 * HOUR)),
  row('dnd tomorrow', fail({ code: 'bad_duration', state: 'DoNotDisturb', unread: 'tomorrow' })),
  row('dnd tomorrow 9', fail({ code: 'bad_duration', state: 'DoNotDisturb', unread: 'tomorrow 9' })), // no range
  row('dnd 2h until 5pm', fail({ code: 'bad_duration', state: 'DoNotDisturb', unread: '2h until 5pm' })),
  row('brb 10 for lunch', fail({ code: 'bad_duration', state: 'BeRightBack', unread: '10 for lunch' })),
  row('dnd until tomorrow 9am', set('DoNotDisturb', 18 * HOUR)),

  // The schedule and cancel.
  row('schedule', listSchedule),
  row('scheduled', listSchedule),
  row('my schedule', listSchedule),
  row('planned', listSchedule),
  row("what's planned", listSchedule),
  row('What’s planned?', listSchedule),
  row('schedule please', listSchedule),
  row('<at>Presence</at> my schedule', listSchedule),
  row('schedule dnd', unknown()),
  row('cancel', cancel),
  row('cancel next', cancel),
  row('Cancel please', cancel),
  row('cancel all', unknown()), // not just the next one
  row('cancel everything', unknown()),
  row('cancel "x"', unknown()),
  row('schedul', unknown('schedule')),
  row('sheduled', unknown('schedule')),
  row('planed', unknown('schedule')),
  row('cancle', unknown('cancel')),
  row('cancle next', unknown('cancel next')),
];

describe('parseCommand: planned statuses, the schedule and cancel', () => {
  it('has a table of at least 40 phrasings', () => {
    assert.ok(ROWS.length >= 40, `${ROWS.length} rows`);
  });

  for (const { text, want, now = NOW, timeZone } of ROWS) {
    const where = [now === NOW ? '' : `at ${now}`, timeZone === undefined ? '' : `in ${timeZone}`].filter(Boolean).join(' ');
    it(`${JSON.stringify(text)}${where ? ` ${where}` : ''}`, () => {
      assert.deepStrictEqual(parseCommand(text, { now: new Date(now), timeZone }), want);
    });
  }

  it('keeps the schedule and cancel out of the command menu, with "schedule" and "cancel" as their canonical words', () => {
    const entries = COMMAND_WORDS.filter((c) => c.type === 'listSchedule' || c.type === 'cancelScheduled');
    assert.deepStrictEqual(
      entries.map((c) => [c.type, c.words[0], c.type !== 'set' && c.menu]),
      [
        ['listSchedule', 'schedule', false],
        ['cancelScheduled', 'cancel', false],
      ],
    );
  });

  it('agrees with the product limit on how far ahead', () => {
    assert.equal(SCHEDULE_AHEAD_MAX_MS, 7 * DAY);
  });
});

describe('parse errors of planned statuses have a sentence', () => {
  const errors: readonly ParseError[] = [
    { code: 'bad_schedule', state: 'DoNotDisturb' },
    { code: 'schedule_passed', state: 'Busy' },
    { code: 'schedule_too_far', state: 'DoNotDisturb', maxMs: SCHEDULE_AHEAD_MAX_MS },
  ];

  it('in the catalog, naming the state', () => {
    assert.match(en.badSchedule('Do not disturb'), /^I couldn't read when to plan Do not disturb\./);
    assert.match(en.schedulePassed('Busy'), /already passed today, so Busy wasn't planned\..*tomorrow/);
    assert.equal(en.scheduleTooFar('Do not disturb', '7 days'), 'Do not disturb can be planned at most 7 days ahead. Nothing was planned.');
  });

  for (const error of errors) {
    it(`parseErrorReply words ${error.code}`, () => {
      const reply = parseErrorReply(error, en) as ReturnType<typeof parseErrorReply> | undefined;
      assert.ok(reply?.text, `no sentence for ${error.code}`);
      assert.match(reply.text, error.code === 'schedule_passed' ? /Busy/ : /Do not disturb/);
    });
  }
});

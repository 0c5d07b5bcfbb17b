/**
 * The presence model tables against the Graph facts in shared/seeds/README.md (kept in the repository, verbatim, as
 * docs/graph-presence-reference.md, so the check runs on any clone), and ISO 8601 durations.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseIsoDuration, toIsoDuration } from '../../presence/duration';
import { GRAPH_RULES, isValidPair, PREFERRED_PAIRS, SESSION_PAIRS, STATES, STATE_NAMES, type PresencePair } from '../../presence/model';

/** The lines of the seeds README this model encodes, verbatim. */
const SEED_LINES = {
  session: '- Valid availability/activity pairs: Available/Available, Busy/InACall, Busy/InAConferenceCall,\n  Away/Away, DoNotDisturb/Presenting.',
  preferred: '- Valid pairs: Available/Available, Busy/Busy, DoNotDisturb/DoNotDisturb, BeRightBack/BeRightBack,\n  Away/Away, Offline/OffWork.',
  preferredDefault: '`expirationDuration` (ISO 8601). Default expiration when omitted:\n  DoNotDisturb or Busy: 1 day; all others: 7 days.',
  sessionRange: '`expirationDuration` (ISO 8601 duration; default PT5M; valid range PT5M..PT4H).',
  precedence: 'Among session-level states:\n  DoNotDisturb > Busy > Available > Away.',
};
const REFERENCE = resolve(__dirname, '../../docs/graph-presence-reference.md');
/** The original, beside the repository where it is checked out in the team's workspace. */
const SHARED_SEEDS = resolve(__dirname, '../../../shared/seeds/README.md');

function pairsOf(line: string): PresencePair[] {
  const list = line.slice(line.indexOf(':') + 1).replace(/\.$/, '');
  return list.split(',').map((p) => {
    const [availability, activity] = p.trim().split('/');
    return { availability, activity } as PresencePair;
  });
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('presence model', () => {
  it("the seed lines are in the Graph reference digest, verbatim (and the digest is the shared seeds' when they are beside the repository)", () => {
    const text = readFileSync(REFERENCE, 'utf8');
    for (const [name, line] of Object.entries(SEED_LINES)) assert.ok(text.includes(line), `the digest no longer says: ${name}`);
    if (existsSync(SHARED_SEEDS))
      assert.equal(text, readFileSync(SHARED_SEEDS, 'utf8'), 'docs/graph-presence-reference.md differs from ../shared/seeds/README.md: copy it again');
  });

  it('SESSION_PAIRS are exactly the setPresence pairs, in order', () => {
    assert.deepEqual(SESSION_PAIRS, pairsOf(SEED_LINES.session));
    assert.equal(SESSION_PAIRS.length, 5);
  });

  it('PREFERRED_PAIRS are exactly the setUserPreferredPresence pairs, in order', () => {
    assert.deepEqual(PREFERRED_PAIRS, pairsOf(SEED_LINES.preferred));
    assert.equal(PREFERRED_PAIRS.length, 6);
  });

  it('isValidPair checks both halves', () => {
    assert.ok(isValidPair(SESSION_PAIRS, 'Busy', 'InACall'));
    assert.ok(!isValidPair(SESSION_PAIRS, 'Busy', 'Busy'));
    assert.ok(!isValidPair(PREFERRED_PAIRS, 'Busy', 'InACall'));
    assert.ok(!isValidPair(PREFERRED_PAIRS, 'DoNotDisturb', 'Presenting'));
    assert.ok(isValidPair(PREFERRED_PAIRS, 'Offline', 'OffWork'));
  });

  it('every state maps to a valid pair of the API that sets it', () => {
    for (const name of STATE_NAMES) {
      const s = STATES[name];
      assert.ok(isValidPair(s.kind === 'preferred' ? PREFERRED_PAIRS : SESSION_PAIRS, s.availability, s.activity), name);
    }
    for (const p of PREFERRED_PAIRS) {
      assert.ok(
        STATE_NAMES.some((n) => STATES[n].kind === 'preferred' && STATES[n].availability === p.availability && STATES[n].activity === p.activity),
        `${p.availability}/${p.activity}`,
      );
    }
  });

  it("Graph's default preferred expiration: 1 day for DoNotDisturb and Busy, 7 days otherwise", () => {
    for (const { availability } of PREFERRED_PAIRS) {
      const expected = availability === 'DoNotDisturb' || availability === 'Busy' ? DAY : 7 * DAY;
      assert.equal(GRAPH_RULES.preferredDefaultMs(availability), expected, availability);
    }
  });

  it('setPresence expiration: default PT5M, valid PT5M..PT4H; precedence DoNotDisturb > Busy > Available > Away', () => {
    assert.deepEqual(GRAPH_RULES.session, { defaultMs: 5 * MINUTE, minMs: 5 * MINUTE, maxMs: 4 * HOUR });
    assert.equal(GRAPH_RULES.availableTimeoutMs, 5 * MINUTE);
    assert.deepEqual(GRAPH_RULES.sessionPrecedence, ['DoNotDisturb', 'Busy', 'Available', 'Away']);
  });
});

describe('ISO 8601 durations', () => {
  const cases: [string, number][] = [
    ['PT8H', 8 * HOUR],
    ['PT5M', 5 * MINUTE],
    ['PT4H', 4 * HOUR],
    ['P1D', DAY],
    ['P7D', 7 * DAY],
    ['PT1H30M', 90 * MINUTE],
    ['P1DT2H', DAY + 2 * HOUR],
    ['PT45S', 45_000],
    ['PT0S', 0],
  ];
  for (const [text, ms] of cases) {
    it(`${text} <-> ${ms} ms`, () => {
      assert.equal(parseIsoDuration(text), ms);
      assert.equal(toIsoDuration(ms), text);
      assert.equal(parseIsoDuration(toIsoDuration(ms)), ms);
    });
  }

  it('rounds a part of a second up, never down: an end time asked for is never passed early', () => {
    assert.equal(toIsoDuration(2 * HOUR - 600), 'PT2H');
    assert.equal(toIsoDuration(2 * HOUR - 1000), 'PT1H59M59S');
    assert.equal(toIsoDuration(1), 'PT1S');
  });

  it('parses non-canonical forms and prints them canonically', () => {
    assert.equal(parseIsoDuration('PT90M'), 90 * MINUTE);
    assert.equal(toIsoDuration(parseIsoDuration('PT90M') ?? -1), 'PT1H30M');
    assert.equal(parseIsoDuration('PT24H'), DAY);
    assert.equal(toIsoDuration(DAY), 'P1D');
    assert.equal(parseIsoDuration('PT1.5S'), 1500);
  });

  it('rejects invalid strings', () => {
    for (const text of [
      '',
      'P',
      'PT',
      'P1DT',
      'T8H',
      '8h',
      'PT8h',
      'pt8h',
      'PT8H ',
      ' PT8H',
      'P1W',
      'P1M',
      'P1Y',
      'PT-5M',
      'PT1.5H',
      'PT8H5',
      'PT5M8H',
      'P1D2D',
    ]) {
      assert.equal(parseIsoDuration(text), undefined, JSON.stringify(text));
    }
  });

  it('toIsoDuration rounds up to whole seconds and never goes negative', () => {
    assert.equal(toIsoDuration(1499), 'PT2S');
    assert.equal(toIsoDuration(1000), 'PT1S');
    assert.equal(toIsoDuration(-5000), 'PT0S');
    assert.equal(toIsoDuration(DAY + 61_000), 'P1DT1M1S');
  });
});

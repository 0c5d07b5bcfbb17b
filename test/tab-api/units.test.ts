import assert from 'node:assert/strict';
import { MICROSOFT_365_FRAME_ANCESTORS, tabFrameAncestors } from '../../tab/api/csp';
import { parseInstant } from '../../tab/api/instant';

describe('tab API: ISO 8601 instants (`until`)', () => {
  for (const [text, expected] of [
    ['2025-03-01T12:00:00Z', '2025-03-01T12:00:00.000Z'],
    ['2025-03-01T12:00Z', '2025-03-01T12:00:00.000Z'],
    ['2025-03-01t12:00:00z', '2025-03-01T12:00:00.000Z'],
    ['2025-03-01T13:30:00+01:30', '2025-03-01T12:00:00.000Z'],
    ['2025-03-01T07:00:00-05:00', '2025-03-01T12:00:00.000Z'],
    ['2025-03-01T12:00:00.250Z', '2025-03-01T12:00:00.250Z'],
    ['2025-03-01T12:00:00.123456789Z', '2025-03-01T12:00:00.123Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2025-03-02T00:30:00+14:00', '2025-03-01T10:30:00.000Z'],
  ] as const) {
    it(`${text} is ${expected}`, () => {
      assert.equal(new Date(parseInstant(text) ?? NaN).toISOString(), expected);
    });
  }

  for (const text of [
    '2025-03-01T12:00:00',
    '2025-03-01',
    '2025-03-01 12:00:00Z',
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-00-10T00:00:00Z',
    '2025-03-00T00:00:00Z',
    '2025-03-01T24:00:00Z',
    '2025-03-01T12:60:00Z',
    '2025-03-01T12:00:60Z',
    '2025-03-01T12:00:00+01:60',
    '2025-03-01T12:00:00+0100',
    '+2025-03-01T12:00:00Z',
    'tomorrow',
    '',
    `2025-03-01T12:00:00.${'1'.repeat(40)}Z`,
  ]) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.equal(parseInstant(text), undefined);
    });
  }
});

describe('tab pages: frame ancestors', () => {
  it("production: Microsoft's documented hosts only", () => {
    assert.deepEqual(tabFrameAncestors(), MICROSOFT_365_FRAME_ANCESTORS);
    assert.ok(!MICROSOFT_365_FRAME_ANCESTORS.some((s) => s.startsWith('http:')));
  });

  it('sandbox: plus the sandbox origin, which must be an origin', () => {
    assert.deepEqual(tabFrameAncestors('http://127.0.0.1:3978'), [...MICROSOFT_365_FRAME_ANCESTORS, 'http://127.0.0.1:3978']);
    assert.deepEqual(tabFrameAncestors('http://127.0.0.1:3978/').at(-1), 'http://127.0.0.1:3978');
    for (const bad of ['http://127.0.0.1:3978/tab', "http://127.0.0.1:3978 'unsafe-inline'", 'javascript:alert(1)', 'not a url']) {
      assert.throws(() => tabFrameAncestors(bad), Error, bad);
    }
  });
});

/** Library console output becomes one bounded, redacted JSON line per call. */
import assert from 'node:assert/strict';
import { createLogger, routeConsole } from '../../server/log';

describe('server/log: routeConsole', () => {
  it('turns a multi-line stack trace into one bounded JSON line without tokens', () => {
    const lines: string[] = [];
    const restore = routeConsole(createLogger('debug', (line) => lines.push(line)));
    try {
      const err = new Error('validateAndFixActivity(): missing activity type');
      console.error(err);
      console.error('Error: boom\n    at a (x.js:1)\n    at b (y.js:2)');
      console.warn(`token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig and ${'x'.repeat(2_000)}`);
      console.log({ a: 1 });
    } finally {
      restore();
    }
    assert.equal(lines.length, 4);
    const entries = lines.map((line) => JSON.parse(line) as { level: string; msg: string; text: string });
    assert.deepEqual(
      entries.map((e) => e.level),
      ['error', 'error', 'warn', 'info'],
    );
    assert.equal(entries[0]?.text, 'Error: validateAndFixActivity(): missing activity type');
    assert.equal(entries[1]?.text, 'Error: boom');
    assert.ok(!lines[2]?.includes('eyJ'), 'a JWT is redacted');
    assert.ok((entries[2]?.text.length ?? 0) <= 500);
    assert.equal(entries[3]?.text, '{"a":1}');
    assert.notEqual(console.error.toString(), '', 'the console is back');
  });
});

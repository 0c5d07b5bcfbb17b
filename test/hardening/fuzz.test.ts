/**
 * Seeded fuzzers, CI-sized: chat texts through the real bot, and tab API bodies through the real API, all against
 * the sandbox app with its Graph emulator. Nothing answers 5xx or crashes a turn, every turn is answered, and what is
 * not a valid request changes nothing in Graph. FUZZ_SEED=<seed> replays a run.
 */
import assert from 'node:assert/strict';
import { Agent, request as httpRequest } from 'node:http';
import { TestAdapter } from 'botbuilder';
import { messagesFor } from '../../bot/messages';
import { COMMAND_WORDS, parseCommand } from '../../bot/parse';
import { PresenceBot } from '../../bot/presence-bot';
import { IssuedSso } from '../../bot/sso';
import type { RunningApp } from '../../server/app';
import { said, startConnector, teamsMessage, type RecordingConnector } from '../support/connector';
import { ssoToken } from '../tab-api/helpers';
import { UNLIMITED, assertCleanLog, fuzzSeed, graphWriteCalls, linesDuring, mulberry32, picker, sandboxUserId, startLoggedApp, type Pick } from './helpers';

const SEED = fuzzSeed();
const IN_PROCESS_TEXTS = 10_000;
const HTTP_TEXTS = 1_000;
const TAB_BODIES = 5_000;
/** Senders, each with a tenant of its own: Graph's per-tenant throttle in the emulator stays out of the way. */
const USERS = 16;
const INTERNAL = messagesFor().errors.internal({});

interface Sender {
  readonly userId: string;
  readonly tenantId: string;
}
const senders: readonly Sender[] = Array.from({ length: USERS }, (_, i) => ({ userId: sandboxUserId(700_000 + i), tenantId: sandboxUserId(800_000 + i) }));

// --- chat texts: a grammar of commands, near misses and junk -------------------------------------------------------

const WORDS = COMMAND_WORDS.flatMap((entry) => entry.words);
const DURATIONS = [
  '8h',
  '30m',
  '30 min',
  '45 minutes',
  '2 hours',
  '1h30m',
  '1h 30m',
  '1.5h',
  '90',
  'for 2h',
  'until 17:00',
  'until 5pm',
  'till 5:30 pm',
  'until tomorrow 9am',
  '',
];
const NUMBERS = [
  '9'.repeat(400),
  '1e308',
  '-1',
  '0',
  '-0',
  '0.0000001',
  'NaN',
  'Infinity',
  '9007199254740993',
  '１２',
  '٣',
  '½',
  '1_000',
  '0x10',
  '1,5',
  '²',
  '1e-7',
  '99999999999999999999',
];
const UNITS = ['h', 'm', 'min', 'minutes', 'hours', 'hrs', 'd', 'days', 's', 'w', '', ' h', 'H', 'µs'];
const TIMES = [
  'until 25:61',
  'until 99pm',
  'until tomorrow 0am',
  'until 12:00:00:00',
  'until -1',
  'until',
  'till',
  'until tomorrow tomorrow',
  'until 13pm',
  'until 0:00',
  'until 23:59',
  'until noon',
  'until 5 pm pm',
];
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇩🇪', '❤️', '🟢', '⛔', '🔕', '💤', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}'];
const QUOTES = ['"', '“', '”', '„', '«', '»', "'", '`', '\\"', '""', '"""', '\\'];
const CONTROL = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\f',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u200b',
  '\u200d',
  '\u202e',
  '\ufeff',
  '\r\n',
];
/** Code point ranges: ASCII, Latin-1, combining marks, Hebrew, Arabic, Devanagari, CJK, lone surrogates, private use, specials, emoji, tags, the last planes. */
const RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x300, 0x36f],
  [0x590, 0x5ff],
  [0x600, 0x6ff],
  [0x900, 0x97f],
  [0x4e00, 0x4fff],
  [0xd800, 0xdfff],
  [0xe000, 0xe0ff],
  [0xfff0, 0xffff],
  [0x1f300, 0x1faff],
  [0xe0000, 0xe007f],
  [0x10fff0, 0x10ffff],
];
const TIME_ZONES = [
  'America/Los_Angeles',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
  undefined,
  'Mars/Olympus',
  '',
  'Etc/GMT+14',
  'America/St_Johns',
];
const LOCALES = ['en-US', 'de-DE', 'ar-SA', 'zz', undefined, 'en-US-u-ca-buddhist', ''];

/** Letters and emoji only: what a person could type as a status message. */
const PRINTABLE = RANGES.filter(([from]) => [0x20, 0xa0, 0x590, 0x600, 0x900, 0x4e00, 0x1f300].includes(from));

function unicode(pick: Pick, length: number, ranges = RANGES): string {
  return Array.from({ length }, () => {
    const [from, to] = pick.one(ranges);
    return String.fromCodePoint(pick.int(from, to));
  }).join('');
}

/** One near miss of a command word: a letter in, out, changed or swapped, another case, punctuation, a number glued on. */
function nearMiss(pick: Pick, word: string): string {
  const at = pick.int(0, Math.max(0, word.length - 1));
  switch (pick.int(0, 7)) {
    case 0:
      return word.slice(0, at) + String.fromCharCode(pick.int(97, 122)) + word.slice(at);
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    case 2:
      return word.slice(0, at) + String.fromCharCode(pick.int(97, 122)) + word.slice(at + 1);
    case 3:
      return word.slice(0, at) + (word[at + 1] ?? '') + (word[at] ?? '') + word.slice(at + 2);
    case 4:
      return word.toUpperCase();
    case 5:
      return word + word;
    case 6:
      return `${word}${pick.one(['!', '?', '.', '...', ',', ';', ':', '-', '!!1'])}`;
    default:
      return `${word}${pick.int(0, 999)}`;
  }
}

function longText(pick: Pick): string {
  const n = pick.int(1_000, 30_000);
  const make = pick.one([
    () => `dnd ${'x'.repeat(n)}`,
    () => '"'.repeat(n),
    () => `dnd "${'a'.repeat(n)}"`,
    () => `${' '.repeat(n)}dnd 1h`,
    () => `dnd${' 1h'.repeat(Math.floor(n / 3))}`,
    () => `${'<at>x</at>'.repeat(Math.floor(n / 10))} dnd`,
    () => `dnd ${'9'.repeat(n)}`,
    () => 'until '.repeat(Math.floor(n / 6)),
    () => `${'<at>'.repeat(Math.floor(n / 4))}dnd`,
    () => `busy ${'1h'.repeat(Math.floor(n / 2))}`,
  ]);
  return make();
}

/** One chat text from the grammar. */
function chatText(pick: Pick): string {
  const word = pick.one(WORDS);
  const roll = pick.random();
  if (roll < 0.06) return [word, pick.one(DURATIONS), pick.chance(0.3) ? `"${unicode(pick, pick.int(1, 30))}"` : ''].filter(Boolean).join(' ');
  if (roll < 0.32) return [nearMiss(pick, word), pick.chance(0.5) ? pick.one(DURATIONS) : ''].filter(Boolean).join(' ');
  if (roll < 0.44) return `${word} ${pick.chance(0.3) ? 'for ' : ''}${pick.one(NUMBERS)}${pick.one(UNITS)}`;
  if (roll < 0.52) return `${word} ${pick.one(TIMES)}`;
  if (roll < 0.64) return `${pick.chance(0.5) ? `${word} ` : ''}${unicode(pick, pick.int(1, 200))}`;
  if (roll < 0.7) return Array.from({ length: pick.int(1, 6) }, () => (pick.chance(0.5) ? pick.one(EMOJI) : word)).join(pick.one([' ', '', '  ']));
  // Half of these on a near miss: a valid command costs Graph and storage round trips, which the run has a budget for.
  const head = pick.chance(0.5) ? word : nearMiss(pick, word);
  if (roll < 0.8)
    return `${head} ${pick.chance(0.5) ? pick.one(DURATIONS) : ''} ${Array.from({ length: pick.int(1, 5) }, () => pick.one([...QUOTES, 'deep work', ' '])).join('')}`;
  if (roll < 0.88) {
    const text = `${head} ${pick.one(DURATIONS)}`;
    const at = pick.int(0, text.length);
    return text.slice(0, at) + Array.from({ length: pick.int(1, 4) }, () => pick.one(CONTROL)).join('') + text.slice(at);
  }
  if (roll < 0.92) return longText(pick);
  return pick.one([
    `<at>Presence</at> ${word} ${pick.one(DURATIONS)}`,
    `<at>Presence</at><at>Other</at>${word}`,
    `<at>${word}</at>`,
    `<at ${'a'.repeat(100)}>`,
    `<script>alert(1)</script>${word}`,
    `**${word}** _1h_`,
    `[${word}](https://example.com)`,
    `${word} <b>1h</b>`,
    '&lt;at&gt;dnd',
    `{{${word}}}`,
    '${jndi:ldap://x}',
  ]);
}

/**
 * Whether the bot may write to Graph for this text: only for a command its parser takes that changes a status. The
 * parser is the oracle here (the grammar of durations and end times in a time zone has no simpler statement); what is
 * checked is that nothing on the turn's path writes beyond what the parser accepted.
 */
function writesFor(text: string, timeZone: string | undefined): boolean {
  const parsed = parseCommand(text, { now: new Date(), timeZone });
  return parsed.ok && (parsed.command.type === 'set' || parsed.command.type === 'reset');
}

/**
 * Checks one turn's Graph writes against the parser, asked before the turn (`before`) and, only when the two would
 * disagree, again after it: a minute boundary in between cannot turn a valid "until" into a false alarm. Says
 * whether the turn counted as a command that changes a status.
 */
function checkWrites(shown: string, before: boolean, wrote: number, again: () => boolean): boolean {
  if (wrote > 0 && !before) assert.ok(again(), `${shown}: not a command that changes a status, but ${wrote} Graph writes`);
  if (wrote === 0 && before) assert.ok(!again(), `${shown}: a command that changes a status, but no Graph write`);
  return before && wrote > 0;
}

// --- tab API bodies, each labelled valid or not by how it was made (README "The tab's API") ------------------------

const PREFERRED = ['Available', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Away', 'AppearOffline', 'Offline'];
const SESSION = ['InACall', 'InAConferenceCall', 'Presenting'];
const FIELDS = ['state', 'durationMinutes', 'until', 'statusMessage'];
const MINUTE = 60_000;

interface TabBody {
  readonly raw: Buffer;
  readonly valid: boolean;
  readonly what: string;
}

/** A random JSON value, never an object with the API's own field names at its top. */
function jsonValue(pick: Pick, depth = 0): unknown {
  const roll = pick.int(0, depth > 3 ? 4 : 6);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return pick.chance(0.5);
    case 2:
      return pick.one([0, -0, 1, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 1, pick.int(-1e6, 1e6), pick.random()]);
    case 3:
      return pick.one(['', 'Busy', 'x'.repeat(pick.int(1, 300)), unicode(pick, pick.int(1, 20)), '2030-01-01T00:00Z']);
    case 4:
      return pick.one(PREFERRED);
    case 5:
      return Array.from({ length: pick.int(0, 4) }, () => jsonValue(pick, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: pick.int(0, 4) }, () => [
          pick.one(['a', 'State', 'duration', 'sessionId', 'userId', unicode(pick, 3), '']),
          jsonValue(pick, depth + 1),
        ]),
      );
  }
}

/** A body the API must take: a state, at most one of a duration or an end time in range, maybe a status message. */
function validBody(pick: Pick, now: number): Record<string, unknown> {
  const session = pick.chance(0.3);
  const state = pick.one(session ? SESSION : PREFERRED);
  // A couple of minutes inside the range, so the time between here and the service's check does not matter.
  const minutes = session ? pick.int(7, 238) : pick.int(3, 10_078);
  const body: Record<string, unknown> = { state };
  const duration = pick.int(0, 2);
  if (duration === 1) body.durationMinutes = minutes;
  if (duration === 2)
    body.until = pick.chance(0.5) ? new Date(now + minutes * MINUTE).toISOString() : offsetInstant(now + minutes * MINUTE, pick.one([60, -300, 330, 0]));
  if (pick.chance(0.4))
    body.statusMessage = pick.one(['deep work', 'In a meeting 📅', '«Focus»', 'Back at 5 – ring me', unicode(pick, pick.int(1, 60), PRINTABLE)]);
  return body;
}

/** `at` as an RFC 3339 instant at an offset of `offsetMinutes`. */
function offsetInstant(at: number, offsetMinutes: number): string {
  const local = new Date(at + offsetMinutes * MINUTE).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A wrong value for one field of a valid body: wrong JSON type, out of range, or a string the field does not take. */
function wrongField(pick: Pick, body: Record<string, unknown>, now: number): Record<string, unknown> {
  const field = pick.one(FIELDS);
  const session = SESSION.includes(String(body.state));
  const wrong: Record<string, readonly unknown[]> = {
    state: [5, null, true, [], {}, 'busy', 'DoNotDisturb ', 'Offwork', '', 'InAMeeting', 'x'.repeat(1_000), 'Available\u0000'],
    durationMinutes: ['30', 1.5, null, true, [], {}, 0, -1, -0.5, 1e308, -1e308, 2 ** 53 + 1, 5e-324, 10_081, session ? 24 * 60 + 1 : 1e7, session ? 4 : 0],
    until: [
      12345,
      null,
      true,
      [],
      {},
      'tomorrow',
      '2030-01-01',
      '2030-01-01T17:00',
      '2030-02-30T17:00Z',
      new Date(now - MINUTE).toISOString(),
      new Date(now + 8 * 24 * 60 * MINUTE).toISOString(),
      `${'9'.repeat(50)}`,
    ],
    statusMessage: [5, null, true, [], {}, 'x'.repeat(pick.int(281, 2_000))],
  };
  const changed = { ...body, [field]: pick.one(wrong[field] ?? []) };
  // Both a duration and an end time is wrong too.
  if (field === 'until' && pick.chance(0.2)) return { ...body, durationMinutes: 30, until: new Date(now + 60 * MINUTE).toISOString() };
  return changed;
}

function tabBody(pick: Pick, now: number): TabBody {
  const json = (value: unknown, valid: boolean, what: string): TabBody => ({ raw: Buffer.from(JSON.stringify(value) ?? 'null'), valid, what });
  const text = (raw: string, what: string): TabBody => ({ raw: Buffer.from(raw), valid: false, what });
  const roll = pick.random();
  if (roll < 0.08) return json(validBody(pick, now), true, 'valid');
  if (roll < 0.37) return json(wrongField(pick, validBody(pick, now), now), false, 'a wrong field');
  if (roll < 0.47) {
    const extra = pick.one(['sessionId', 'userId', 'availability', 'State', 'expirationDuration', 'tenantId', '__proto__', 'constructor', 'toString', '']);
    return pick.chance(0.5)
      ? text(`{"${extra}":${JSON.stringify(jsonValue(pick))},${JSON.stringify(validBody(pick, now)).slice(1)}`, `an unknown field ${extra}`)
      : json({ ...validBody(pick, now), [extra]: jsonValue(pick) }, false, `an unknown field ${extra}`);
  }
  if (roll < 0.62) {
    const value = jsonValue(pick);
    // {} has no state; any other object has none of the API's fields (jsonValue never makes them).
    return json(value, false, 'random JSON');
  }
  if (roll < 0.7) {
    return text(
      pick.one([
        '{"state":"Busy","durationMinutes":1e99999}',
        '{"state":"Busy","durationMinutes":-1e99999}',
        `{"state":"Busy","durationMinutes":1${'0'.repeat(400)}}`,
        '{"state":"Busy","durationMinutes":1e-400}',
        '{"state":"Busy","durationMinutes":30.0000000000000001e400}',
        `{"state":"Busy","durationMinutes":-${'9'.repeat(300)}}`,
      ]),
      'a huge number',
    );
  }
  if (roll < 0.78) {
    const depth = pick.int(100, 2_000);
    return text(
      pick.one([
        `${'['.repeat(depth)}${']'.repeat(depth)}`,
        `${'{"state":'.repeat(Math.floor(depth / 5))}"Busy"${'}'.repeat(Math.floor(depth / 5))}`,
        `{"state":"Busy","statusMessage":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      ]),
      'deep nesting',
    );
  }
  if (roll < 0.88) {
    const n = pick.int(281, 6_000);
    return json(
      pick.one([
        { state: 'Busy', statusMessage: 'x'.repeat(n) },
        { state: 'B'.repeat(n) },
        { [`k${'e'.repeat(n)}y`]: 1, state: 'Busy' },
        { state: 'Busy', statusMessage: '😀'.repeat(Math.ceil(n / 2)) },
      ]),
      false,
      'a long string',
    );
  }
  return pick.one([
    text('', 'empty'),
    text('{', 'malformed'),
    text('nul', 'malformed'),
    text('NaN', 'malformed'),
    text("{'state':'Busy'}", 'malformed'),
    text('{"state":"Busy",}', 'malformed'),
    text('\u0000', 'malformed'),
    text('{"state":"Busy"}{"state":"Away"}', 'two values'),
    text('{"state":"Busy","state":"Away","x":1}', 'a duplicate key and an unknown one'),
    { raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), valid: false, what: 'not UTF-8' },
    text('"\\ud800"', 'a lone surrogate'),
    text('[{"state":"Busy"}]', 'an array'),
  ]);
}

/** One connection kept open for the whole run (fetch costs more per request than the app under test). */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
function post(url: string, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method: 'POST', path, headers: { ...headers, 'content-length': String(body.length) }, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// --- the runs -------------------------------------------------------------------------------------------------------

describe(`hardening: seeded fuzzers (sandbox app; seed ${SEED}, FUZZ_SEED=${SEED} to replay)`, () => {
  let app: RunningApp;
  let lines: string[];
  let connector: RecordingConnector;
  let writes: ReturnType<typeof graphWriteCalls>;
  let bot: PresenceBot;

  before(async () => {
    // In-memory state: this run is about what comes in, and ten thousand turns on Azurite would not fit its budget.
    const started = await startLoggedApp(
      'sandbox',
      { limits: UNLIMITED },
      { STORAGE: 'memory', AZURE_STORAGE_CONNECTION_STRING: undefined, AZURE_STORAGE_TABLE_PREFIX: undefined },
    );
    ({ app, lines } = started);
    connector = await startConnector();
    writes = graphWriteCalls(app);
    const sandbox = app.sandbox;
    if (!sandbox) throw new Error('sandbox expected');
    bot = new PresenceBot({
      service: app.service,
      sso: new IssuedSso((who) => sandbox.issuer.issueSsoToken(who)),
      consentUrl: (who) => sandbox.consentUrl(who.userId),
      logger: started.logger,
    });
  });
  after(async () => {
    writes.restore();
    agent.destroy();
    await connector.close();
    await app.close();
    assertCleanLog(lines);
  });

  // A turn over HTTP costs ~5 ms of this process's CPU (client, app and connector stand-in all live here): 10,000 of
  // them would take most of a minute. So the many go through the bot's turn in-process (the same PresenceBot, service
  // and emulator; botbuilder's TestAdapter instead of the endpoint), and fewer take the whole way over HTTP.
  it(`${IN_PROCESS_TEXTS} chat texts through the real bot turn in-process (botbuilder's TestAdapter, the real service and Graph emulator)`, async function () {
    this.timeout(40_000);
    const pick = picker(mulberry32(SEED));
    const texts = Array.from({ length: IN_PROCESS_TEXTS }, () => chatText(pick));
    const zones = texts.map(() => pick.one(TIME_ZONES));
    const locales = texts.map(() => pick.one(LOCALES));
    let next = 0;
    let commands = 0;
    const linesBefore = lines.length;
    // One worker per sender, each turn after the last: the sender's write count is this turn's alone.
    await Promise.all(
      senders.map(async (sender, w) => {
        const adapter = new TestAdapter(async (context) => bot.run(context), {
          channelId: 'msteams',
          from: { id: `29:user-${w}`, name: `User ${w}`, aadObjectId: sender.userId },
          recipient: { id: '28:presence-bot', name: 'Presence' },
          conversation: { id: `a:chat-${w}`, tenantId: sender.tenantId, isGroup: false, conversationType: 'personal', name: 'chat' },
        });
        while (next < texts.length) {
          const i = next++;
          const text = texts[i] ?? '';
          const shown = `#${i} ${JSON.stringify(text).slice(0, 120)} (tz ${String(zones[i])})`;
          const before = writes.of(sender.userId);
          const mayWrite = writesFor(text, zones[i]);
          await adapter.processActivity({ type: 'message', text, localTimezone: zones[i], locale: locales[i] });
          const replies = adapter.activeQueue.splice(0);
          assert.ok(replies.length >= 1, `${shown}: no reply`);
          assert.ok(!replies.some((r) => said(r).includes(INTERNAL)), `${shown}: ${replies.map(said).join(' | ')}`);
          if (checkWrites(shown, mayWrite, writes.of(sender.userId) - before, () => writesFor(text, zones[i]))) commands++;
        }
      }),
    );
    assert.ok(commands > IN_PROCESS_TEXTS * 0.03, `only ${commands} commands: the grammar makes too few valid ones to show writes are seen`);
    assert.ok(lines.length - linesBefore <= IN_PROCESS_TEXTS, `${lines.length - linesBefore} log lines for ${IN_PROCESS_TEXTS} turns`);
  });

  it(`${HTTP_TEXTS} chat texts over HTTP: POST /api/messages with a connector stand-in`, async function () {
    this.timeout(40_000);
    const pick = picker(mulberry32(SEED ^ 0x5eed));
    let commands = 0;
    for (let i = 0; i < HTTP_TEXTS; i++) {
      const sender = senders[i % USERS] ?? { userId: '', tenantId: '' };
      const text = chatText(pick);
      const localTimezone = pick.one(TIME_ZONES);
      const activity = teamsMessage(connector.url, text, {
        localTimezone,
        locale: pick.one(LOCALES),
        from: { id: `29:user-${i % USERS}`, name: 'User', aadObjectId: sender.userId },
        conversation: { id: `a:chat-${i % USERS}`, conversationType: 'personal', tenantId: sender.tenantId },
        channelData: { tenant: { id: sender.tenantId } },
      });
      const shown = `#${i} ${JSON.stringify(text).slice(0, 120)} (tz ${String(localTimezone)})`;
      const before = writes.of(sender.userId);
      const mayWrite = writesFor(text, localTimezone);
      const repliesBefore = connector.activities.length;
      const {
        result: { status },
        added,
      } = await linesDuring(lines, () => post(app.url, '/api/messages', { 'content-type': 'application/json' }, Buffer.from(JSON.stringify(activity))));
      const replies = connector.activities.slice(repliesBefore);
      assert.equal(status, 200, shown);
      assert.ok(
        replies.some((r) => r.replyToId === activity.id),
        `${shown}: no reply`,
      );
      assert.ok(!replies.some((r) => said(r).includes(INTERNAL)), `${shown}: an internal error reply`);
      if (checkWrites(shown, mayWrite, writes.of(sender.userId) - before, () => writesFor(text, localTimezone))) commands++;
      // A text that is no command is the bot's refusal: it says so in the chat, and in the log once at most.
      if (!mayWrite) assert.ok(added.length <= 1, `${shown}: ${added.length} log lines:\n${added.join('\n')}`);
    }
    assert.ok(commands > HTTP_TEXTS * 0.03, `only ${commands} commands`);
  });

  it(`${TAB_BODIES} tab API bodies with a valid token: 200 or 4xx, never 5xx, and no Graph write for what is not a valid request`, async function () {
    this.timeout(40_000);
    const pick = picker(mulberry32(SEED ^ 0x7ab));
    const tokens = await Promise.all(senders.map((s) => ssoToken(app, s.userId, s.tenantId)));
    let valid = 0;
    for (let i = 0; i < TAB_BODIES; i++) {
      const sender = senders[i % USERS] ?? { userId: '', tenantId: '' };
      const body = tabBody(pick, Date.now());
      const shown = `#${i} (${body.what}) ${body.raw.toString('utf8').slice(0, 160)}`;
      const before = writes.of(sender.userId);
      const { result: answer, added } = await linesDuring(lines, async () => {
        const res = await post(app.url, '/api/presence', { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % USERS] ?? ''}` }, body.raw);
        return { status: res.status, text: res.body };
      });
      const wrote = writes.of(sender.userId) - before;
      assert.ok(answer.status === 200 || (answer.status >= 400 && answer.status < 500), `${shown}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
      if (body.valid && body.raw.length <= 4096) {
        valid++;
        assert.equal(answer.status, 200, `${shown}: ${answer.text.slice(0, 300)}`);
        assert.ok(wrote >= 1, `${shown}: taken, but no Graph write`);
      } else {
        assert.ok(answer.status >= 400 && answer.status < 500, `${shown}: not a valid request, but HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
        assert.equal(wrote, 0, `${shown}: not a valid request, but ${wrote} Graph writes`);
        assert.ok(added.length <= 1, `${shown}: a refusal logged ${added.length} lines:\n${added.join('\n')}`);
      }
    }
    assert.ok(valid > TAB_BODIES * 0.04, `only ${valid} valid bodies`);
  });
});

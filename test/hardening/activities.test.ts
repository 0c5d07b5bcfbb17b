/**
 * The bot checks the activity's own fields before it uses any of them: seeded activities, each valid but for one
 * wrongly typed field, sent to the sandbox app's /api/messages over real HTTP. A field the bot reads (or echoes in its
 * reply) refuses the activity with 400 before anything reaches Graph; a field that is free-form by design is taken.
 */
import assert from 'node:assert/strict';
import { messagesFor } from '../../bot/messages';
import { PresenceError } from '../../presence/errors';
import type { RunningApp } from '../../server/app';
import { said, startConnector, teamsMessage, type RecordingConnector } from '../support/connector';
import { ALICE, BOB, TENANT, ssoToken } from '../tab-api/helpers';
import {
  UNLIMITED,
  assertCleanLog,
  clearGraphRequests,
  fuzzSeed,
  graphLog,
  graphWriteCalls,
  linesDuring,
  mulberry32,
  picker,
  rawRequest,
  sandboxUserId,
  startLoggedApp,
  type Pick,
} from './helpers';

const SEED = fuzzSeed();
const COUNT = 300;
const INTERNAL = messagesFor().errors.internal({});

type Kind =
  /** Required, a non-empty string. */
  | 'required'
  /** An absolute http(s) URL: where the reply goes. */
  | 'url'
  /** Optional; a string when present (null is absent: Bot Framework serializers write null for what is not set). */
  | 'string'
  /** Optional; an ISO 8601 date string. */
  | 'date'
  /** Required: an object with a non-empty string id. */
  | 'account'
  /** The id of an account: a non-empty string. */
  | 'id'
  /** Optional; a boolean (conversation.isGroup, which the reply echoes). */
  | 'boolean'
  /** Optional; an object. */
  | 'object'
  /** Optional; an array of accounts. */
  | 'accounts'
  /** Optional; an array of objects. */
  | 'objects'
  /** Any JSON at all, by design: the bot reads it with a check of its own, or not at all. */
  | 'free';

interface Field {
  readonly path: readonly string[];
  readonly kind: Kind;
  /** The activity type it is sent on (default message). */
  readonly type?: string;
}

/** The fields of a Teams message activity, by what the Bot Framework schema says they are. */
const FIELDS: readonly Field[] = [
  { path: ['type'], kind: 'required' },
  { path: ['channelId'], kind: 'required' },
  { path: ['serviceUrl'], kind: 'url' },
  ...['id', 'text', 'locale', 'localTimezone', 'replyToId', 'textFormat', 'name'].map((name): Field => ({ path: [name], kind: 'string' })),
  ...['timestamp', 'localTimestamp', 'expiration'].map((name): Field => ({ path: [name], kind: 'date' })),
  ...['from', 'recipient', 'conversation'].flatMap((account): Field[] => [
    { path: [account], kind: 'account' },
    { path: [account, 'id'], kind: 'id' },
    // The reply's from, recipient and conversation are these accounts, serialized again by botframework-connector,
    // which refuses a wrongly typed one: so every property it maps is checked, not only those the bot reads.
    // (conversation.aadObjectId and .role once passed unchecked: the change was made, the reply failed, 500.)
    ...['name', 'aadObjectId', 'role'].map((name): Field => ({ path: [account, name], kind: 'string' })),
  ]),
  { path: ['conversation', 'tenantId'], kind: 'string' },
  { path: ['conversation', 'conversationType'], kind: 'string' },
  { path: ['conversation', 'isGroup'], kind: 'boolean' },
  { path: ['channelData'], kind: 'object' },
  { path: ['channelData', 'tenant'], kind: 'account' },
  { path: ['channelData', 'tenant', 'id'], kind: 'id' },
  { path: ['membersAdded'], kind: 'accounts', type: 'conversationUpdate' },
  { path: ['membersRemoved'], kind: 'accounts', type: 'conversationUpdate' },
  { path: ['membersAdded'], kind: 'accounts' },
  { path: ['entities'], kind: 'objects' },
  { path: ['attachments'], kind: 'objects' },
  // Free-form, so 200: `value` is a card's data, which bot/cards.ts readCardAction checks itself (anything else is
  // no card action, and the text is read instead); `properties` is botframework-connector's bag of anything (its
  // mapper takes any JSON); channelData and the activity carry fields the channel adds and this bot never reads.
  { path: ['value'], kind: 'free' },
  { path: ['conversation', 'properties'], kind: 'free' },
  { path: ['from', 'properties'], kind: 'free' },
  { path: ['channelData', 'eventType'], kind: 'free' },
  { path: ['channelData', 'somethingNew'], kind: 'free' },
  { path: ['importance'], kind: 'free' },
];

const CONTROL = '\u0000\u0007\u001b[31m\u202e';
/** Wrong values of every JSON type but the right one, and strings that look right but are not. */
function wrongValue(kind: Kind, pick: Pick): unknown {
  const number = () => pick.one([0, -1, 1e308, -0, 2 ** 53 + 1, 0.5, pick.int(-1e9, 1e9)]);
  const object = () => pick.one<unknown>([{}, { id: 'x' }, { toString: 'dnd 1h' }, { a: { b: { c: [] } } }]);
  const array = () => pick.one([[], ['dnd 1h'], [null], [{ id: 'x' }], [[[]]]]);
  const bool = () => pick.chance(0.5);
  const anyBut = (...excluded: string[]) => {
    const makers: Record<string, () => unknown> = { number, object, array, boolean: bool, string: () => pick.one(['x', '', CONTROL, 'true']) };
    return makers[pick.one(Object.keys(makers).filter((k) => !excluded.includes(k)))]?.();
  };
  switch (kind) {
    case 'required':
      return pick.chance(0.2) ? pick.one([null, '']) : anyBut('string');
    case 'url':
      return pick.chance(0.5)
        ? pick.one(['not a url', 'ftp://127.0.0.1/', 'javascript:alert(1)', '', 'file:///etc/passwd', '//127.0.0.1'])
        : pick.one([null, anyBut('string')]);
    case 'string':
      return anyBut('string');
    case 'date':
      return pick.chance(0.4) ? pick.one(['not a date', 'tomorrow', '2024-13-45T99:99:99Z', CONTROL]) : anyBut('string');
    case 'account':
      return pick.chance(0.3) ? pick.one([null, {}, { id: 5 }, { id: '' }, { name: 'no id' }]) : anyBut('object');
    case 'id':
      return pick.chance(0.3) ? pick.one([null, '']) : anyBut('string');
    case 'boolean':
      return anyBut('boolean');
    case 'object':
      return anyBut('object');
    case 'accounts':
      return pick.one([[null], 'x', 5, {}, [5], [{}], [{ id: 5 }], ['28:bot'], [[{ id: 'x' }]]]);
    case 'objects':
      return pick.one(['x', 5, {}, [5], ['x'], [[]], [true]]);
    case 'free':
      return pick.one([null, number(), object(), array(), bool(), 'x', CONTROL, 'x'.repeat(pick.int(1, 5_000))]);
  }
}

interface Case {
  readonly field: Field;
  readonly value: unknown;
}

/** COUNT cases, every field in turn, each with a wrong value of its own. */
function generate(seed: number): Case[] {
  const pick = picker(mulberry32(seed));
  return Array.from({ length: COUNT }, (_, i) => {
    const field = FIELDS[i % FIELDS.length] as Field;
    return { field, value: wrongValue(field.kind, pick) };
  });
}

/** The template with one field set to `value` (deep: the path's parents are the template's own). */
function withField(template: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const activity = structuredClone(template);
  let node: Record<string, unknown> = activity;
  path.slice(0, -1).forEach((key) => {
    node = node[key] as Record<string, unknown>;
  });
  node[path[path.length - 1] ?? ''] = value;
  return activity;
}

describe(`hardening: wrongly typed activity fields (sandbox app, real HTTP; seed ${SEED}, FUZZ_SEED=${SEED} to replay)`, () => {
  let app: RunningApp;
  let lines: string[];
  let connector: RecordingConnector;

  before(async () => {
    ({ app, lines } = await startLoggedApp('sandbox', { limits: UNLIMITED }));
    connector = await startConnector();
  });
  after(async () => {
    await connector.close();
    await app.close();
    assertCleanLog(lines);
  });

  /** The Graph requests the emulator served while `fn` ran (the log is emptied first). */
  const graphDuring = async <T>(fn: () => Promise<T>): Promise<{ result: T; requests: readonly { method: string; path: string }[] }> => {
    await clearGraphRequests(app);
    const result = await fn();
    return { result, requests: await graphLog(app) };
  };

  const post = (activity: unknown) =>
    rawRequest(app.url, { path: '/api/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });

  const byField = new Map<string, Case[]>();
  for (const c of generate(SEED)) {
    const key = `${c.field.type ?? 'message'} ${c.field.path.join('.')}`;
    byField.set(key, [...(byField.get(key) ?? []), c]);
  }

  it(`sends ${COUNT} activities over ${FIELDS.length} fields`, () => {
    assert.equal([...byField.values()].flat().length, COUNT);
    assert.equal(byField.size, FIELDS.length);
  });

  it('the template itself is taken: "dnd 1h" sets Do not disturb (so a refused variant is refused for its one field)', async () => {
    const { result, requests } = await graphDuring(() => post(teamsMessage(connector.url, 'dnd 1h')));
    assert.equal(result.status, 200, result.body);
    assert.ok(
      requests.some((r) => r.method === 'POST' && r.path.endsWith('/setUserPreferredPresence')),
      JSON.stringify(requests),
    );
  });

  for (const [key, cases] of byField) {
    const { kind } = cases[0]?.field ?? { kind: 'free' };
    const free = kind === 'free';
    it(`${key} (${kind}): ${cases.length} wrong values ${free ? 'are taken (200)' : 'are refused (400), and Graph sees nothing'}`, async () => {
      for (const { field, value } of cases) {
        const template = teamsMessage(connector.url, 'dnd 1h', field.type ? { type: field.type, membersAdded: [{ id: '28:presence-bot' }] } : {});
        const activity = withField(template, field.path, value);
        const shown = `${key} = ${JSON.stringify(value)?.slice(0, 80)}`;
        const repliesBefore = connector.activities.length;
        const {
          result: { result: answer, added },
          requests,
        } = await graphDuring(() => linesDuring(lines, () => post(activity)));
        assert.ok(answer.status < 500, `${shown}: HTTP ${answer.status} ${answer.body}`);
        if (free) {
          assert.equal(answer.status, 200, `${shown}: ${answer.body}`);
          const replies = connector.activities.slice(repliesBefore);
          assert.ok(
            replies.some((r) => r.replyToId === activity.id),
            `${shown}: no reply`,
          );
          assert.ok(!replies.some((r) => said(r).includes(INTERNAL)), `${shown}: an internal error reply`);
          assert.ok(!added.some((line) => line.includes('"level":"error"')), `${shown}: ${added.join('\n')}`);
        } else {
          assert.equal(answer.status, 400, `${shown}: ${answer.body}`);
          assert.match(answer.body, /^\{"error":"activity: [\w.[\]]+"\}$/, shown);
          assert.deepEqual(requests, [], `${shown}: Graph was called`);
          assert.equal(connector.activities.length, repliesBefore, `${shown}: the bot replied`);
          assert.equal(added.length, 1, `${shown}: ${added.join('\n')}`);
        }
      }
    });
  }

  describe("invokes, whose value is the invoke's own", () => {
    const invoke = (name: string, value: unknown) => ({ ...teamsMessage(connector.url, ''), type: 'invoke', name, value });

    it('signin/tokenExchange and signin/verifyState with a number for value: not for this sandbox bot (404), and nothing else happens', async () => {
      for (const name of ['signin/tokenExchange', 'signin/verifyState']) {
        const repliesBefore = connector.activities.length;
        const { result, requests } = await graphDuring(() => post(invoke(name, 5)));
        assert.equal(result.status, 404, `${name}: ${result.body}`);
        assert.deepEqual(requests, []);
        assert.equal(connector.activities.length, repliesBefore);
      }
    });

    // An invoke the bot does not implement once reached botbuilder's own handlers, which crash on a value of the wrong
    // shape (adaptiveCard/action reads value.action.type). The answer may be 400 or 501 ("not implemented": this
    // bot has no Action.Execute cards).
    it('adaptiveCard/action with a number for value is refused (400 or 501) without an internal error', async () => {
      const repliesBefore = connector.activities.length;
      const {
        result: { result: answer, added },
        requests,
      } = await graphDuring(() => linesDuring(lines, () => post(invoke('adaptiveCard/action', 5))));
      assert.deepEqual(requests, []);
      assert.ok(!added.some((line) => line.includes('unhandled turn error')), added.join('\n'));
      assert.ok(!connector.activities.slice(repliesBefore).some((a) => said(a).includes(INTERNAL)), 'the user was told of an internal error');
      assert.ok([400, 501].includes(answer.status), `HTTP ${answer.status} ${answer.body}`);
    });
  });

  describe('cross-user SSO at the service level', () => {
    it("user A's SSO token used for sender B is refused before any on-behalf-of exchange", async () => {
      // Users no test has exchanged a token for, so nothing is cached and an accepted token would be exchanged.
      const userA = { userId: sandboxUserId(900_001), tenantId: TENANT };
      const userB = { userId: sandboxUserId(900_002), tenantId: TENANT };
      const tokenA = await ssoToken(app, userA.userId);
      const writes = graphWriteCalls(app);
      try {
        const exchanges = app.tokens.stats().exchanges;
        const issued = app.sandbox?.issuer.stats.oboExchanges;
        await assert.rejects(
          app.service.execute({ kind: 'sso', ssoToken: tokenA, expected: userB }, { kind: 'set', state: 'Busy' }),
          (err: unknown) => err instanceof PresenceError && err.code === 'unauthenticated',
        );
        assert.equal(app.tokens.stats().exchanges, exchanges);
        assert.equal(app.sandbox?.issuer.stats.oboExchanges, issued);
        assert.equal(app.tokens.cached(userA), undefined);
        assert.equal(writes.total(), 0);
        // The same token for its own user is exchanged and acts: the refusal above was for the mismatch alone.
        const { identity } = await app.service.execute({ kind: 'sso', ssoToken: tokenA, expected: userA }, { kind: 'set', state: 'Busy' });
        assert.deepEqual(identity, userA);
        assert.equal(app.tokens.stats().exchanges, exchanges + 1);
        assert.equal(writes.of(userA.userId), 1);
      } finally {
        writes.restore();
      }
    });

    it("a cached user is no shortcut: ALICE's token for BOB is refused even once ALICE's Graph token is cached", async () => {
      const token = await ssoToken(app, ALICE);
      await app.service.execute({ kind: 'sso', ssoToken: token, expected: { userId: ALICE, tenantId: TENANT } }, { kind: 'read' });
      const exchanges = app.tokens.stats().exchanges;
      await assert.rejects(
        app.service.execute({ kind: 'sso', ssoToken: token, expected: { userId: BOB, tenantId: TENANT } }, { kind: 'read' }),
        (err: unknown) => err instanceof PresenceError && err.code === 'unauthenticated',
      );
      assert.equal(app.tokens.stats().exchanges, exchanges);
    });
  });
});

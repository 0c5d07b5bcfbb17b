import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { PresenceBot } from '../../bot/presence-bot';
import { IssuedSso } from '../../bot/sso';
import { en } from '../../bot/messages';
import { extendLimitReply, replyActivity } from '../../bot/replies';
import { silentLogger } from '../../presence/log';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SANDBOX_USER_ID, cardText, personalChat, said } from '../support/connector';
import { storageEnv } from '../support/storage';
import { UNLIMITED } from '../tab-api/helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TEMPLATE: Partial<Activity> = personalChat({ timeZone: 'America/New_York' });

interface Button {
  readonly title: string;
  readonly data?: unknown;
}
const buttons = (a: Partial<Activity>): Button[] => (a.attachments?.[0]?.content as { actions?: Button[] } | undefined)?.actions ?? [];
const button = (a: Partial<Activity>, title: string): unknown => {
  const found = buttons(a).find((b) => b.title === title);
  assert.ok(found, `no "${title}" button in ${JSON.stringify(buttons(a).map((b) => b.title))}`);
  return found.data;
};
const near = (actual: string | null | undefined, expected: number, what: string) => {
  const at = Date.parse(actual ?? '');
  assert.ok(Math.abs(at - expected) < 30_000, `${what}: ${actual} vs ${new Date(expected).toISOString()}`);
};

/** Buttons carry intents resolved when clicked; every reply is one message. Real TestAdapter, real service, sandbox Graph. */
describe('bot buttons and reply shape (TestAdapter)', () => {
  let app: RunningApp;
  before(async () => {
    app = await startServer(loadConfig({ PORT: '0', ...(await storageEnv()) }), { logger: silentLogger, ...UNLIMITED });
  });
  after(async () => app.close());
  beforeEach(() => app.sandbox?.emulator.reset());

  const adapter = () => {
    const sandbox = app.sandbox;
    if (!sandbox) throw new Error('sandbox expected');
    const bot = new PresenceBot({ service: app.service, sso: new IssuedSso((who) => sandbox.issuer.issueSsoToken(who)), logger: silentLogger });
    return new TestAdapter(async (context) => bot.run(context), TEMPLATE);
  };
  const emulator = () => {
    const e = app.sandbox?.emulator;
    if (!e) throw new Error('sandbox expected');
    return e.snapshot(SANDBOX_USER_ID);
  };
  const appSession = () => emulator().sessions.find((s) => s.kind === 'application')?.expiresAt;
  /** Sends one activity and returns the one reply. */
  const turn = async (a: TestAdapter, activity: string | Partial<Activity>): Promise<Partial<Activity>> => {
    let reply: Partial<Activity> | undefined;
    await a
      .send(activity)
      .assertReply((r) => void (reply = r))
      .startTest();
    assert.ok(reply);
    return reply;
  };
  const click = (a: TestAdapter, data: unknown) => turn(a, { type: 'message', text: '', value: data });

  it('"+1 hour" clicked twice on the same card extends twice, from the end that is set at each click', async () => {
    const a = adapter();
    const start = Date.now();
    const plus = button(await turn(a, 'busy 1h'), '+1 hour');
    near(emulator().preferredPresence?.expiresAt, start + HOUR, 'busy 1h');
    assert.match(said(await click(a, plus)), /^Your status is Busy until /);
    near(emulator().preferredPresence?.expiresAt, start + 2 * HOUR, 'after one click');
    await click(a, plus);
    near(emulator().preferredPresence?.expiresAt, start + 3 * HOUR, 'after two clicks');
  });

  it('"+1 hour" keeps the status message set with the status, and moves its end too', async () => {
    const a = adapter();
    const start = Date.now();
    await click(a, button(await turn(a, 'dnd 1h "deep work"'), '+1 hour'));
    const state = emulator();
    assert.equal(state.statusMessage?.content, 'deep work');
    near(state.statusMessage?.expiresAt, start + 2 * HOUR, 'message end');
    near(state.preferredPresence?.expiresAt, start + 2 * HOUR, 'status end');
  });

  it('a stale "+1 hour" (the status was reset since) sets that status for one hour from the click', async () => {
    const a = adapter();
    const plus = button(await turn(a, 'dnd 30m'), '+1 hour');
    await turn(a, 'reset');
    assert.equal(emulator().preferredPresence, null);
    const clicked = Date.now();
    assert.match(said(await click(a, plus)), /^Your status is Do not disturb until /);
    near(emulator().preferredPresence?.expiresAt, clicked + HOUR, 'after reset');
  });

  it('a card from before buttons carried intents (set with a fixed end that has passed) still adds one hour', async () => {
    const a = adapter();
    const clicked = Date.now();
    const reply = await click(a, { presenceAction: { type: 'set', state: 'Busy', until: new Date(clicked - 5 * 60_000).toISOString() } });
    assert.match(said(reply), /^Your status is Busy until /);
    near(emulator().preferredPresence?.expiresAt, clicked + HOUR, 'legacy card');
  });

  it('no "+1 hour" on a status left to Teams\' 7-day default; a click from elsewhere says the limit and offers the longest', async () => {
    const a = adapter();
    const offline = await turn(a, 'offline');
    assert.ok(!buttons(offline).some((b) => b.title === en.buttons.extend), 'no +1 hour past the limit');
    const refused = await click(a, { presenceAction: { type: 'extend', state: 'AppearOffline', byMs: HOUR } });
    assert.equal(said(refused), en.extendPastLimit('Appear offline', '7 days'));
    const before = emulator().preferredPresence?.expiresAt;
    const clicked = Date.now();
    await click(a, button(refused, '7 days from now'));
    near(emulator().preferredPresence?.expiresAt, clicked + 7 * DAY, 'the longest allowed');
    assert.ok(before, 'offline was set');
  });

  it('a session state: +1 hour within 24 hours extends the session; past 24 hours it is refused and nothing changes', async () => {
    const a = adapter();
    const start = Date.now();
    await click(a, button(await turn(a, 'call 30m'), '+1 hour'));
    near(appSession(), start + 90 * 60_000, 'call extended');
    const long = await turn(a, 'call 23h30m');
    assert.ok(!buttons(long).some((b) => b.title === en.buttons.extend), '23h30m + 1h passes 24 hours');
    const session = appSession();
    const refused = await click(a, { presenceAction: { type: 'extend', state: 'InACall', byMs: HOUR } });
    assert.equal(said(refused), en.extendPastLimit('In a call', '1 day'));
    assert.equal(appSession(), session, 'nothing changed');
  });

  it("past the limit the service applied (a session's 4 hours without timers), the reply and its button say that limit, not 24 hours", () => {
    const reply = replyActivity(extendLimitReply('InACall', 4 * HOUR, en), 'en');
    assert.equal(said(reply), en.extendPastLimit('In a call', '4 hours'));
    assert.deepEqual(button(reply, en.buttons.longest('4 hours')), { presenceAction: { type: 'extend', state: 'InACall', byMs: 4 * HOUR, upToLimit: true } });
  });

  it('"did you mean" is a button that runs the suggested command, read when clicked', async () => {
    const a = adapter();
    const question = await turn(a, 'dnf 8h');
    assert.equal(said(question), en.didYouMean('dnd 8h'));
    const clicked = Date.now();
    assert.match(said(await click(a, button(question, 'dnd 8h'))), /^Your status is Do not disturb until /);
    near(emulator().preferredPresence?.expiresAt, clicked + 8 * HOUR, 'dnd 8h from the click');
  });

  it('a session state hidden by a preferred status: the heading says what people see, then why, with Reset first', async () => {
    const a = adapter();
    await turn(a, 'offline 2h');
    const reply = await turn(a, 'call 30m');
    const card = reply.attachments?.[0]?.content as { body: { text: string }[] };
    assert.equal(card.body[0]?.text, 'People see Appear offline');
    assert.match(
      card.body[1]?.text ?? '',
      /^In a call is set until .+, but people see Appear offline: the status you chose outranks what an app sets\. Reset to show In a call\.$/,
    );
    assert.equal(buttons(reply)[0]?.title, 'Reset');
  });

  it('every reply is one message: a card carries its sentences as summary and fallback text, never as a second text; none reads "You\'re" or has two parentheses in a row', async () => {
    const a = adapter();
    const replies: Partial<Activity>[] = [];
    let chain = a.send({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'Presence' }] }).assertReply((r) => void replies.push(r));
    for (const text of [
      'dnd 2h "deep work"',
      'status',
      'brb',
      'away 45m',
      'offline 1h',
      'call 30m',
      'status',
      'reset',
      'help',
      'dnf',
      'banana',
      'presenting 9h',
      'available 30m',
      'forget me',
    ]) {
      chain = chain.send(text).assertReply((r) => void replies.push(r));
    }
    await chain.startTest();
    assert.equal(replies.length, 15);
    for (const reply of replies) {
      const shown = `${said(reply)}\n${cardText(reply)}`;
      const card = reply.attachments?.[0]?.content as { fallbackText?: string } | undefined;
      if (card) assert.equal(card.fallbackText, reply.summary, `fallback text is the summary: ${shown}`);
      assert.ok(said(reply).length > 0, 'every reply says something');
      assert.ok(!/You're/.test(shown), shown);
      assert.ok(!/\)\s*\(/.test(shown), shown);
      assert.ok(!/[^.!?:"]\s+But /.test(said(reply)), `sentences end before the next: ${said(reply)}`);
    }
  });
});

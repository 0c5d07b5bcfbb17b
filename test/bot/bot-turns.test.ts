import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import sinon from 'sinon';
import { PresenceBot } from '../../bot/presence-bot';
import { IssuedSso, TeamsSso, type BotTokenService } from '../../bot/sso';
import { en, messagesFor } from '../../bot/messages';
import { PresenceError } from '../../presence/errors';
import { silentLogger, type Logger } from '../../presence/log';
import { MemoryRecordStore } from '../../presence/memory-store';
import { userPartition } from '../../presence/store';
import type { PresenceService } from '../../presence/service';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SANDBOX_TENANT_ID, SANDBOX_USER_ID, cardText, personalChat, said } from '../support/connector';
import { storageEnv } from '../support/storage';

const USER = { userId: SANDBOX_USER_ID, tenantId: SANDBOX_TENANT_ID };
const TEMPLATE: Partial<Activity> = personalChat({ timeZone: 'Europe/Berlin' });

const textOf = (a: Partial<Activity>) => `${said(a)}\n${cardText(a)}`;

/** Bot turns through botbuilder's real TestAdapter, against the real presence service and the sandbox Graph emulator. */
describe('bot turns (TestAdapter)', () => {
  let app: RunningApp;
  before(async () => {
    app = await startServer(loadConfig({ PORT: '0', ...(await storageEnv()) }), { logger: silentLogger });
  });
  after(async () => app.close());
  beforeEach(() => {
    app.sandbox?.emulator.reset();
  });

  const sandboxBot = (logger: Logger = silentLogger, service: Pick<PresenceService, 'execute'> = app.service) => {
    const issuer = app.sandbox;
    if (!issuer) throw new Error('sandbox expected');
    return new PresenceBot({ service, sso: new IssuedSso((who) => issuer.issuer.issueSsoToken(who)), consentUrl: () => 'http://127.0.0.1/consent', logger });
  };
  const adapterFor = (bot: PresenceBot) => new TestAdapter(async (context) => bot.run(context), TEMPLATE);

  it('"dnd 8h" replies with a Do not disturb card ending 8 hours from now, in the user\'s zone', async () => {
    const now = Date.now();
    await adapterFor(sandboxBot())
      .send('dnd 8h')
      .assertReply((reply) => {
        // The turn reads its own clock after `now`, so a minute boundary may fall between the two: accept either minute.
        const clock = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', hour: 'numeric', minute: '2-digit' });
        const ends = [now, Date.now()].map((t) => clock.format(new Date(t + 8 * 3600_000)));
        assert.match(textOf(reply), /Your status is Do not disturb until/);
        assert.ok(
          ends.some((end) => textOf(reply).includes(end)),
          `expected ${ends.join(' or ')} in ${textOf(reply)}`,
        );
        assert.match(textOf(reply), /GMT\+1|CET|GMT\+2|CEST/);
        const card = reply.attachments?.[0]?.content as { version: string; actions: { title: string }[] };
        assert.equal(card.version, '1.5');
        assert.deepEqual(
          card.actions.map((a) => a.title),
          ['Reset', '+1 hour', 'Available', 'Busy', 'Do not disturb'],
        );
      })
      .startTest();
  });

  it("keeps where to reach the user (the 1:1 conversation, locale, time zone) with what it set, without the turn's activity ID", async () => {
    await adapterFor(sandboxBot())
      .send('busy 45m')
      .assertReply((r) => assert.match(textOf(r), /Your status is Busy until/))
      .startTest();
    const record = (await app.storage.stores.users.read({ partition: userPartition(USER), row: 'presence' }))?.value as {
      contact: { conversation: Record<string, unknown>; locale: string; timeZone: string };
      preferred: { state: string };
    };
    assert.equal(record.preferred.state, 'Busy');
    assert.equal(record.contact.locale, 'en-US');
    assert.equal(record.contact.timeZone, 'Europe/Berlin');
    assert.deepEqual((record.contact.conversation.conversation as { id: string }).id, 'a:chat');
    assert.equal(record.contact.conversation.channelId, 'msteams');
    assert.ok(!('activityId' in record.contact.conversation));
  });

  it('"forget me" deletes what the app stored about the sender and says so; status then knows nothing', async () => {
    await adapterFor(sandboxBot())
      .send('dnd 1h')
      .assertReply((r) => assert.match(textOf(r), /Do not disturb/))
      .send('forget me')
      // The record, and the reminder planned for the hour (earlier tests' reminders for this user too).
      .assertReply((r) => assert.match(textOf(r), /deleted everything it stored about you \([2-9]\d* records\)/))
      .send('forget me')
      .assertReply((r) => assert.match(textOf(r), /had nothing stored about you/))
      .startTest();
    assert.equal(await app.storage.stores.users.read({ partition: userPartition(USER), row: 'presence' }), undefined);
    assert.deepEqual(await app.scheduler.pending(USER), [], 'no reminder left');
    // Talking to the bot again is coming back: what it then needs is stored anew.
    await adapterFor(sandboxBot())
      .send('status')
      .assertReply((r) => assert.match(textOf(r), /This app has set nothing for you right now/))
      .startTest();
  });

  it('strips a leading @mention and ignores case and punctuation', async () => {
    await adapterFor(sandboxBot())
      .send('<at>Presence</at> BUSY 30m!')
      .assertReply((r) => assert.match(textOf(r), /Your status is Busy until/))
      .startTest();
  });

  it('"dnd" without a duration says Graph\'s default (1 day) applies', async () => {
    await adapterFor(sandboxBot())
      .send('dnd')
      .assertReply((r) => assert.match(textOf(r), /default applies: 1 day/))
      .startTest();
  });

  it('"status" reports the current presence and what this app set', async () => {
    await adapterFor(sandboxBot())
      .send('brb 20m')
      .assertReply((r) => assert.match(textOf(r), /Be right back/))
      .send('status')
      .assertReply((r) => {
        assert.match(textOf(r), /Your status is Be right back, set by this app\./);
        assert.match(textOf(r), /Be right back ends at/);
      })
      .startTest();
  });

  it('help and near misses: "dnf 8h" suggests dnd, nonsense gets the help card', async () => {
    await adapterFor(sandboxBot())
      .send('dnf 8h')
      .assertReply((r) => assert.match(textOf(r), /Did you mean "dnd/))
      .send('help')
      .assertReply((r) => assert.match(textOf(r), /Set your Teams status/))
      .startTest();
  });

  it('an out-of-range duration says what is accepted and changes nothing', async () => {
    await adapterFor(sandboxBot())
      .send('presenting 25h')
      .assertReply((r) => assert.match(textOf(r), /Presenting can be set for 5 minutes to 1 day/))
      .startTest();
  });

  it('the "+1 hour" button extends the current state', async () => {
    let extendData: unknown;
    const adapter = adapterFor(sandboxBot());
    await adapter
      .send('busy 1h')
      .assertReply((r) => {
        const card = r.attachments?.[0]?.content as { actions: { title: string; data: unknown }[] };
        extendData = card.actions.find((a) => a.title === '+1 hour')?.data;
      })
      .startTest();
    const before = Date.now();
    await adapter
      .send({ type: 'message', text: '', value: extendData })
      .assertReply((r) => assert.match(textOf(r), /Your status is Busy until/))
      .startTest();
    const state = app.sandbox?.emulator.snapshot(SANDBOX_USER_ID);
    const expires = Date.parse(state?.preferredPresence?.expiresAt ?? '');
    assert.ok(Math.abs(expires - (before + 2 * 3600_000)) < 60_000, `expires ${state?.preferredPresence?.expiresAt}`);
  });

  it('"busy until 17:00"-style end times: the card shows the very minute named, and Graph\'s expiry is never before it', async () => {
    const emulator = app.sandbox?.emulator;
    if (!emulator) throw new Error('sandbox expected');
    // A whole hour 2 to 3 hours ahead on the user's (Berlin) wall clock, typed as 24-hour time.
    const hour = 3600_000;
    const end = Math.floor((emulator.now() + 3 * hour) / hour) * hour;
    const typed = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(end);
    const shown = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', hour: 'numeric', minute: '2-digit' }).format(end);
    await adapterFor(sandboxBot())
      .send(`busy until ${typed}`)
      .assertReply((r) => assert.match(textOf(r), new RegExp(`Your status is Busy until ${shown}`)))
      .startTest();
    const expires = Date.parse(emulator.snapshot(SANDBOX_USER_ID).preferredPresence?.expiresAt ?? '');
    assert.ok(expires >= end && expires < end + 1000, `expires ${new Date(expires).toISOString()}, named ${new Date(end).toISOString()}`);
  });

  it('a status message ends with its status: "dnd 2h “deep work”", then "brb 30m" clears it, and "reset" leaves none', async () => {
    const emulator = app.sandbox?.emulator;
    if (!emulator) throw new Error('sandbox expected');
    const adapter = adapterFor(sandboxBot());
    await adapter
      .send('dnd 2h "deep work"')
      .assertReply((r) => assert.match(textOf(r), /Your status is Do not disturb until/))
      .startTest();
    assert.equal(emulator.snapshot(SANDBOX_USER_ID).statusMessage?.content, 'deep work');
    await adapter
      .send('brb 30m')
      .assertReply((r) => assert.match(textOf(r), /Your status is Be right back until/))
      .startTest();
    const afterBrb = emulator.snapshot(SANDBOX_USER_ID);
    assert.equal(afterBrb.preferredPresence?.availability, 'BeRightBack');
    assert.equal(afterBrb.statusMessage, null);
    await adapter
      .send('reset')
      .assertReply((r) => assert.ok(textOf(r).length > 0))
      .startTest();
    const afterReset = emulator.snapshot(SANDBOX_USER_ID);
    assert.equal(afterReset.preferredPresence, null);
    assert.equal(afterReset.statusMessage, null);
  });

  it('welcomes the user when the bot is installed', async () => {
    await adapterFor(sandboxBot())
      .send({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot', name: 'Presence' }] })
      .assertReply((r) => assert.match(textOf(r), /I set your Teams status for you/))
      .startTest();
  });

  describe('partial success is said as partial', () => {
    afterEach(() => sinon.restore());

    it('"dnd 1h" with a status message Graph fails to set: the status is set and said so, then one sentence on the message with a reference', async () => {
      const emulator = app.sandbox?.emulator;
      if (!emulator) throw new Error('sandbox expected');
      // The emulator answers 500 for an unexpected failure: retried, then graph_unavailable for the message alone.
      sinon.stub(emulator, 'setStatusMessage').throws(new Error('disk on fire'));
      await adapterFor(sandboxBot())
        .send('dnd 1h "deep work"')
        .assertReply((r) => {
          const reply = textOf(r);
          assert.match(reply, /Your status is Do not disturb until/);
          assert.match(reply, /But your status message wasn't set\. If it keeps happening, give your admin this reference: [0-9a-f-]{36}\.$/);
          assert.ok(!reply.includes('Status message: "deep work"'), reply);
        })
        .startTest();
      const state = emulator.snapshot(SANDBOX_USER_ID);
      assert.equal(state.preferredPresence?.availability, 'DoNotDisturb');
      assert.equal(state.statusMessage, null);
    });

    it('"call 30m" whose read-back fails: set, not confirmed, and the reference in a sentence of its own (never two parentheses in a row)', async () => {
      const emulator = app.sandbox?.emulator;
      if (!emulator) throw new Error('sandbox expected');
      sinon.stub(emulator, 'getPresence').throws(new Error('disk on fire'));
      await adapterFor(sandboxBot())
        .send('call 30m')
        .assertReply((r) => {
          const reply = textOf(r);
          assert.match(reply, /Your status is In a call until/);
          assert.match(
            reply,
            /But Teams couldn't confirm that people see it \(a preferred status would outrank it\)\. If it keeps happening, give your admin this reference: [0-9a-f-]{36}\.$/,
          );
          assert.ok(!/\)\s*\(/.test(reply), reply);
        })
        .startTest();
    });
  });

  describe('errors become clear sentences', () => {
    const failing = (err: PresenceError) => ({ execute: sinon.stub().rejects(err) });

    it('throttled says when to try again', async () => {
      await adapterFor(sandboxBot(silentLogger, failing(new PresenceError('throttled', { retryAfterSeconds: 42 }))))
        .send('dnd 1h')
        .assertReply((r) => assert.equal(said(r), 'Teams is busy right now. Please try again in 42 seconds.'))
        .startTest();
    });

    it('Graph down: an apology with a correlation ID that is also in the log, and no detail or token', async () => {
      const logger = { ...silentLogger, error: sinon.spy() };
      await adapterFor(sandboxBot(logger, failing(new PresenceError('graph_unavailable', { detail: 'POST /users/{id}: HTTP 503 eyJsecret' }))))
        .send('dnd 1h')
        .assertReply((r) => {
          const id = /reference: ([0-9a-f-]{36})/.exec(said(r))?.[1];
          assert.ok(id, said(r));
          assert.ok(!said(r).includes('503'));
          sinon.assert.calledWithMatch(logger.error, 'command failed', { correlationId: id, code: 'graph_unavailable' });
        })
        .startTest();
    });

    it('consent required (sandbox) shows a consent card', async () => {
      app.sandbox?.issuer.setConsent('11111111-1111-1111-1111-000000000099', false);
      const adapter = new TestAdapter(async (context) => sandboxBot().run(context), {
        ...TEMPLATE,
        from: { id: '29:other', name: 'Other', aadObjectId: '11111111-1111-1111-1111-000000000099' },
      });
      await adapter
        .send('dnd 1h')
        .assertReply((r) => {
          assert.match(textOf(r), /Permission needed/);
          const card = r.attachments?.[0]?.content as { actions: { type: string; url: string }[] };
          assert.equal(card.actions[0]?.type, 'Action.OpenUrl');
        })
        .startTest();
    });

    it('a sender without an Entra identity is told the bot cannot act', async () => {
      const adapter = new TestAdapter(async (context) => sandboxBot().run(context), { ...TEMPLATE, from: { id: 'webchat-user', name: 'Anon' } });
      await adapter
        .send('dnd')
        .assertReply((r) => assert.equal(said(r), messagesFor().notATeamsUser))
        .startTest();
    });
  });

  describe('Teams SSO (production path)', () => {
    const tokenService: BotTokenService = {
      signInResource: () =>
        Promise.resolve({
          signInLink: 'https://token.botframework.com/signin',
          tokenExchangeResource: { id: 'ter-1', uri: 'api://presence.example.com/botid-x', providerId: 'p' },
        }),
      userToken: () => Promise.resolve(undefined),
    };
    const teamsBot = () => {
      const teamsSso = new TeamsSso({ store: new MemoryRecordStore(), connectionName: 'graph', messages: messagesFor, tokenService });
      return new PresenceBot({ service: app.service, sso: teamsSso, teamsSso, logger: silentLogger });
    };
    const sso = () => app.sandbox?.issuer.issueSsoToken(USER) ?? Promise.reject(new Error('no sandbox'));

    it('first command: an OAuth card with the token exchange resource; the exchange runs the waiting command once', async () => {
      app.tokens.evict(USER);
      const token = await sso();
      const exchange = { type: 'invoke', name: 'signin/tokenExchange', value: { id: 'ex-1', connectionName: 'graph', token } } as Partial<Activity>;
      await adapterFor(teamsBot())
        .send('dnd 8h')
        .assertReply((r) => {
          assert.equal(r.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.oauth');
          // One message: the card, with its sentence as the preview, and no text beside it.
          assert.equal(r.summary, en.signIn.text);
          assert.equal(r.text, undefined);
          assert.equal(
            (r.attachments?.[0]?.content as { tokenExchangeResource: { uri: string } }).tokenExchangeResource.uri,
            'api://presence.example.com/botid-x',
          );
        })
        .send(exchange)
        .assertReply((r) => assert.match(textOf(r), /Your status is Do not disturb until/))
        .assertReply((r) => assert.deepEqual([r.type, (r.value as { status: number }).status], ['invokeResponse', 200]))
        .send(exchange) // the same exchange from the user's second Teams client
        .assertReply((r) => assert.deepEqual([r.type, (r.value as { status: number }).status], ['invokeResponse', 200]))
        .send('status') // the Graph token is cached now: no sign-in card
        .assertReply((r) => assert.match(textOf(r), /Do not disturb/))
        .startTest();
    });

    it('answers 412 when the exchange needs consent, and keeps the command waiting', async () => {
      const other = { userId: '11111111-1111-1111-1111-000000000077', tenantId: SANDBOX_TENANT_ID };
      app.sandbox?.issuer.setConsent(other.userId, false);
      const token = await (app.sandbox?.issuer.issueSsoToken(other) ?? Promise.reject(new Error('no sandbox')));
      const adapter = new TestAdapter(async (context) => teamsBot().run(context), { ...TEMPLATE, from: { id: '29:o', name: 'O', aadObjectId: other.userId } });
      await adapter
        .send({ type: 'invoke', name: 'signin/tokenExchange', value: { id: 'ex-2', connectionName: 'graph', token } })
        .assertReply((r) => assert.deepEqual([r.type, (r.value as { status: number }).status], ['invokeResponse', 412]))
        .startTest();
    });

    it("signin/failure: the user gets a sentence with a reference, the log gets Teams' reason with the same reference", async () => {
      const logged: Array<Record<string, unknown>> = [];
      const logger = { ...silentLogger, warn: (_message: string, fields?: Record<string, unknown>) => void logged.push(fields ?? {}) };
      const teamsSso = new TeamsSso({ store: new MemoryRecordStore(), connectionName: 'graph', messages: messagesFor, tokenService });
      const bot = new PresenceBot({ service: app.service, sso: teamsSso, teamsSso, logger });
      let reply = '';
      await adapterFor(bot)
        .send({ type: 'invoke', name: 'signin/failure', value: { code: 'resourcematchfailed', message: 'Resource match failed' } })
        .assertReply((r) => {
          reply = textOf(r);
          assert.match(reply, /couldn't sign you in/);
        })
        .assertReply((r) => assert.deepEqual([r.type, (r.value as { status: number }).status], ['invokeResponse', 200]))
        .startTest();
      assert.equal(logged.length, 1);
      assert.equal(logged[0]?.code, 'resourcematchfailed');
      assert.ok(reply.includes(String(logged[0]?.correlationId)), 'the reply carries the logged reference');
    });

    it('refuses an SSO token that belongs to someone else than the sender', async () => {
      const token = await (app.sandbox?.issuer.issueSsoToken({ userId: '11111111-1111-1111-1111-000000000055', tenantId: SANDBOX_TENANT_ID }) ??
        Promise.reject(new Error('no sandbox')));
      await adapterFor(teamsBot())
        .send({ type: 'invoke', name: 'signin/tokenExchange', value: { id: 'ex-3', connectionName: 'graph', token } })
        .assertReply((r) => assert.deepEqual([r.type, (r.value as { status: number }).status], ['invokeResponse', 412]))
        .startTest();
    });
  });
});

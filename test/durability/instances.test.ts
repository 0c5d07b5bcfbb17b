/**
 * Several instances behave as one: two app servers (separate token caches, separate bots) on one store (the
 * run's Azurite, the same tables) and one standalone sandbox for Graph and identity, as two App Service
 * instances behind a load balancer would be.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TestAdapter, type Activity } from 'botbuilder';
import { messagesFor } from '../../bot/messages';
import { PresenceBot } from '../../bot/presence-bot';
import { TeamsSso, type BotTokenService } from '../../bot/sso';
import { silentLogger } from '../../presence/log';
import { userPartition } from '../../presence/store';
import type { RunningApp } from '../../server/app';
import type { StandaloneSandbox } from '../../sandbox/standalone';
import { startTwoInstances, type TwoInstances } from '../support/instances';
import { SANDBOX_TENANT_ID, SANDBOX_USER_ID, cardText, chat, personalChat, type RecordingConnector } from '../support/connector';

interface View {
  presence: { availability: string; source: string };
  preferred?: { state: string; expiresAt: string };
}

describe('durability: two instances on one store behave as one', function () {
  this.timeout(30_000);
  let instances: TwoInstances;
  let sandbox: StandaloneSandbox;
  let one: RunningApp;
  let two: RunningApp;
  let connector: RecordingConnector;

  before(async () => {
    instances = await startTwoInstances();
    ({ sandbox, one, two, connector } = instances);
  });
  after(async () => instances.close());

  const say = async (app: RunningApp, text: string): Promise<string> => cardText(await chat(app.url, connector, text));

  async function tab(app: RunningApp, method: 'GET' | 'POST' | 'DELETE', userId = SANDBOX_USER_ID, body?: unknown): Promise<Record<string, unknown>> {
    const token = await sandbox.sandbox.issueSsoToken({ userId, tenantId: SANDBOX_TENANT_ID });
    const res = await fetch(`${app.url}/api/presence`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Record<string, unknown>;
  }

  it('set on instance 1, instance 2 knows it: status in the chat and GET /api/presence, with the same end time', async () => {
    assert.match(await say(one, 'dnd 2h'), /Do not disturb/);
    assert.match(await say(two, 'status'), /Do not disturb ends at/);
    const [viewOne, viewTwo] = (await Promise.all([tab(one, 'GET'), tab(two, 'GET')])) as unknown as [View, View];
    assert.equal(viewTwo.presence.source, 'preferred');
    assert.deepEqual(viewTwo.preferred, viewOne.preferred);
    assert.equal(viewTwo.preferred?.state, 'DoNotDisturb');
  });

  it('reset on instance 2, instance 1 knows it', async () => {
    await say(one, 'busy 1h');
    assert.match(await say(two, 'reset'), /Your status follows your Teams activity again/);
    assert.match(await say(one, 'status'), /This app has set nothing for you right now/);
  });

  it("20 changes at once, spread over both instances, lose no update: the record's version counts every one", async () => {
    const userId = randomUUID();
    const identity = { tenantId: SANDBOX_TENANT_ID, userId };
    await tab(one, 'POST', userId, { state: 'Busy', durationMinutes: 10 });
    const key = { partition: userPartition(identity), row: 'presence' };
    const start = (await one.storage.stores.users.read(key))?.value as { version: number };
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => tab(i % 2 ? one : two, 'POST', userId, { state: 'Busy', durationMinutes: 11 + i })));
    assert.deepEqual(
      answers.filter((a) => (a.set as { storeFailure?: unknown }).storeFailure),
      [],
      'every change was recorded',
    );
    const end = (await two.storage.stores.users.read(key))?.value as { version: number; preferred: { state: string } };
    assert.equal(end.version, start.version + 20);
    assert.equal(end.preferred.state, 'Busy');
  });

  it("the same Teams SSO exchange from a user's two clients, sent to both instances at once, runs the waiting command exactly once", async () => {
    const userId = randomUUID();
    const who = { tenantId: SANDBOX_TENANT_ID, userId };
    const tokenService: BotTokenService = {
      signInResource: () =>
        Promise.resolve({
          signInLink: 'https://token.botframework.com/signin',
          tokenExchangeResource: { id: 'ter-1', uri: 'api://presence.example.com/botid-x', providerId: 'p' },
        }),
      userToken: () => Promise.resolve(undefined),
    };
    // Each instance's production bot: its own service (own token cache), the shared transient store.
    const botOf = (app: RunningApp) => {
      const teamsSso = new TeamsSso({ store: app.storage.stores.transient, connectionName: 'graph', messages: messagesFor, tokenService });
      return new PresenceBot({ service: app.service, sso: teamsSso, teamsSso, logger: silentLogger });
    };
    const template: Partial<Activity> = personalChat({ timeZone: 'Europe/Berlin', userId, name: 'Megan', conversationId: 'a:chat-2' });
    const bots = [botOf(one), botOf(two)];
    const adapters = bots.map((bot) => new TestAdapter(async (context) => bot.run(context), template));
    const [first, second] = adapters as [TestAdapter, TestAdapter];

    await first.send('dnd 8h').startTest(); // no cached token anywhere: the OAuth card, and the command waits in the store
    assert.equal(first.activeQueue.shift()?.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.oauth');

    const token = await sandbox.sandbox.issueSsoToken(who);
    const exchange = { type: 'invoke', name: 'signin/tokenExchange', value: { id: 'exchange-77', connectionName: 'graph', token } } as Partial<Activity>;
    await Promise.all([first.send(exchange).startTest(), second.send(exchange).startTest()]);

    const replies = [...first.activeQueue, ...second.activeQueue];
    const statuses = replies.filter((a) => a.type === 'invokeResponse').map((a) => (a.value as { status: number }).status);
    assert.deepEqual(statuses, [200, 200]);
    const confirmations = replies.filter((a) => a.type === 'message' && /Do not disturb/.test(cardText(a)));
    assert.equal(confirmations.length, 1, 'one reply, from the instance that won the claim');
    const { requests } = (await (await fetch(`${sandbox.url}/sandbox/graph/_requests`)).json()) as { requests: { path: string; userId: string | null }[] };
    const sets = requests.filter((r) => r.userId === userId && r.path.endsWith('/setUserPreferredPresence'));
    assert.equal(sets.length, 1, 'one Graph call');
    assert.equal(await one.storage.stores.transient.read({ partition: userPartition(who), row: 'pending' }), undefined, 'the pending command was taken');
  });
});

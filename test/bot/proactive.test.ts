import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBotAdapter } from '../../bot/endpoint';
import { ChatNotifier } from '../../bot/proactive';
import { FinalJobFailure } from '../../presence/jobs';
import { silentLogger } from '../../presence/log';
import { cardText, said, startConnector } from '../support/connector';

const NOW = Date.parse('2026-12-01T16:50:00Z');
const REMINDER = { state: 'DoNotDisturb' as const, expiresAt: new Date(NOW + 10 * 60_000) };
const contactAt = (serviceUrl: string) => ({
  conversation: { serviceUrl, channelId: 'msteams', conversation: { id: 'a:chat' }, bot: { id: '28:bot' }, user: { id: '29:user' } },
  locale: 'en-US',
  timeZone: 'Europe/Berlin',
});

/** The proactive reminder through botbuilder's real adapter, to a connector stand-in on loopback. */
describe('ChatNotifier (proactive messages)', () => {
  const reminders = () => new ChatNotifier({ adapter: createBotAdapter({ kind: 'none' }, silentLogger), botAppId: 'sandbox-app', now: () => NOW });

  it("sends one card to the stored conversation, in the user's zone, with the four buttons", async () => {
    const connector = await startConnector();
    try {
      await reminders().remind(contactAt(connector.url), REMINDER);
      const [activity] = await connector.waitFor(1);
      assert.ok(activity);
      assert.equal(said(activity), 'Do not disturb ends at 6:00 PM GMT+1, in 10 minutes.');
      assert.match(cardText(activity), /^Do not disturb ends soon\n/);
      const card = (activity.attachments as { content: { actions: { title: string }[] } }[])[0]?.content;
      assert.deepEqual(
        card?.actions.map((a) => a.title),
        ['+30 minutes', '+1 hour', 'Until end of day', 'Let it end'],
      );
    } finally {
      await connector.close();
    }
  });

  for (const status of [403, 404]) {
    it(`a chat that answers ${status} (the bot removed, the conversation gone) is a final failure: the job is not retried`, async () => {
      const server: Server = createServer((_req, res) => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end('{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        await assert.rejects(reminders().remind(contactAt(url), REMINDER), (err: unknown) => err instanceof FinalJobFailure);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  }

  // (Not a 5xx: botbuilder's connector client retries those itself, for half a minute, before the job sees them.)
  it('a chat that answers 400 is an ordinary failure: the job is retried', async () => {
    const server: Server = createServer((_req, res) => {
      res.statusCode = 400;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await assert.rejects(reminders().remind(contactAt(url), REMINDER), (err: unknown) => !(err instanceof FinalJobFailure));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

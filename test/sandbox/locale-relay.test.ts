/** The Playground's locale relay (scripts/locale-relay.ts): what it rewrites, what it passes, where it may forward. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkedLocale, startLocaleRelay, withLocale } from '../../scripts/locale-relay';

describe('locale relay (npm run playground -- --locale)', () => {
  it('writes the locale into the activity and its clientInfo entity, and nothing else; passes a body that is no activity as it is', () => {
    const sent = {
      type: 'message',
      text: 'ocupado 2h',
      locale: 'en-US',
      entities: [{ type: 'clientInfo', locale: 'en-US', country: 'US' }, { type: 'mention' }],
    };
    assert.deepEqual(JSON.parse(withLocale(JSON.stringify(sent), 'pt-BR')), {
      ...sent,
      locale: 'pt-BR',
      entities: [{ type: 'clientInfo', locale: 'pt-BR', country: 'US' }, { type: 'mention' }],
    });
    assert.equal(withLocale('not json', 'ja-JP'), 'not json');
    assert.equal(withLocale('[1]', 'ja-JP'), '[1]');
  });

  it('refuses what is no locale, and forwarding anywhere but loopback', async () => {
    assert.throws(() => checkedLocale('pt BR'), /Not a locale/);
    assert.equal(checkedLocale('ru-RU'), 'ru-RU');
    await assert.rejects(startLocaleRelay('http://example.com/api/messages', 'pt-BR'), /loopback only/);
  });

  it('forwards over HTTP with the locale rewritten, and answers what the bot answered', async () => {
    let received: { locale?: string; auth?: string } = {};
    const bot = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received = { locale: (JSON.parse(body) as { locale: string }).locale, auth: req.headers.authorization };
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    const relay = await startLocaleRelay(`http://127.0.0.1:${(bot.address() as AddressInfo).port}/api/messages`, 'ja-JP');
    try {
      const res = await fetch(relay.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
        body: JSON.stringify({ type: 'message', locale: 'en-US' }),
      });
      assert.equal(res.status, 202);
      assert.deepEqual(await res.json(), { ok: true });
      assert.deepEqual(received, { locale: 'ja-JP', auth: 'Bearer x' });
      assert.match(relay.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/messages$/);
    } finally {
      await relay.close();
      await new Promise((resolve) => bot.close(resolve));
    }
  });
});

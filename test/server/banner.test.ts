/** The start-up banner: in sandbox mode, what a developer needs to get a Graph token for their own tools. */
import assert from 'node:assert/strict';
import { banner } from '../../server/banner';

describe('server/banner', () => {
  const urls = { 'Bot endpoint': 'http://127.0.0.1:3978/api/messages' };

  it('sandbox mode with its sandbox mounted prints the sandbox client ID and this run’s secret', () => {
    const text = banner('http://127.0.0.1:3978', {}, urls, { kind: 'memory' }, { appId: 'app-id-1', clientSecret: 'secret-xyz' });
    assert.match(text, /client ID app-id-1, client secret secret-xyz/);
    assert.match(text, /A Graph token for your own tools/);
  });

  it('production prints no secret and no sandbox lines', () => {
    const text = banner('https://presence.example.com', { mode: 'production' });
    assert.doesNotMatch(text, /secret|SANDBOX/i);
  });
});

/**
 * The store down (nothing listens where it should be): the app still starts, /healthz says so (503), and a
 * command that changed Graph says honestly that it could not be recorded, with a reference that is in the log.
 */
import assert from 'node:assert/strict';
import { connectionStringFor } from '../../sandbox/storage/azurite';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SANDBOX_USER_ID, cardText, startConnector, teamsMessage, type RecordingConnector } from '../support/connector';
import { recordingLogger } from '../tab-api/helpers';

describe('durability: the store is down', function () {
  this.timeout(20_000);
  let app: RunningApp;
  let connector: RecordingConnector;
  const logger = recordingLogger();

  before(async () => {
    connector = await startConnector();
    // Port 1 on loopback: connection refused, at once.
    app = await startServer(loadConfig({ PORT: '0', AZURE_STORAGE_CONNECTION_STRING: connectionStringFor('http://127.0.0.1:1/devstoreaccount1') }), { logger });
  });
  after(async () => {
    await app.close();
    await connector.close();
  });

  it('starts anyway, logs it, and fails the health check (503, storage unavailable)', async () => {
    assert.ok(logger.entries.some((e) => e.level === 'error' && e.message === 'storage unavailable at start'));
    const res = await fetch(`${app.url}/healthz`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { status: 'unhealthy', mode: 'sandbox', storage: 'unavailable' });
  });

  it('"dnd 1h" sets the presence and says the end time could not be saved, with the logged reference', async () => {
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, 'dnd 1h')) });
    assert.equal(res.status, 200);
    const [reply] = (await connector.waitFor(1)).slice(-1);
    const text = cardText(reply ?? {});
    assert.match(text, /Do not disturb/);
    const id = /couldn't save its end time.*Reference: ([0-9a-f-]{36})/.exec(text)?.[1];
    assert.ok(id, text);
    assert.ok(logger.entries.some((e) => e.level === 'error' && e.fields?.correlationId === id), 'the same reference is in the log');
    assert.equal(app.sandbox?.emulator.snapshot(SANDBOX_USER_ID).presence.availability, 'DoNotDisturb', 'Graph was changed');
  });

  it('"status" answers what Teams shows and says the app cannot read its records', async () => {
    const before = connector.activities.length;
    await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, 'status')) });
    const all = await connector.waitFor(before + 1);
    const text = cardText(all[all.length - 1] ?? {});
    assert.match(text, /Do not disturb \(set by this app or Teams\)/);
    assert.match(text, /couldn't read its records/);
  });

  it('"forget me" cannot forget without the store, and says so with a reference', async () => {
    const before = connector.activities.length;
    await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, 'forget me')) });
    const all = await connector.waitFor(before + 1);
    assert.match(String(all[all.length - 1]?.text), /storage isn't answering right now, so nothing was deleted.*reference: [0-9a-f-]{36}/);
  });
});

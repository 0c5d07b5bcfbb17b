/**
 * The store down (nothing listens where it should be): the app still starts, /healthz says so (503), and a
 * command that changed Graph says honestly that it could not be recorded, with a reference that is in the log.
 */
import assert from 'node:assert/strict';
import { connectionStringFor } from '../../sandbox/storage/azurite';
import { startServer, type RunningApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SANDBOX_USER_ID, cardText, chat, said, startConnector, type RecordingConnector } from '../support/connector';
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
    const text = cardText(await chat(app.url, connector, 'dnd 1h'));
    assert.match(text, /Do not disturb/);
    const id = /couldn't save its end time.*Reference: ([0-9a-f-]{36})/.exec(text)?.[1];
    assert.ok(id, text);
    assert.ok(
      logger.entries.some((e) => e.level === 'error' && e.fields?.correlationId === id),
      'the same reference is in the log',
    );
    assert.equal(app.sandbox?.emulator.snapshot(SANDBOX_USER_ID).presence.availability, 'DoNotDisturb', 'Graph was changed');
  });

  it('"status" answers what Teams shows and says the app cannot read its records', async () => {
    const text = cardText(await chat(app.url, connector, 'status'));
    assert.match(text, /Your status is Do not disturb, set by this app or by Teams\./);
    assert.match(text, /couldn't read its records/);
  });

  it('"forget me" cannot forget without the store, and says so with a reference', async () => {
    assert.match(said(await chat(app.url, connector, 'forget me')), /storage isn't answering right now, so nothing was changed.*reference: [0-9a-f-]{36}/);
  });
});

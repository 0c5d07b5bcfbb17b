/** The admin's deletion script (scripts/forget-user.ts) against Azurite, through the app's own table adapter. */
import assert from 'node:assert/strict';
import { userPartition } from '../../presence/store';
import { forgetUserData, readArgs } from '../../scripts/forget-user';
import { TableRecordStore } from '../../storage/table-store';
import { storageEnv, uniquePrefix } from '../support/storage';

const TENANT = '00000000-0000-0000-0000-000000000001';
const ALICE = { tenantId: TENANT, userId: '00000000-0000-0000-0000-000000000020' };
const BOB = { tenantId: TENANT, userId: '00000000-0000-0000-0000-000000000021' };

describe("scripts/forget-user.ts (an admin deletes a user's data)", () => {
  it("deletes the user's records in both tables and nobody else's", async () => {
    const env = await storageEnv(uniquePrefix());
    const open = (name: string) =>
      TableRecordStore.open(
        { kind: 'connectionString', connectionString: env.AZURE_STORAGE_CONNECTION_STRING ?? '' },
        `${env.AZURE_STORAGE_TABLE_PREFIX ?? ''}${name}`,
      );
    const users = open('users');
    const transient = open('transient');
    await users.create({ partition: userPartition(ALICE), row: 'presence' }, { schema: 1, version: 3 });
    await transient.create({ partition: userPartition(ALICE), row: 'pending' }, { text: 'dnd 8h' }, { expiresAt: new Date(Date.now() + 60_000) });
    await users.create({ partition: userPartition(BOB), row: 'presence' }, { schema: 1, version: 1 });
    assert.equal(await forgetUserData(env, ALICE), 2);
    assert.equal(await users.read({ partition: userPartition(ALICE), row: 'presence' }), undefined);
    assert.equal(await transient.read({ partition: userPartition(ALICE), row: 'pending' }), undefined);
    assert.ok(await users.read({ partition: userPartition(BOB), row: 'presence' }));
  });

  it('takes the user only as two GUIDs, and needs to be told where the storage is', async () => {
    assert.deepEqual(readArgs(['--tenant', TENANT, '--user', ALICE.userId]), ALICE);
    assert.throws(() => readArgs(['--tenant', TENANT, '--user', 'alice@contoso.com']), /usage/);
    assert.throws(() => readArgs([]), /usage/);
    await assert.rejects(forgetUserData({}, ALICE), /AZURE_STORAGE_TABLE_URL/);
  });
});

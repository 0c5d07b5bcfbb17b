/**
 * The data key that seals refresh tokens (server/data-key.ts): made once, kept wrapped in the store, and the same
 * for every instance, even when they start together; in sandbox mode, one key file, private to its owner.
 */
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryRecordStore } from '../../presence/memory-store';
import { loadDataKey, type KeyWrapper } from '../../server/data-key';

/**
 * A stand-in for a Key Vault key with versions: AES-GCM under secrets only it holds, one per version, counting what
 * it is asked. `rotate()` makes a new current version, as Key Vault's rotation does; old versions still unwrap.
 */
function fakeVault(): KeyWrapper & { keyId: string; wraps: number; unwraps: number; rotate(): void } {
  const base = 'https://vault.example/keys/wrap';
  const versions = [randomBytes(32)];
  const vault = {
    keyId: base,
    wraps: 0,
    unwraps: 0,
    rotate: () => void versions.push(randomBytes(32)),
    wrap: (key: Buffer) => {
      vault.wraps++;
      const version = versions.length - 1;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', versions[version] ?? Buffer.alloc(32), iv);
      const data = Buffer.concat([cipher.update(key), cipher.final()]);
      return Promise.resolve({ wrapped: Buffer.concat([iv, cipher.getAuthTag(), data]), keyId: `${base}/v${version}` });
    },
    unwrap: (wrapped: Buffer, keyId: string) => {
      vault.unwraps++;
      const secret = versions[Number(/\/v(\d+)$/.exec(keyId)?.[1] ?? -1)];
      if (!secret) return Promise.reject(new Error(`no key version ${keyId}`));
      const decipher = createDecipheriv('aes-256-gcm', secret, wrapped.subarray(0, 12));
      decipher.setAuthTag(wrapped.subarray(12, 28));
      return Promise.resolve(Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]));
    },
  };
  return vault;
}

describe('the token data key', () => {
  it('Key Vault: five instances starting at once agree on one key, kept only wrapped in the store', async () => {
    const store = new MemoryRecordStore();
    const vault = fakeVault();
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadDataKey({ kind: 'keyVault', keyId: vault.keyId }, { store, wrapper: () => vault })));
    assert.equal(new Set(keys.map((k) => k.key.toString('hex'))).size, 1);
    assert.equal(new Set(keys.map((k) => k.id)).size, 1);
    assert.equal(keys[0]?.key.length, 32);
    const stored = JSON.stringify((await store.read({ partition: '_app', row: 'token_data_key' }))?.value);
    assert.ok(!stored.includes(keys[0]?.key.toString('base64') ?? '-'), 'not in the clear');
    assert.equal(vault.unwraps, 5, 'each instance unwraps once');
    const again = await loadDataKey({ kind: 'keyVault', keyId: vault.keyId }, { store, wrapper: () => vault });
    assert.deepEqual(again, keys[0], 'a restart finds the same key');
  });

  it('Key Vault: after the key is rotated, the data key wrapped by the old version still unwraps (its version is kept beside it)', async () => {
    const store = new MemoryRecordStore();
    const vault = fakeVault();
    const before = await loadDataKey({ kind: 'keyVault', keyId: vault.keyId }, { store, wrapper: () => vault });
    vault.rotate();
    assert.deepEqual(await loadDataKey({ kind: 'keyVault', keyId: vault.keyId }, { store, wrapper: () => vault }), before);
    assert.match(JSON.stringify((await store.read({ partition: '_app', row: 'token_data_key' }))?.value), /"keyId":"https:\/\/vault\.example\/keys\/wrap\/v0"/);
  });

  it('Key Vault: a key the vault cannot unwrap (another vault) fails the start, loudly', async () => {
    const store = new MemoryRecordStore();
    await loadDataKey({ kind: 'keyVault', keyId: 'k' }, { store, wrapper: fakeVault });
    await assert.rejects(loadDataKey({ kind: 'keyVault', keyId: 'k' }, { store, wrapper: fakeVault }));
  });

  it('sandbox: one key file made on first start, readable by its owner only, the same for instances starting together', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'token-key-'));
    try {
      const file = path.join(dir, 'nested', 'token-key');
      const store = new MemoryRecordStore();
      const keys = await Promise.all(Array.from({ length: 4 }, () => loadDataKey({ kind: 'file', path: file }, { store, wrapper: fakeVault })));
      assert.equal(new Set(keys.map((k) => k.key.toString('hex'))).size, 1);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.equal(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64').length, 32);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

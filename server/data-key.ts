/**
 * The data key that seals users' refresh tokens (presence/tokens/sealed.ts), loaded once at start.
 *
 * Production: envelope encryption with Azure Key Vault. The 32-byte data key is made by the first instance that
 * starts, wrapped (RSA-OAEP-256) by the Key Vault key TOKEN_KEY_ID, and kept wrapped in the store with the key version
 * that wrapped it, created only if absent so instances starting together agree on one; each instance unwraps it
 * through its managed identity with that version (so rotating the Key Vault key leaves it readable). The
 * key is never in configuration or in the store in the clear, and taking the identity's access to the vault away
 * (or disabling the key) makes every sealed token unreadable.
 * Sandbox mode: a random key in a file of the git-ignored sandbox folder, made on first start (local instances
 * read the same file, so they open each other's tokens).
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CryptographyClient } from '@azure/keyvault-keys';
import type { TokenCredential } from '@azure/identity';
import { isStoreError, type RecordStore } from '../presence/store';
import type { DataKey } from '../presence/tokens/sealed';
import type { TokenKeyConfig } from './config';

const KEY_BYTES = 32;
/** Beside the users' partitions (tenant_user GUIDs), which it cannot collide with. */
const KEY_ROW = { partition: '_app', row: 'token_data_key' } as const;

/** Wraps and unwraps a data key with a key that never leaves its vault. */
export interface KeyWrapper {
  /** The wrapped key, and the ID of the key version that wrapped it (the one that unwraps it, after a rotation too). */
  wrap(key: Buffer): Promise<{ wrapped: Buffer; keyId: string }>;
  unwrap(wrapped: Buffer, keyId: string): Promise<Buffer>;
}

/** `keyId` may be versionless: new data keys are wrapped with its current version, and each is unwrapped with its own. */
export function keyVaultWrapper(keyId: string, credential: TokenCredential): KeyWrapper {
  return {
    async wrap(key) {
      const result = await new CryptographyClient(keyId, credential).wrapKey('RSA-OAEP-256', key);
      return { wrapped: Buffer.from(result.result), keyId: result.keyID ?? keyId };
    },
    unwrap: async (wrapped, versionId) => Buffer.from((await new CryptographyClient(versionId, credential).unwrapKey('RSA-OAEP-256', wrapped)).result),
  };
}

export async function loadDataKey(config: TokenKeyConfig, open: { store: RecordStore; wrapper: () => KeyWrapper }): Promise<DataKey> {
  const key = config.kind === 'file' ? await localKey(config.path) : await storedKey(open.store, open.wrapper());
  if (key.length !== KEY_BYTES) throw new Error(`the token data key must be ${KEY_BYTES} bytes, not ${key.length}`);
  // The ID names the key without revealing it: a value sealed under another key is told apart from a tampered one.
  return { id: createHash('sha256').update(key).digest('base64url').slice(0, 12), key };
}

/** The wrapped key in the store, made and wrapped here when there is none yet (created only if absent: one wins). */
async function storedKey(store: RecordStore, wrapper: KeyWrapper): Promise<Buffer> {
  let stored = await store.read(KEY_ROW);
  if (!stored) {
    const { wrapped, keyId } = await wrapper.wrap(randomBytes(KEY_BYTES));
    try {
      await store.create(KEY_ROW, { keyId, wrapped: wrapped.toString('base64') });
    } catch (err) {
      // Another instance made one first: use that one.
      if (!isStoreError(err, 'conflict')) throw err;
    }
    stored = await store.read(KEY_ROW);
  }
  const value = stored?.value as { wrapped?: unknown; keyId?: unknown } | undefined;
  if (typeof value?.wrapped !== 'string' || typeof value.keyId !== 'string') throw new Error('the stored token data key is unreadable');
  return wrapper.unwrap(Buffer.from(value.wrapped, 'base64'), value.keyId);
}

/**
 * Reads the sandbox key, or makes it. The key is written to a file of its own first and then linked into place, which
 * fails if a key is there already: instances starting together agree on one, and none reads a half-written file.
 */
async function localKey(file: string): Promise<Buffer> {
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600 });
  try {
    await link(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(draft);
  }
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
}

/**
 * The data key that seals users' refresh tokens (presence/tokens/sealed.ts), loaded once at start. Production: the
 * 32-byte key is stored wrapped (RSA-OAEP-256) by an Azure Key Vault key and unwrapped through the managed identity,
 * so the key never sits in configuration in the clear and revoking the identity's access to the vault disables it.
 * Sandbox mode: a random key in a file of the git-ignored sandbox folder, made on first start (every local instance
 * reads the same file, so they open each other's tokens).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CryptographyClient } from '@azure/keyvault-keys';
import type { TokenCredential } from '@azure/identity';
import type { DataKey } from '../presence/tokens/sealed';
import type { TokenKeyConfig } from './config';

const KEY_BYTES = 32;

export async function loadDataKey(config: TokenKeyConfig, credential: () => TokenCredential): Promise<DataKey> {
  const key = config.kind === 'file' ? await localKey(config.path) : await unwrapped(config.keyId, config.wrapped, credential());
  if (key.length !== KEY_BYTES) throw new Error(`the token data key must be ${KEY_BYTES} bytes, not ${key.length}`);
  // The ID names the key without revealing it: a value sealed under another key is told apart from a tampered one.
  return { id: createHash('sha256').update(key).digest('base64url').slice(0, 12), key };
}

async function unwrapped(keyId: string, wrapped: string, credential: TokenCredential): Promise<Buffer> {
  const client = new CryptographyClient(keyId, credential);
  const { result } = await client.unwrapKey('RSA-OAEP-256', Buffer.from(wrapped, wrapped.includes('-') || wrapped.includes('_') ? 'base64url' : 'base64'));
  return Buffer.from(result);
}

/** Reads the sandbox key, or makes it: created exclusively, so instances starting together agree on one. */
async function localKey(file: string): Promise<Buffer> {
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
}

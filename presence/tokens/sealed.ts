/**
 * Secrets at rest (a user's refresh token): AES-256-GCM under a data key, with the record's address as
 * additional authenticated data, so a sealed value copied into another user's row does not open. A fresh 96-bit
 * IV per seal, as GCM requires. The key's ID is kept beside it, so a value sealed under another key is told
 * apart from a tampered one (rotating keys, which needs the old key to open old values, is not built yet).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface DataKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

export interface Sealed {
  readonly v: 1;
  readonly keyId: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

export function seal(key: DataKey, plaintext: string, boundTo: string): Sealed {
  if (key.key.length !== 32) throw new RangeError('an AES-256 key is 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { v: 1, keyId: key.id, iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: data.toString('base64url') };
}

/** Whether the value was sealed under another key than this one (not tampered: kept for that key). */
export function sealedUnderOtherKey(key: DataKey, value: unknown): boolean {
  return isSealed(value) && value.keyId !== key.id;
}

/** The plaintext, or undefined when the value is not one this key sealed for `boundTo` (tampered, moved, another key). */
export function open(key: DataKey, value: unknown, boundTo: string): string | undefined {
  if (!isSealed(value) || value.keyId !== key.id) return undefined;
  try {
    // A full 16-byte tag only: Node accepts shorter ones, which would weaken forgery protection.
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(value.iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(value.tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(value.data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function isSealed(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null) return false;
  const { v, keyId, iv, tag, data } = value as Record<string, unknown>;
  return v === 1 && [keyId, iv, tag, data].every((s) => typeof s === 'string');
}

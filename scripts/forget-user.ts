/**
 * Deletes everything the app stored about one user (what it set, the status message it set, the user's 1:1
 * conversation reference, locale and time zone, sign-in claims, a command waiting for sign-in), for an admin
 * answering a deletion request. The user can do the same in the chat with `forget me`. It does not change the
 * user's Teams presence, and a Graph token cached in a running instance's memory expires within the hour.
 *
 *   AZURE_STORAGE_TABLE_URL=https://<account>.table.core.windows.net npm run forget-user -- --tenant <tid> --user <oid>
 *
 * Storage comes from the same variables as the server's (AZURE_STORAGE_TABLE_URL, signed in through the Azure
 * CLI or another DefaultAzureCredential source with Storage Table Data Contributor; or
 * AZURE_STORAGE_CONNECTION_STRING; AZURE_STORAGE_TABLE_PREFIX).
 */
import { DefaultAzureCredential } from '@azure/identity';
import { forgetUser } from '../presence/store';
import type { Identity } from '../presence/tokens/identity';
import { GUID, type Env } from '../server/config';
import { TableRecordStore, type TableStoreSource } from '../storage/table-store';

export function readArgs(argv: readonly string[]): Identity {
  const value = (flag: string) => argv[argv.indexOf(flag) + 1] ?? '';
  const identity = { tenantId: value('--tenant'), userId: value('--user') };
  if (!GUID.test(identity.tenantId) || !GUID.test(identity.userId))
    throw new Error('usage: npm run forget-user -- --tenant <tenant ID> --user <user object ID> (both GUIDs)');
  return identity;
}

/** Deletes the user's records in both of the app's tables; returns how many went. */
export async function forgetUserData(env: Env, identity: Identity): Promise<number> {
  const prefix = env.AZURE_STORAGE_TABLE_PREFIX?.trim() || 'presence';
  const connectionString = env.AZURE_STORAGE_CONNECTION_STRING?.trim();
  const url = env.AZURE_STORAGE_TABLE_URL?.trim();
  let source: TableStoreSource;
  if (connectionString) source = { kind: 'connectionString', connectionString };
  else if (url) source = { kind: 'tableUrl', url, credential: new DefaultAzureCredential() };
  else throw new Error("Set AZURE_STORAGE_TABLE_URL (or AZURE_STORAGE_CONNECTION_STRING) to the app's storage.");
  const table = (name: string) => TableRecordStore.open(source, `${prefix}${name}`);
  return forgetUser({ users: table('users'), transient: table('transient') }, identity);
}

async function main(): Promise<void> {
  const identity = readArgs(process.argv.slice(2));
  const deleted = await forgetUserData(process.env, identity);
  process.stdout.write(`Deleted ${deleted} record(s) of user ${identity.userId} in tenant ${identity.tenantId}.\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

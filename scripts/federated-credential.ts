/**
 * Lets the App Service's user-assigned managed identity act as the Entra app without a client secret:
 * a federated identity credential on the Entra app whose subject is the managed identity (its
 * principal ID), issued by the tenant. The server then signs its on-behalf-of requests with a token
 * of that identity (server/identity.ts, MANAGED_IDENTITY_CLIENT_ID). Idempotent: Microsoft Graph's
 * upsert (PATCH ...federatedIdentityCredentials(name='...') with Prefer: create-if-missing).
 *
 *   npx tsx scripts/federated-credential.ts --app-object-id <AAD_APP_OBJECT_ID> \
 *     --tenant-id <AAD_APP_TENANT_ID> --principal-id <MANAGED_IDENTITY_PRINCIPAL_ID>
 *
 * m365agents.yml runs it after arm/deploy. It takes a Microsoft Graph token from the Azure CLI
 * (az login, as an owner of the app registration or an Application Administrator).
 */
import { execFileSync } from 'node:child_process';
import { GUID } from '../server/config';

export const CREDENTIAL_NAME = 'presence-app-service-managed-identity';
/** The audience Microsoft Entra ID expects in a federated assertion (the same scope server/identity.ts asks for). */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export interface CredentialTarget {
  readonly appObjectId: string;
  readonly tenantId: string;
  readonly principalId: string;
  readonly authorityHost?: string;
  readonly graphBaseUrl?: string;
}

export interface UpsertRequest {
  readonly method: 'PATCH';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly issuer: string; readonly subject: string; readonly audiences: readonly string[]; readonly description: string };
}

export function upsertRequest(target: CredentialTarget): UpsertRequest {
  const problems = (['appObjectId', 'tenantId', 'principalId'] as const).filter((k) => !GUID.test(target[k])).map((k) => `${k} must be a GUID`);
  if (problems.length) throw new Error(problems.join('; '));
  const authority = (target.authorityHost ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  const graph = (target.graphBaseUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, '');
  return {
    method: 'PATCH',
    url: `${graph}/applications/${target.appObjectId}/federatedIdentityCredentials(name='${CREDENTIAL_NAME}')`,
    headers: { 'Content-Type': 'application/json', Prefer: 'create-if-missing' },
    body: {
      issuer: `${authority}/${target.tenantId}/v2.0`,
      subject: target.principalId,
      audiences: [TOKEN_EXCHANGE_AUDIENCE],
      description: 'The Teams Presence App Service (its user-assigned managed identity) signs in as this app for the on-behalf-of exchange.',
    },
  };
}

export interface UpsertDeps {
  readonly token: () => Promise<string>;
  readonly fetch: (
    url: string,
    init: { method: string; headers: Record<string, string>; body: string },
  ) => Promise<{ status: number; text(): Promise<string> }>;
}

/** Creates or updates the credential; returns 'created' or 'updated'. */
export async function upsertFederatedCredential(target: CredentialTarget, deps: UpsertDeps): Promise<'created' | 'updated'> {
  const request = upsertRequest(target);
  const token = await deps.token();
  const response = await deps.fetch(request.url, {
    method: request.method,
    headers: { ...request.headers, Authorization: `Bearer ${token}` },
    body: JSON.stringify(request.body),
  });
  if (response.status === 201) return 'created';
  if (response.status === 204 || response.status === 200) return 'updated';
  const detail = (await response.text()).slice(0, 500);
  throw new Error(`Microsoft Graph answered ${response.status} to the federated credential upsert: ${detail}`);
}

/** A Graph token from the Azure CLI's signed-in account. */
function azureCliGraphToken(): Promise<string> {
  const out = execFileSync('az', ['account', 'get-access-token', '--resource-type', 'ms-graph', '--query', 'accessToken', '--output', 'tsv'], {
    encoding: 'utf8',
    // az is az.cmd on Windows, which only runs through a shell; the arguments above are fixed words.
    shell: process.platform === 'win32',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const token = out.trim();
  if (!token) throw new Error('The Azure CLI returned no token; run az login first.');
  return Promise.resolve(token);
}

function argValue(args: readonly string[], name: string): string {
  const i = args.indexOf(name);
  return (i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1)) ?? '';
}

async function main(args: readonly string[]): Promise<number> {
  const target: CredentialTarget = {
    appObjectId: argValue(args, '--app-object-id'),
    tenantId: argValue(args, '--tenant-id'),
    principalId: argValue(args, '--principal-id'),
  };
  const outcome = await upsertFederatedCredential(target, {
    token: azureCliGraphToken,
    fetch: (url, init) => fetch(url, init),
  });
  process.stdout.write(`federated credential ${CREDENTIAL_NAME} ${outcome} on app ${target.appObjectId} for managed identity ${target.principalId}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`federated credential not set: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

import type { StorageConfig } from './config';

/** The sandbox's app registration, for a developer's own Graph tools: a random secret, new every run, valid only at the sandbox's issuer. */
export interface SandboxClient {
  readonly appId: string;
  readonly clientSecret: string;
  /** The sandbox identity issuer (`…/sandbox/identity`). */
  readonly identityUrl: string;
  /** The sandbox's user, whose delegated Graph token the printed command gets. */
  readonly user: { readonly userId: string; readonly tenantId: string };
}

/**
 * One shell line that prints a Graph token for the sandbox user, as the app gets one: a Teams-SSO-shaped token from
 * the sandbox issuer, then the on-behalf-of exchange with this run's secret (base64url: safe in a shell unquoted).
 */
export function tokenCommand(client: SandboxClient): string {
  const { identityUrl, user, appId, clientSecret } = client;
  const sso = `curl -s ${identityUrl}/_sso -H 'content-type: application/json' -d '${JSON.stringify({ userId: user.userId, tenantId: user.tenantId })}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token'`;
  const params = [
    'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer',
    'requested_token_use=on_behalf_of',
    `client_id=${appId}`,
    `client_secret=${clientSecret}`,
    'scope=https://graph.microsoft.com/Presence.ReadWrite',
  ];
  return `curl -s ${identityUrl}/${user.tenantId}/oauth2/v2.0/token ${params.map((p) => `-d ${p}`).join(' ')} -d assertion=$(${sso}) | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token'`;
}

/** The start-up banner: which mode, where the data lives, and in sandbox mode the local URLs to try. */
export function banner(
  url: string,
  config: Record<string, unknown>,
  sandboxUrls?: Readonly<Record<string, string>>,
  storage?: StorageConfig,
  client?: SandboxClient,
): string {
  if (!sandboxUrls) {
    return `\nTeams Presence is running (production) on ${url}\n  bot endpoint: ${url}/api/messages\n  config: ${JSON.stringify(config)}\n\n`;
  }
  const width = Math.max(...Object.keys(sandboxUrls).map((k) => k.length));
  const lines = Object.entries(sandboxUrls).map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  return (
    [
      '',
      '  SANDBOX MODE: no Microsoft 365 credentials are set, so Microsoft Graph and sign-in are emulated',
      '  locally on this machine. Nothing here touches a real Teams account.',
      '',
      ...lines,
      '',
      ...(storage ? [...storageLines(storage), ''] : []),
      ...(client
        ? [
            `  Your own Graph tools: client ID ${client.appId}, client secret ${client.clientSecret}`,
            '                      (sandbox only, new every run; README, "A Graph token for your own tools")',
            `  A Graph token:      ${tokenCommand(client)}`,
            '',
          ]
        : []),
      '  Chat with the bot:  npm run playground   (Microsoft 365 Agents Playground, in another terminal)',
      '  Real Teams:         set BOT_ID, BOT_PASSWORD and BOT_DOMAIN (see README, Configuration)',
      '',
    ].join('\n') + '\n'
  );
}

function storageLines(config: StorageConfig): string[] {
  switch (config.kind) {
    case 'memory':
      return ["  Data:               in this process's memory (STORAGE=memory): NOT durable, gone when it stops"];
    case 'embedded':
      return [
        `  Data:               ${config.location} (Azurite; kept across restarts, as Graph keeps presence)`,
        '  Start afresh:       stop the app, then delete that folder',
        '  Several instances:  npm run sandbox, then start each one as it prints (one emulator, one store)',
      ];
    case 'connectionString':
      return ['  Data:               the Azure Storage account or Azurite that AZURE_STORAGE_CONNECTION_STRING names'];
    case 'tableUrl':
      return [`  Data:               ${config.url}`];
  }
}

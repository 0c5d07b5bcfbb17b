/** The start-up banner: which mode, and in sandbox mode the local URLs to try. */
export function banner(url: string, config: Record<string, unknown>, sandboxUrls?: Readonly<Record<string, string>>): string {
  if (!sandboxUrls) {
    return `\nTeams Presence is running (production) on ${url}\n  bot endpoint: ${url}/api/messages\n  config: ${JSON.stringify(config)}\n\n`;
  }
  const width = Math.max(...Object.keys(sandboxUrls).map((k) => k.length));
  const lines = Object.entries(sandboxUrls).map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  return [
    '',
    '  SANDBOX MODE: no Microsoft 365 credentials are set, so Microsoft Graph and sign-in are emulated',
    '  locally on this machine. Nothing here touches a real Teams account.',
    '',
    ...lines,
    '',
    '  Chat with the bot:  npm run playground   (Microsoft 365 Agents Playground, in another terminal)',
    '  Real Teams:         set BOT_ID, BOT_PASSWORD and BOT_DOMAIN (see README, Configuration)',
    '',
  ].join('\n') + '\n';
}

/**
 * `npm run playground`: the Microsoft 365 Agents Playground, pointed at the app's bot endpoint, chatting as the
 * sandbox user (Alex Wilber, aadObjectId 00000000-0000-0000-0000-000000000020 in tenant ...-000000000001), so
 * what you set in the chat is what `GET /sandbox/graph/_state/users/{that id}` and the sandbox Teams host show.
 *
 * The Playground's built-in IDs are not GUIDs (13 hex digits in the last group), so it is given a config file;
 * it reads `.m365agentsplayground.yml` and writes its log under its working directory, here `.playground/`.
 * Environment: BOT_ENDPOINT (default http://127.0.0.1:3978/api/messages), TZ (the zone the Playground reports as
 * the user's `localTimezone`), TEAMSAPPTESTER_PORT (its page, default 56150), TEAMSAPPTESTER_BROWSER=none.
 * `--locale pt-BR` (or ja-JP, ru-RU, ...): the locale its activities carry. The Playground writes en-US into every
 * activity whatever its own locale, so the locale is put on them by a relay on loopback (scripts/locale-relay.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SANDBOX_USER } from '../sandbox/identity/issuer';
import { checkedLocale, startLocaleRelay } from './locale-relay';

/** Who the Playground says is chatting. */
export interface PlaygroundUser {
  /** Bot Framework channel account ID (`from.id`). */
  readonly id: string;
  readonly name: string;
  /** Entra object ID (`from.aadObjectId`). */
  readonly aadObjectId: string;
  /** `conversation.tenantId` and `channelData.tenant.id`. */
  readonly tenantId: string;
}

/** The sandbox user, as the Playground names its default user (Alex Wilber), with well-formed GUIDs. */
export const PLAYGROUND_USER: PlaygroundUser = {
  id: 'user-id-0',
  name: SANDBOX_USER.name,
  aadObjectId: SANDBOX_USER.userId,
  tenantId: SANDBOX_USER.tenantId,
};

export const PLAYGROUND_CLI = join(dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');

/** The Playground's default config with our user; its schema wants >= 5 other users, a team and a group chat. */
export function playgroundConfig(user: PlaygroundUser = PLAYGROUND_USER, botName = 'Teams Presence'): string {
  const others = [
    ['user-id-1', 'Megan Bowen', 'meganb', '21'],
    ['user-id-2', 'Adele Vance', 'adelev', '22'],
    ['user-id-3', 'Isaiah Langer', 'isaiahl', '23'],
    ['user-id-4', 'Patti Fernandez', 'pattif', '24'],
    ['user-id-5', 'Lynne Robbins', 'lynner', '25'],
  ];
  const person = (indent: string, id: string, name: string, alias: string, aad: string): string => {
    const [given = name, surname = name] = name.split(' ');
    return [
      `id: ${JSON.stringify(id)}`,
      `name: ${JSON.stringify(name)}`,
      `userPrincipleName: ${alias}@example.com`,
      `aadObjectId: ${JSON.stringify(aad)}`,
      `givenName: ${JSON.stringify(given)}`,
      `surname: ${JSON.stringify(surname)}`,
      `email: ${alias}@example.com`,
    ].join(`\n${indent}`);
  };
  return [
    'version: "0.1.1"',
    `tenantId: ${JSON.stringify(user.tenantId)}`,
    'bot:',
    '  id: "00000000-0000-0000-0000-000000000011"',
    `  name: ${JSON.stringify(botName)}`,
    'currentUser:',
    `  ${person('  ', user.id, user.name, 'alexw', user.aadObjectId)}`,
    'users:',
    ...others.map(([id = '', name = '', alias = '', n = '']) => `  - ${person('    ', id, name, alias, `00000000-0000-0000-0000-0000000000${n}`)}`),
    'personalChat:',
    '  id: personal-chat-id',
    'groupChat:',
    '  id: group-chat-id',
    '  name: Group Chat',
    'team:',
    '  id: team-id',
    '  name: My Team',
    '  aadGroupId: "00000000-0000-0000-0000-000000000031"',
    '  channels:',
    '    - id: channel-announcements-id',
    '      name: Announcements',
    '',
  ].join('\n');
}

if (require.main === module) {
  const workDir = resolve(__dirname, '..', '.playground');
  mkdirSync(workDir, { recursive: true });
  writeFileSync(join(workDir, '.m365agentsplayground.yml'), playgroundConfig());
  const endpoint = process.env.BOT_ENDPOINT ?? 'http://127.0.0.1:3978/api/messages';
  const flag = process.argv.indexOf('--locale');
  const locale = flag >= 0 ? checkedLocale(process.argv[flag + 1] ?? '') : undefined;
  void (async () => {
    const relay = locale ? await startLocaleRelay(endpoint, locale) : undefined;
    const says = locale ? `, locale ${locale}` : '';
    process.stdout.write(`Agents Playground -> ${endpoint}, chatting as ${PLAYGROUND_USER.name} (${PLAYGROUND_USER.aadObjectId})${says}\n`);
    const child = spawn(process.execPath, [PLAYGROUND_CLI, '--app-endpoint', relay?.url ?? endpoint, '--channel-id', 'msteams', '--disable-telemetry'], {
      cwd: workDir,
      env: { ...process.env, APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' },
      stdio: 'inherit',
    });
    const stop = (): void => {
      child.kill('SIGTERM');
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    child.on('exit', (code) => process.exit(code ?? 0));
  })();
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Bot Framework connector stand-in on loopback: records every activity the bot sends. */
export interface RecordingConnector {
  readonly url: string;
  readonly activities: Record<string, unknown>[];
  /** Resolves when `count` activities have arrived in all. */
  waitFor(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function startConnector(): Promise<RecordingConnector> {
  const activities: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) {
        activities.push(JSON.parse(body) as Record<string, unknown>);
        waiters.splice(0).forEach((w) => w());
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${activities.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    activities,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (activities.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} activities, got ${activities.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return activities;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const SANDBOX_USER_ID = '00000000-0000-0000-0000-000000000020';
export const SANDBOX_TENANT_ID = '00000000-0000-0000-0000-000000000001';

/**
 * The fields botbuilder's TestAdapter copies into every activity: a Teams personal chat with the bot, from the
 * sandbox user unless told otherwise.
 */
export function personalChat(options: { timeZone: string; userId?: string; name?: string; conversationId?: string }) {
  return {
    channelId: 'msteams',
    locale: 'en-US',
    localTimezone: options.timeZone,
    from: { id: `29:${options.userId ?? 'user'}`, name: options.name ?? 'Alex', aadObjectId: options.userId ?? SANDBOX_USER_ID },
    recipient: { id: '28:bot', name: 'Presence' },
    conversation: { id: options.conversationId ?? 'a:chat', tenantId: SANDBOX_TENANT_ID, isGroup: false, conversationType: 'personal', name: 'chat' },
  };
}

let counter = 0;
/** A Teams personal-chat message activity from the sandbox user. */
export function teamsMessage(serviceUrl: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return {
    type: 'message',
    id: `activity-${counter}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    text,
    locale: 'en-US',
    localTimezone: 'America/Los_Angeles',
    from: { id: '29:sandbox-user', name: 'Alex Wilber', aadObjectId: SANDBOX_USER_ID },
    recipient: { id: '28:presence-bot', name: 'Presence' },
    conversation: { id: 'a:personal-chat', conversationType: 'personal', tenantId: SANDBOX_TENANT_ID },
    channelData: { tenant: { id: SANDBOX_TENANT_ID } },
    ...extra,
  };
}

/** The text of every TextBlock in an activity's Adaptive Card, joined. */
export function cardText(activity: Record<string, unknown>): string {
  const attachments = (activity.attachments ?? []) as { content?: unknown }[];
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'TextBlock' && typeof record.text === 'string') texts.push(record.text);
      Object.values(record).forEach(walk);
    }
  };
  attachments.forEach((a) => walk(a.content));
  return texts.join('\n');
}

/**
 * What the user reads of one reply: its text, or, for a card, the activity's summary. A card reply carrying the
 * same words again as text would show two bubbles: that fails here.
 */
export function said(activity: Record<string, unknown>): string {
  const attachments = (activity.attachments ?? []) as unknown[];
  if (attachments.length) {
    if (activity.text !== undefined && activity.text !== '') throw new Error(`a card reply also has text: ${JSON.stringify(activity.text)}`);
    return typeof activity.summary === 'string' ? activity.summary : '';
  }
  return typeof activity.text === 'string' ? activity.text : '';
}

/**
 * Sends `text` to the bot at `appUrl` as the sandbox user's Teams message and resolves with the bot's reply: the
 * next activity the connector receives. Anything but 200 from /api/messages fails.
 */
export async function chat(appUrl: string, connector: RecordingConnector, text: string, timeoutMs?: number): Promise<Record<string, unknown>> {
  const before = connector.activities.length;
  const res = await fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(teamsMessage(connector.url, text)),
  });
  if (res.status !== 200) throw new Error(`POST /api/messages answered HTTP ${res.status}`);
  const all = await connector.waitFor(before + 1, timeoutMs);
  return all[all.length - 1] ?? {};
}

/** Sends `text` to the app's bot endpoint as a Teams message and resolves once the bot's answer has arrived. */
export async function sayTo(appUrl: string, connector: RecordingConnector, text: string): Promise<void> {
  const before = connector.activities.length;
  const res = await fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(teamsMessage(connector.url, text)),
  });
  if (res.status !== 200) throw new Error(`/api/messages answered ${res.status}`);
  await connector.waitFor(before + 1);
}

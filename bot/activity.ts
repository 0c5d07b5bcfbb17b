import type { Activity } from 'botbuilder';

/**
 * The Bot Framework activity as this bot reads it, checked field by field before any of it is used: a
 * wrongly typed field is a 400 and changes nothing. Unknown fields pass through (channels add them).
 */
export class ActivityProblem extends Error {
  constructor(readonly field: string) {
    super(`activity field ${field} is not valid`);
    this.name = 'ActivityProblem';
  }
}

type Json = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An object with a string `id`, and optional string fields. */
function account(value: unknown, field: string, optional: readonly string[], required = true): void {
  if (value === undefined && !required) return;
  if (!isObject(value)) throw new ActivityProblem(field);
  if (typeof value.id !== 'string' || value.id === '') throw new ActivityProblem(`${field}.id`);
  for (const name of optional) optionalString(value[name], `${field}.${name}`);
}

function optionalString(value: unknown, field: string): void {
  if (value !== undefined && value !== null && typeof value !== 'string') throw new ActivityProblem(field);
}

function optionalBoolean(value: unknown, field: string): void {
  if (value !== undefined && value !== null && typeof value !== 'boolean') throw new ActivityProblem(field);
}

function optionalObject(value: unknown, field: string): void {
  if (value !== undefined && value !== null && !isObject(value)) throw new ActivityProblem(field);
}

function optionalArray(value: unknown, field: string, each: (item: unknown, field: string) => void): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw new ActivityProblem(field);
  value.forEach((item, i) => each(item, `${field}[${i}]`));
}

function optionalDate(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new ActivityProblem(field);
}

function serviceUrl(value: unknown): void {
  if (typeof value !== 'string') throw new ActivityProblem('serviceUrl');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ActivityProblem('serviceUrl');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ActivityProblem('serviceUrl');
}

/** The body of POST /api/messages as an Activity, or an ActivityProblem naming the first field that is wrong. */
export function readActivity(body: unknown): Activity {
  if (!isObject(body)) throw new ActivityProblem('activity');
  if (typeof body.type !== 'string' || body.type === '') throw new ActivityProblem('type');
  if (typeof body.channelId !== 'string' || body.channelId === '') throw new ActivityProblem('channelId');
  serviceUrl(body.serviceUrl);
  for (const name of ['id', 'name', 'text', 'locale', 'localTimezone', 'replyToId', 'textFormat']) optionalString(body[name], name);
  for (const name of ['timestamp', 'localTimestamp', 'expiration']) optionalDate(body[name], name);
  account(body.from, 'from', ['name', 'aadObjectId', 'role']);
  account(body.recipient, 'recipient', ['name', 'aadObjectId', 'role']);
  account(body.conversation, 'conversation', ['name', 'tenantId', 'conversationType', 'aadObjectId', 'role']);
  if (isObject(body.conversation)) optionalBoolean(body.conversation.isGroup, 'conversation.isGroup');
  optionalObject(body.channelData, 'channelData');
  if (isObject(body.channelData)) {
    const { tenant } = body.channelData;
    if (tenant !== undefined) account(tenant, 'channelData.tenant', []);
  }
  optionalArray(body.membersAdded, 'membersAdded', (item, field) => account(item, field, ['name', 'aadObjectId', 'role']));
  optionalArray(body.membersRemoved, 'membersRemoved', (item, field) => account(item, field, ['name', 'aadObjectId', 'role']));
  optionalArray(body.entities, 'entities', (item, field) => optionalObject(item, field));
  optionalArray(body.attachments, 'attachments', (item, field) => optionalObject(item, field));
  return withDates(body);
}

/** What botbuilder's own validateAndFixActivity does: the timestamps as Dates, the raw strings kept alongside. */
function withDates(body: Json): Activity {
  const activity: Record<string, unknown> = { ...body };
  for (const [name, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = body[name];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[name] = new Date(value);
    }
  }
  return activity as unknown as Activity;
}

/**
 * The user's locale as the activity says it: its `locale`, else the Teams clientInfo entity's (events such as an
 * install may carry only that, or neither: then undefined, and the catalogs answer in English).
 */
export function localeOf(activity: Partial<Pick<Activity, 'locale' | 'entities'>>): string | undefined {
  if (typeof activity.locale === 'string' && activity.locale) return activity.locale;
  const info = activity.entities?.find((e) => e.type === 'clientInfo') as { locale?: unknown } | undefined;
  return typeof info?.locale === 'string' && info.locale ? info.locale : undefined;
}

/**
 * What this app set for each user, and until when, on the durable store (presence/store.ts): Graph does not
 * report expiry times, so the app remembers its own. One record per user, keyed by the validated identity only,
 * written with its ETag so several instances never lose each other's updates. A timer tells whether the plan it
 * was made for is still the current one by comparing the setting it was planned for (state and end) with the one
 * stored.
 */
import type { StateName } from './model';
import { parseRecord, serialize, withoutUndefined } from './record-codec';
import type { Span } from './telemetry';
import { forgetUser, isStoreError, userPartition, type AppStores, type RecordStore } from './store';
import { identityKey, type Identity } from './tokens/identity';
import { LruMap } from './tokens/lru';

export interface AppSetting {
  readonly state: StateName;
  readonly expiresAt: Date;
  readonly statusMessage?: string;
  /**
   * A session longer than Graph allows (4 hours): when Graph's session ends, before `expiresAt`. The app renews it
   * then (presence/timers.ts); absent when Graph's end is the setting's own.
   */
  readonly graphExpiresAt?: Date;
}

/** Graph's two places for a status this app sets: the preferred presence and the app's presence session. */
export type Slot = 'preferred' | 'session';

/** A status planned ahead ("dnd tomorrow 9-11"): set at `startAt` by a timer, for the time until `endAt`. */
export interface PlannedStatus {
  readonly id: string;
  readonly state: StateName;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly statusMessage?: string;
}

export interface LedgerEntry {
  readonly preferred?: AppSetting;
  readonly session?: AppSetting;
}

/**
 * Where and how to reach the user later (proactive messages): the bot's 1:1 conversation reference, opaque to
 * this folder, and the locale and time zone last seen. Only the bot writes it.
 */
export interface UserContact {
  readonly conversation: Readonly<Record<string, unknown>>;
  readonly locale?: string;
  readonly timeZone?: string;
}

/** When to remind the user before a timed status this app set ends; absent: DEFAULT_REMINDER (presence/reminders.ts). */
export interface ReminderSetting {
  /** How long before the end; null: no reminders. */
  readonly leadMs: number | null;
}

export interface UserRecord extends LedgerEntry {
  /** Bumped on every write: how many changes the record has seen (the concurrency tests count them). */
  readonly version: number;
  /**
   * Per slot, the statuses this app set that a later one replaced before they ended, nearest first: when the
   * status in the slot ends, the first of them still running comes back (presence/timers.ts).
   */
  readonly underneath?: Partial<Record<Slot, readonly AppSetting[]>>;
  /** Statuses planned ahead, soonest first. */
  readonly planned?: readonly PlannedStatus[];
  readonly contact?: UserContact;
  readonly reminders?: ReminderSetting;
}

export type LedgerChange = Partial<Record<Slot, AppSetting | null>> & {
  readonly contact?: UserContact;
  readonly reminders?: ReminderSetting;
  /** A status planned ahead. */
  readonly plan?: PlannedStatus;
  /** Planned statuses that started or were cancelled, by ID. */
  readonly unplan?: readonly string[];
  /**
   * A renewal of the session (presence/timers.ts): Graph's new end, recorded only while the session is still the one
   * renewed. `givenUp`: no renewal comes any more, so the session ends at Graph's end, and the record says so.
   */
  readonly renewed?:
    | { readonly state: StateName; readonly expiresAt: Date; readonly graphExpiresAt?: Date }
    | { readonly givenUp: { readonly state: StateName; readonly expiresAt: Date } };
  /** What would come back in this slot is dropped: its timer could not be planned (no refresh token kept). */
  readonly dropUnderneath?: Slot;
  /**
   * Every plan that needs the user's refresh token, which Entra refused: planned statuses, what would come back,
   * and renewals (the sessions end at Graph's own end).
   */
  readonly dropPlans?: true;
};

const ROW = 'presence';
/** How many replaced statuses a slot keeps to bring back: a day rarely stacks more. */
const MAX_UNDERNEATH = 3;
/** How many statuses a user can plan ahead. */
export const MAX_PLANNED = 20;
const EMPTY: UserRecord = { version: 0 };
/**
 * A record is kept this long after its last change, then swept: what the app set ends within 7 days (Graph's
 * longest), and a user who has not changed anything for 90 days is no longer kept.
 */
export const RETENTION_MS = 90 * 24 * 3600_000;
/**
 * Bounded retries of a read-modify-write that lost a race: each retry means another writer got in between. A
 * short random pause spreads writers that collided, so even 20 at once on one record all get through.
 */
const MAX_ATTEMPTS = 12;
const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));

export interface LedgerOptions {
  readonly now?: () => number;
  /** How many users' last-seen records (and ETags) this instance keeps to write without reading first. */
  readonly cacheSize?: number;
}

/** A record as this instance last read or wrote it, with the ETag the store gave it. */
interface Seen {
  readonly record: UserRecord;
  readonly etag: string;
  /** The stored record's own expiry (its retention): past it the record is gone, whatever this copy says. */
  readonly expiresAt?: Date;
}

export class PresenceLedger {
  private readonly users: RecordStore;
  private readonly now: () => number;
  /**
   * What this instance last saw of each user. A write starts from it and is conditional on its ETag, so a
   * returning user's set costs one write and no read; if another instance wrote in between, the write fails
   * with `conflict` and the record is read afresh. Never trusted to decide that nothing needs writing.
   */
  private readonly seen: LruMap<Seen>;

  constructor(
    private readonly stores: Pick<AppStores, 'users' | 'transient'>,
    options: LedgerOptions = {},
  ) {
    this.users = stores.users;
    this.now = options.now ?? Date.now;
    this.seen = new LruMap(options.cacheSize ?? 10_000);
  }

  /** The user's record, read from the store, with expired settings dropped; version 0 when nothing was ever stored. */
  async get(identity: Identity, trace?: Span): Promise<UserRecord> {
    return this.live((await this.fetch(identity, trace))?.record ?? EMPTY);
  }

  /**
   * The user's record as stored, settings that ended kept: a timer that comes due as a status ends still finds the
   * status it was planned for. Read from the store.
   */
  async stored(identity: Identity, trace?: Span): Promise<UserRecord> {
    return (await this.fetch(identity, trace))?.record ?? EMPTY;
  }

  /**
   * The user's record as this instance last saw it (written or read), read from the store only when it has none:
   * a set that looks at it costs no extra read, since its write needs the same record and ETag.
   */
  async latest(identity: Identity, trace?: Span): Promise<UserRecord> {
    return this.live((this.cached(identity) ?? (await this.fetch(identity, trace)))?.record ?? EMPTY);
  }

  /**
   * Applies a change (null deletes a setting) and bumps the version; retried on an ETag conflict, so a change is
   * never lost to a concurrent one. A change that alters nothing (the same contact, nothing to clear) writes nothing.
   */
  async update(identity: Identity, change: LedgerChange, trace?: Span): Promise<UserRecord> {
    let base = this.cached(identity);
    let fresh = !base;
    if (!base) base = await this.fetch(identity, trace);
    for (let attempt = 1; ; attempt += 1) {
      const current = this.live(base?.record ?? EMPTY);
      const next = apply(current, change);
      // A new setting always changes the record (its own end time); only other changes can be no-ops.
      if (!change.preferred && !change.session && !change.plan && sameRecord(current, next)) {
        if (fresh) return current;
        // The cache says nothing changes, but another instance may have written since: decide on the stored record.
        base = await this.fetch(identity, trace);
        fresh = true;
        continue;
      }
      const record = { ...next, version: current.version + 1 };
      try {
        const options = { expiresAt: new Date(this.now() + RETENTION_MS), trace };
        const etag = base
          ? await this.users.replace(key(identity), serialize(record), base.etag, options)
          : await this.users.create(key(identity), serialize(record), options);
        this.seen.set(identityKey(identity), { record, etag, expiresAt: options.expiresAt });
        return record;
      } catch (err) {
        if (!isStoreError(err, 'conflict') || attempt >= MAX_ATTEMPTS) throw err;
      }
      // A conflict on a record just read is a collision with another writer: pause before the next try. One on a
      // cached copy only means it was stale: read and try again at once.
      if (fresh) await backoff(attempt);
      base = await this.fetch(identity, trace);
      fresh = true;
    }
  }

  /** Deletes every record the app keeps about the user (this one, sign-in claims, pending commands). */
  forget(identity: Identity, trace?: Span): Promise<number> {
    this.seen.delete(identityKey(identity));
    return forgetUser(this.stores, identity, trace);
  }

  /** This instance's copy of the user's record, unless the stored record has expired since. */
  private cached(identity: Identity): Seen | undefined {
    const seen = this.seen.get(identityKey(identity));
    return seen && (!seen.expiresAt || seen.expiresAt.getTime() > this.now()) ? seen : undefined;
  }

  /** Reads the stored record (parsed, expired settings kept) and remembers it with its ETag. */
  private async fetch(identity: Identity, trace?: Span): Promise<Seen | undefined> {
    const stored = await this.users.read(key(identity), { trace });
    if (!stored) {
      this.seen.delete(identityKey(identity));
      return undefined;
    }
    const seen = { record: parseRecord(stored.value), etag: stored.etag, expiresAt: stored.expiresAt };
    this.seen.set(identityKey(identity), seen);
    return seen;
  }

  /** The record without what has ended: settings, what would come back, plans (a record `stored` read, as `get` sees it). */
  live(record: UserRecord): UserRecord {
    const now = this.now();
    const alive = (s?: AppSetting) => (s && s.expiresAt.getTime() > now ? s : undefined);
    const below = (slot: Slot) => record.underneath?.[slot]?.filter((s) => s.expiresAt.getTime() > now);
    const planned = record.planned?.filter((p) => p.endAt.getTime() > now);
    return withoutUndefined({
      ...record,
      preferred: alive(record.preferred),
      session: alive(record.session),
      underneath: compact({ preferred: below('preferred'), session: below('session') }),
      planned: planned?.length ? planned : undefined,
    });
  }
}

function key(identity: Identity) {
  return { partition: userPartition(identity), row: ROW };
}

function apply(current: UserRecord, change: LedgerChange): UserRecord {
  const next: { -readonly [K in keyof UserRecord]: UserRecord[K] } = { ...current };
  const underneath: Partial<Record<Slot, readonly AppSetting[]>> = { ...current.underneath };
  for (const slot of ['preferred', 'session'] as const) {
    const value = change[slot];
    if (value === null) {
      // A reset: nothing comes back either.
      delete next[slot];
      delete underneath[slot];
    } else if (value) {
      underneath[slot] = comesBack(value, current[slot], current.underneath?.[slot] ?? []);
      next[slot] = value;
    }
  }
  const { renewed } = change;
  const renewal = renewed && ('givenUp' in renewed ? renewed.givenUp : renewed);
  const session = next.session;
  if (renewed && renewal && session?.state === renewal.state && session.expiresAt.getTime() === renewal.expiresAt.getTime()) {
    next.session = 'givenUp' in renewed ? endsAtGraph(session) : withoutUndefined({ ...session, graphExpiresAt: renewed.graphExpiresAt });
  }
  if (change.dropUnderneath) delete underneath[change.dropUnderneath];
  let planned = current.planned ?? [];
  if (change.unplan) planned = planned.filter((p) => !change.unplan?.includes(p.id));
  if (change.plan) planned = [...planned, change.plan].sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  if (change.dropPlans) {
    planned = [];
    for (const slot of ['preferred', 'session'] as const) delete underneath[slot];
    if (next.session) next.session = endsAtGraph(next.session);
  }
  next.planned = planned.length ? planned : undefined;
  next.underneath = compact(underneath);
  if (change.contact) next.contact = change.contact;
  if (change.reminders) next.reminders = change.reminders;
  return withoutUndefined(next);
}

/** A long session no longer renewed: it ends at Graph's end, and its reminder and `status` say that end. */
function endsAtGraph(session: AppSetting): AppSetting {
  return withoutUndefined({ ...session, expiresAt: session.graphExpiresAt ?? session.expiresAt, graphExpiresAt: undefined });
}

/** Per slot, only lists with something in them; undefined when no slot has any. */
function compact(underneath: Partial<Record<Slot, readonly AppSetting[] | undefined>>): UserRecord['underneath'] {
  const kept = Object.fromEntries(Object.entries(underneath).filter(([, list]) => list?.length));
  return Object.keys(kept).length ? kept : undefined;
}

/**
 * What comes back when `next` ends: of the status it replaces and those that one had replaced, the ones still
 * running after `next` ends, nearest first. One of the same state is replaced, not stacked ("dnd 1h" after "dnd
 * 8h" shortens it), and `next` itself is not kept (a status that came back, or a session renewed).
 */
export function comesBack(next: AppSetting, current: AppSetting | undefined, below: readonly AppSetting[]): AppSetting[] {
  const end = next.expiresAt.getTime();
  return [current, ...below]
    .filter((s): s is AppSetting => !!s && s.expiresAt.getTime() > end && s.state !== next.state)
    .map((s) => withoutUndefined({ ...s, graphExpiresAt: undefined }))
    .slice(0, MAX_UNDERNEATH);
}

function sameRecord(a: UserRecord, b: UserRecord): boolean {
  return JSON.stringify(serialize(a)) === JSON.stringify(serialize(b));
}

/** Whether anything in the record needs the user's refresh token: a renewal, something to bring back, a planned status. */
export function needsRefreshToken(record: UserRecord): boolean {
  return !!(record.session?.graphExpiresAt || record.underneath?.preferred?.length || record.underneath?.session?.length || record.planned?.length);
}

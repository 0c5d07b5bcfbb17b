/**
 * A local stand-in for Microsoft Graph's presence APIs (the facts in shared/seeds/README.md), as pure logic:
 * no HTTP, no framework. State lives per user (object ID), created on first touch, and time comes from an
 * injectable clock plus an offset that `advance()` moves, so timeouts and expiry are testable without waiting.
 *
 * Every user has a simulated Teams desktop client, signed in and kept alive (Available/Available by default; it
 * never times out or expires) until `setTeamsClientSignedIn(userId, false)`; `setTeamsClient` can also put it in
 * another session state (e.g. Busy/InACall, as when the user is in a Teams call). The application (appId) can add its own
 * session with setPresence. Failures throw a GraphError carrying the HTTP status and Graph's error body.
 */
import { parseIsoDuration } from '../../presence/duration';
import { GRAPH_RULES, PREFERRED_PAIRS, SESSION_PAIRS, isValidPair, type Activity, type Availability, type PresencePair } from '../../presence/model';
import { readObject, readOptional, readOptionalString, readString, type JsonObject } from './body';
import { parseDateTimeTimeZone, toGraphDateTimeUtc, type DateTimeTimeZone } from './datetime';
import { badRequest, notFound } from './graph-error';

export { GraphError } from './graph-error';
export type { DateTimeTimeZone } from './datetime';

/** The session ID the simulated Teams desktop client has (an app can neither set nor clear it). */
export const TEAMS_CLIENT_SESSION_ID = 'teams-desktop-client';

export interface PresenceEmulatorOptions {
  /** The application's ID: the only sessionId setPresence accepts. */
  readonly appId: string;
  /** The base clock in epoch milliseconds (default Date.now); advance() adds to it. */
  readonly now?: () => number;
}

export interface GraphStatusMessage {
  readonly message: { readonly content: string; readonly contentType: 'text' };
  readonly expiryDateTime: DateTimeTimeZone | null;
  readonly publishedDateTime: string;
}

/** What `GET /users/{id}/presence` returns. */
export interface EmulatedPresence {
  readonly id: string;
  readonly availability: Availability;
  readonly activity: Activity;
  readonly statusMessage: GraphStatusMessage | null;
  readonly outOfOfficeSettings: { readonly isOutOfOffice: boolean; readonly message: string | null };
  readonly sequenceNumber: string;
  readonly workLocation: null;
}

export type SessionKind = 'teamsClient' | 'application';

export interface SessionSnapshot {
  readonly sessionId: string;
  readonly kind: SessionKind;
  /** The current state, after any timeout fading. */
  readonly availability: Availability;
  readonly activity: Activity;
  readonly expiresAt: string | null;
  readonly lastRefreshedAt: string;
}

/** Everything the emulator holds for a user, for inspection; times are ISO 8601 UTC. */
export interface UserSnapshot {
  readonly userId: string;
  readonly preferredPresence: { readonly availability: Availability; readonly activity: Activity; readonly expiresAt: string } | null;
  readonly sessions: readonly SessionSnapshot[];
  readonly statusMessage: { readonly content: string; readonly expiresAt: string | null } | null;
  readonly presence: EmulatedPresence;
}

export interface AppSession extends PresencePair {
  readonly lastRefreshedAt: number;
  readonly expiresAt: number;
}

export interface PreferredPresence extends PresencePair {
  readonly expiresAt: number;
}

export interface StatusMessage {
  readonly content: string;
  readonly publishedAt: number;
  readonly expiresAt: number | null;
}

interface UserState {
  teamsClientSignedIn: boolean;
  teamsClient: PresencePair;
  appSession?: AppSession;
  preferred?: PreferredPresence;
  statusMessage?: StatusMessage;
  /** Bumped whenever the observed presence differs from the last one observed. */
  sequence: number;
  lastObserved?: string;
}

interface LiveSession extends PresencePair {
  readonly sessionId: string;
  readonly kind: SessionKind;
  readonly expiresAt: number | null;
  readonly lastRefreshedAt: number;
}

/** What changed, for a listener that keeps the emulator's state (sandbox/graph/persistence.ts). */
export type EmulatorChange = { readonly kind: 'user'; readonly userId: string } | { readonly kind: 'clock' } | { readonly kind: 'reset' };

/** A user's state as kept across restarts (times in emulator epoch milliseconds). */
export interface PersistedUser {
  readonly teamsClientSignedIn: boolean;
  readonly teamsClient: PresencePair;
  readonly appSession?: AppSession;
  readonly preferred?: PreferredPresence;
  readonly statusMessage?: StatusMessage;
  readonly sequence: number;
}

const OFFLINE: PresencePair = { availability: 'Offline', activity: 'Offline' };
const AVAILABLE: PresencePair = { availability: 'Available', activity: 'Available' };

/** The pair an Available session shows after 0, 1 and 2 timeouts without a refresh. */
const AVAILABLE_FADING: readonly PresencePair[] = [
  AVAILABLE,
  { availability: 'Available', activity: 'AvailableInactive' },
  { availability: 'Away', activity: 'Away' },
];

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** An app session's state now: an Available session fades one stage per timeout without a refresh. */
function currentPair(session: AppSession, now: number): PresencePair {
  if (session.availability !== 'Available') return session;
  const stage = Math.floor((now - session.lastRefreshedAt) / GRAPH_RULES.availableTimeoutMs);
  return AVAILABLE_FADING[Math.min(stage, AVAILABLE_FADING.length - 1)] ?? session;
}

function precedence(availability: Availability): number {
  const rank = GRAPH_RULES.sessionPrecedence.indexOf(availability);
  return rank === -1 ? GRAPH_RULES.sessionPrecedence.length : rank;
}

/** DoNotDisturb > Busy > Available > Away; between equals, the most recently refreshed session. */
function strongestSession(sessions: readonly LiveSession[]): LiveSession | undefined {
  return [...sessions].sort((a, b) => precedence(a.availability) - precedence(b.availability) || b.lastRefreshedAt - a.lastRefreshedAt)[0];
}

/** The pair a body names, if it is one of `pairs`; a 400 otherwise. */
function readPair(body: JsonObject, pairs: readonly PresencePair[]): PresencePair {
  const availability = readString(body, 'availability');
  const activity = readString(body, 'activity');
  const pair = pairs.find((p) => isValidPair([p], availability, activity));
  if (!pair) throw badRequest(`The combination of availability '${availability}' and activity '${activity}' is not supported.`);
  return pair;
}

/** An optional ISO 8601 expirationDuration in milliseconds; a 400 when malformed or outside [minMs, maxMs]. */
function readDuration(body: JsonObject, limits: { readonly minMs: number; readonly maxMs: number }): number | undefined {
  const text = readOptionalString(body, 'expirationDuration');
  if (text === undefined) return undefined;
  const ms = parseIsoDuration(text);
  if (ms === undefined) throw badRequest(`expirationDuration '${text}' is not an ISO 8601 duration.`);
  if (ms < limits.minMs || ms > limits.maxMs) throw badRequest(`expirationDuration '${text}' is out of range.`);
  return ms;
}

const SESSION_LIMITS = { minMs: GRAPH_RULES.session.minMs, maxMs: GRAPH_RULES.session.maxMs };
/** Graph documents no range for the preferred presence's duration: anything above zero. */
const PREFERRED_LIMITS = { minMs: 1, maxMs: Number.MAX_SAFE_INTEGER };

export class PresenceEmulator {
  readonly appId: string;
  private readonly baseNow: () => number;
  private offsetMs = 0;
  private readonly users = new Map<string, UserState>();
  private readonly listeners: ((change: EmulatorChange) => void)[] = [];

  constructor(options: PresenceEmulatorOptions) {
    if (!options.appId) throw new TypeError('appId is required');
    this.appId = options.appId;
    this.baseNow = options.now ?? Date.now;
  }

  /** The emulator's clock, epoch milliseconds. */
  now(): number {
    return this.baseNow() + this.offsetMs;
  }

  /** Moves the emulator's clock forward by `ms` (>= 0); returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance() takes a finite, non-negative number of milliseconds');
    this.offsetMs += ms;
    this.changed({ kind: 'clock' });
    return this.now();
  }

  /** Forgets every user (the clock stays where it is). */
  reset(): void {
    this.users.clear();
    this.changed({ kind: 'reset' });
  }

  /** Calls `listener` after every change of state (not after reads). */
  onChange(listener: (change: EmulatorChange) => void): void {
    this.listeners.push(listener);
  }

  /** How far advance() has moved the clock. */
  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /** A user's state as kept across restarts; undefined for a user never touched. */
  exportUser(userId: string): PersistedUser | undefined {
    const user = this.users.get(userId);
    if (!user) return undefined;
    const { teamsClientSignedIn, teamsClient, appSession, preferred, statusMessage, sequence } = user;
    return { teamsClientSignedIn, teamsClient, appSession, preferred, statusMessage, sequence };
  }

  /** Restores what exportUser and clockOffsetMs gave before a restart (no change is reported). */
  restore(offsetMs: number, users: ReadonlyMap<string, PersistedUser>): void {
    this.offsetMs = offsetMs;
    for (const [userId, user] of users) this.users.set(userId, { ...user, teamsClient: { ...user.teamsClient } });
  }

  /** Signs the user's simulated Teams desktop client in (a kept-alive session) or out (no session). */
  setTeamsClientSignedIn(userId: string, signedIn: boolean): void {
    this.user(userId).teamsClientSignedIn = signedIn;
    this.changed({ kind: 'user', userId });
  }

  /**
   * Configures the simulated Teams client from a body `{ signedIn?: boolean, availability?, activity? }`
   * (availability and activity together, one of the session pairs); a 400 GraphError when invalid.
   */
  setTeamsClient(userId: string, body: unknown): void {
    const obj = readObject(body, 'the request body', { optional: ['signedIn', 'availability', 'activity'] });
    const signedIn = readOptional(obj, 'signedIn');
    if (signedIn !== undefined && typeof signedIn !== 'boolean') throw badRequest("Property 'signedIn' must be true or false.");
    const hasPair = readOptional(obj, 'availability') !== undefined || readOptional(obj, 'activity') !== undefined;
    const pair = hasPair ? readPair(obj, SESSION_PAIRS) : undefined;
    if (signedIn === undefined && !pair) throw badRequest("Give 'signedIn' or 'availability' and 'activity'.");
    const user = this.user(userId);
    if (signedIn !== undefined) user.teamsClientSignedIn = signedIn;
    if (pair) user.teamsClient = pair;
    this.changed({ kind: 'user', userId });
  }

  /** POST /users/{id}/presence/setPresence */
  setPresence(userId: string, body: unknown): void {
    const obj = readObject(body, 'the request body', { required: ['sessionId', 'availability', 'activity'], optional: ['expirationDuration'] });
    const sessionId = readString(obj, 'sessionId');
    if (sessionId !== this.appId) throw badRequest('sessionId must be the ID of the calling application.');
    const pair = readPair(obj, SESSION_PAIRS);
    const durationMs = readDuration(obj, SESSION_LIMITS) ?? GRAPH_RULES.session.defaultMs;
    const now = this.now();
    this.user(userId).appSession = { ...pair, lastRefreshedAt: now, expiresAt: now + durationMs };
    this.changed({ kind: 'user', userId });
  }

  /** POST /users/{id}/presence/clearPresence */
  clearPresence(userId: string, body: unknown): void {
    const sessionId = readString(readObject(body, 'the request body', { required: ['sessionId'] }), 'sessionId');
    const user = this.user(userId);
    if (sessionId !== this.appId || !user.appSession) throw notFound(`Presence session '${sessionId}' was not found.`);
    delete user.appSession;
    this.changed({ kind: 'user', userId });
  }

  /** POST /users/{id}/presence/setUserPreferredPresence */
  setUserPreferredPresence(userId: string, body: unknown): void {
    const obj = readObject(body, 'the request body', { required: ['availability', 'activity'], optional: ['expirationDuration'] });
    const pair = readPair(obj, PREFERRED_PAIRS);
    const durationMs = readDuration(obj, PREFERRED_LIMITS) ?? GRAPH_RULES.preferredDefaultMs(pair.availability);
    this.user(userId).preferred = { ...pair, expiresAt: this.now() + durationMs };
    this.changed({ kind: 'user', userId });
  }

  /** POST /users/{id}/presence/clearUserPreferredPresence: succeeds even when nothing is set. */
  clearUserPreferredPresence(userId: string, body: unknown = {}): void {
    readObject(body ?? {}, 'the request body', {});
    delete this.user(userId).preferred;
    this.changed({ kind: 'user', userId });
  }

  /** POST /users/{id}/presence/setStatusMessage: an empty content clears the message. */
  setStatusMessage(userId: string, body: unknown): void {
    const statusMessage = readObject(readObject(body, 'the request body', { required: ['statusMessage'] }).statusMessage, 'statusMessage', {
      required: ['message'],
      optional: ['expiryDateTime'],
    });
    const message = readObject(statusMessage.message, 'statusMessage.message', { required: ['content'], optional: ['contentType'] });
    const content = readString(message, 'content');
    const contentType = readOptionalString(message, 'contentType') ?? 'text';
    if (contentType !== 'text') throw badRequest(`contentType '${contentType}' is not supported; use 'text'.`);
    const expiry = readOptional(statusMessage, 'expiryDateTime');
    const expiresAt = expiry === undefined ? null : parseDateTimeTimeZone(expiry, 'statusMessage.expiryDateTime');
    const user = this.user(userId);
    if (content === '') delete user.statusMessage;
    else user.statusMessage = { content, publishedAt: this.now(), expiresAt };
    this.changed({ kind: 'user', userId });
  }

  /** GET /users/{id}/presence */
  getPresence(userId: string): EmulatedPresence {
    return this.presenceOf(userId, this.user(userId));
  }

  /** The user's whole state, for inspection. */
  snapshot(userId: string): UserSnapshot {
    const user = this.user(userId);
    const { preferred, statusMessage } = user;
    return {
      userId,
      preferredPresence: preferred ? { availability: preferred.availability, activity: preferred.activity, expiresAt: iso(preferred.expiresAt) } : null,
      sessions: this.liveSessions(user).map((s) => ({
        sessionId: s.sessionId,
        kind: s.kind,
        availability: s.availability,
        activity: s.activity,
        expiresAt: s.expiresAt === null ? null : iso(s.expiresAt),
        lastRefreshedAt: iso(s.lastRefreshedAt),
      })),
      statusMessage: statusMessage
        ? { content: statusMessage.content, expiresAt: statusMessage.expiresAt === null ? null : iso(statusMessage.expiresAt) }
        : null,
      presence: this.presenceOf(userId, user),
    };
  }

  private changed(change: EmulatorChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** The user's state with everything expired dropped; created on first touch. */
  private user(userId: string): UserState {
    if (typeof userId !== 'string' || userId === '') throw badRequest('A user ID is required.');
    let user = this.users.get(userId);
    if (!user) {
      user = { teamsClientSignedIn: true, teamsClient: AVAILABLE, sequence: 0 };
      this.users.set(userId, user);
    }
    this.dropExpired(user);
    return user;
  }

  private dropExpired(user: UserState): void {
    const now = this.now();
    if (user.appSession && user.appSession.expiresAt <= now) delete user.appSession;
    if (user.preferred && user.preferred.expiresAt <= now) delete user.preferred;
    if (user.statusMessage?.expiresAt != null && user.statusMessage.expiresAt <= now) delete user.statusMessage;
  }

  private liveSessions(user: UserState): LiveSession[] {
    const now = this.now();
    const sessions: LiveSession[] = [];
    if (user.teamsClientSignedIn) {
      const { availability, activity } = user.teamsClient;
      sessions.push({ sessionId: TEAMS_CLIENT_SESSION_ID, kind: 'teamsClient', availability, activity, expiresAt: null, lastRefreshedAt: now });
    }
    if (user.appSession) {
      const { expiresAt, lastRefreshedAt } = user.appSession;
      sessions.push({ sessionId: this.appId, kind: 'application', ...currentPair(user.appSession, now), expiresAt, lastRefreshedAt });
    }
    return sessions;
  }

  /** Preferred presence (while unexpired) wins, but only while the user has a session; no session is Offline. */
  private aggregate(user: UserState): PresencePair {
    const strongest = strongestSession(this.liveSessions(user));
    if (!strongest) return OFFLINE;
    const { availability, activity } = user.preferred ?? strongest;
    return { availability, activity };
  }

  private presenceOf(userId: string, user: UserState): EmulatedPresence {
    const { availability, activity } = this.aggregate(user);
    const statusMessage = this.statusMessageOf(user);
    const observed = JSON.stringify([availability, activity, statusMessage]);
    if (observed !== user.lastObserved) {
      user.sequence += 1;
      user.lastObserved = observed;
    }
    return {
      id: userId,
      availability,
      activity,
      statusMessage,
      outOfOfficeSettings: { isOutOfOffice: false, message: null },
      sequenceNumber: user.sequence.toString(16).toUpperCase().padStart(16, '0'),
      workLocation: null,
    };
  }

  private statusMessageOf(user: UserState): GraphStatusMessage | null {
    const message = user.statusMessage;
    if (!message) return null;
    return {
      message: { content: message.content, contentType: 'text' },
      expiryDateTime: message.expiresAt === null ? null : toGraphDateTimeUtc(message.expiresAt),
      publishedDateTime: iso(message.publishedAt),
    };
  }
}

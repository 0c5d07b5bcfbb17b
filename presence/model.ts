/**
 * The presence model from Microsoft Graph's reference (docs/graph-presence-reference.md), as data in one place.
 * The service, the sandbox's Graph emulator, the bot and the tab all read these tables.
 */

export type Availability = 'Available' | 'AvailableIdle' | 'Away' | 'BeRightBack' | 'Busy' | 'BusyIdle' | 'DoNotDisturb' | 'Offline' | 'PresenceUnknown';

export type Activity =
  | 'Available'
  | 'AvailableInactive'
  | 'Away'
  | 'BeRightBack'
  | 'Busy'
  | 'DoNotDisturb'
  | 'InACall'
  | 'InAConferenceCall'
  | 'Inactive'
  | 'InAMeeting'
  | 'Offline'
  | 'OffWork'
  | 'OutOfOffice'
  | 'PresenceUnknown'
  | 'Presenting'
  | 'UrgentInterruptionsOnly';

export interface PresencePair {
  readonly availability: Availability;
  readonly activity: Activity;
}

/** Valid pairs for setUserPreferredPresence. */
export const PREFERRED_PAIRS: readonly PresencePair[] = [
  { availability: 'Available', activity: 'Available' },
  { availability: 'Busy', activity: 'Busy' },
  { availability: 'DoNotDisturb', activity: 'DoNotDisturb' },
  { availability: 'BeRightBack', activity: 'BeRightBack' },
  { availability: 'Away', activity: 'Away' },
  { availability: 'Offline', activity: 'OffWork' },
];

/** Valid pairs for setPresence (an application's presence session). */
export const SESSION_PAIRS: readonly PresencePair[] = [
  { availability: 'Available', activity: 'Available' },
  { availability: 'Busy', activity: 'InACall' },
  { availability: 'Busy', activity: 'InAConferenceCall' },
  { availability: 'Away', activity: 'Away' },
  { availability: 'DoNotDisturb', activity: 'Presenting' },
];

export function isValidPair(pairs: readonly PresencePair[], availability: string, activity: string): boolean {
  return pairs.some((p) => p.availability === availability && p.activity === activity);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Graph's rules for durations (milliseconds). */
export const GRAPH_RULES = {
  /** setPresence expirationDuration: default PT5M, valid PT5M..PT4H. */
  session: { defaultMs: 5 * MINUTE, minMs: 5 * MINUTE, maxMs: 4 * HOUR },
  /** setUserPreferredPresence default expiration: 1 day for DoNotDisturb and Busy, 7 days otherwise. */
  preferredDefaultMs(availability: Availability): number {
    return availability === 'DoNotDisturb' || availability === 'Busy' ? DAY : 7 * DAY;
  },
  /** An Available session without a refresh fades to AvailableInactive after 5 minutes, then to Away 5 minutes later. */
  availableTimeoutMs: 5 * MINUTE,
  /** Among session states: DoNotDisturb > Busy > Available > Away (earlier wins). */
  sessionPrecedence: ['DoNotDisturb', 'Busy', 'Available', 'Away'] as readonly Availability[],
} as const;

/** This product's own limits for what a user may ask for. */
export const PRODUCT_RULES = {
  preferred: { minMs: MINUTE, maxMs: 7 * DAY },
  /**
   * A session past Graph's 4 hours is renewed by the app (presence/timers.ts) before each of Graph's expirations,
   * up to a day: a working day with room, and a bound on how many renewals one command can cost.
   */
  session: { minMs: GRAPH_RULES.session.minMs, maxMs: DAY, defaultMs: HOUR },
  statusMessageMaxLength: 280,
} as const;

/** The states a person can ask for, each with the Graph API that sets it. */
export const STATES = {
  Available: { kind: 'preferred', availability: 'Available', activity: 'Available' },
  Busy: { kind: 'preferred', availability: 'Busy', activity: 'Busy' },
  DoNotDisturb: { kind: 'preferred', availability: 'DoNotDisturb', activity: 'DoNotDisturb' },
  BeRightBack: { kind: 'preferred', availability: 'BeRightBack', activity: 'BeRightBack' },
  Away: { kind: 'preferred', availability: 'Away', activity: 'Away' },
  AppearOffline: { kind: 'preferred', availability: 'Offline', activity: 'OffWork' },
  InACall: { kind: 'session', availability: 'Busy', activity: 'InACall' },
  InAConferenceCall: { kind: 'session', availability: 'Busy', activity: 'InAConferenceCall' },
  Presenting: { kind: 'session', availability: 'DoNotDisturb', activity: 'Presenting' },
} as const satisfies Record<string, PresencePair & { kind: 'preferred' | 'session' }>;

export type StateName = keyof typeof STATES;
export const STATE_NAMES = Object.keys(STATES) as StateName[];

export function isStateName(value: unknown): value is StateName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(STATES, value);
}

/** The duration this product applies when a person gives none: Graph's default for preferred, one hour for a session. */
export function defaultDurationMs(state: StateName): number {
  const def = STATES[state];
  return def.kind === 'preferred' ? GRAPH_RULES.preferredDefaultMs(def.availability) : PRODUCT_RULES.session.defaultMs;
}

export function durationLimits(state: StateName): { minMs: number; maxMs: number } {
  return PRODUCT_RULES[STATES[state].kind];
}

/** A reminder's lead by default: 10 minutes before a timed status ends (presence/reminders.ts). */
export const DEFAULT_REMINDER_LEAD_MS = 10 * 60_000;
/** How long before a status ends a reminder may come ("remind 5m"). */
export const REMINDER_LEAD = { minMs: 60_000, maxMs: 60 * 60_000 } as const;

/** How far ahead a status can be planned ("dnd tomorrow 9-11"): a week, the longest a preferred status lasts. */
export const SCHEDULE_AHEAD_MAX_MS = 7 * DAY;

/**
 * The tab's API as types: what the page sends and what it gets back. Type-only, so the page can
 * import it without pulling server code into its bundle.
 *
 *   GET    /api/presence  -> 200 PresenceView
 *   POST   /api/presence  SetPresenceBody (application/json, at most 4 KB) -> 200 SetView
 *   DELETE /api/presence  -> 200 ClearedView
 *   GET    /api/reminders -> 200 RemindersView
 *   PUT    /api/reminders SetRemindersBody (application/json, at most 4 KB) -> 200 RemindersView
 *   GET    /api/plans     -> 200 PlansView
 *   POST   /api/plans     PlanBody (application/json, at most 4 KB) -> 201 PlanAddedView
 *   DELETE /api/plans/:id -> 200 PlanCancelledView (without `cancelled` when the caller has no such plan)
 *
 * Every call needs `Authorization: Bearer <Teams SSO token>`; the user is taken from that token only.
 * No query parameters, and no body on GET or DELETE. Errors are ApiErrorBody with the HTTP status of
 * the code (presence/errors.ts); `Retry-After` accompanies `throttled` and `rate_limited`.
 */
import type { PresenceErrorCode } from '../../presence/errors';
import type { Activity, Availability, StateName } from '../../presence/model';
import type { ClearPart, PresenceSource, SetPart } from '../../presence/service';

/** PresenceView's `presence.source`, which the page names in words. */
export type { PresenceSource };

export const API_PATH = '/api/presence';
export const REMINDERS_PATH = '/api/reminders';
export const PLANS_PATH = '/api/plans';
export const MAX_BODY_BYTES = 4096;

export interface SetPresenceBody {
  readonly state: StateName;
  /** A whole number of minutes within the state's limits (durationLimits in presence/model.ts). */
  readonly durationMinutes?: number;
  /** An ISO 8601 instant with `Z` or an offset, e.g. 2025-01-31T17:00:00+01:00; not with durationMinutes. */
  readonly until?: string;
  /** At most PRODUCT_RULES.statusMessageMaxLength characters; blank means none. Expires with the status. */
  readonly statusMessage?: string;
}

/** What this app set, and until when (ISO 8601 UTC). */
export interface AppSettingView {
  readonly state: StateName;
  readonly expiresAt: string;
  readonly statusMessage?: string;
}

/** Per slot, the status that comes back when the one there ends (an earlier one of this app's that it replaced). */
export interface ComesBackView {
  readonly preferred?: AppSettingView;
  readonly session?: AppSettingView;
}

export interface PresenceView {
  readonly presence: {
    readonly availability: Availability;
    readonly activity: Activity;
    /** Who set what people see: this app's preferred status, this app's session, or Teams itself. */
    readonly source: PresenceSource;
    readonly statusMessage?: string;
  };
  readonly preferred?: AppSettingView;
  readonly session?: AppSettingView;
  readonly comesBack?: ComesBackView;
  /** Statuses planned ahead, soonest first; absent when none are (or the record could not be read). */
  readonly planned?: readonly PlanView[];
  /** The app's record could not be read (source is then `unknown`); the ID is in the server log. */
  readonly storeFailure?: StoreFailureView;
}

/** Graph did what was asked, but the app's own record of it failed (its storage is down). */
export interface StoreFailureView {
  readonly correlationId: string;
}

/**
 * A part of the change that failed while the rest succeeded (what succeeded is recorded). Set: `statusMessage`
 * (not set) or `confirm` (what people see could not be read back); reset: `preferred`, `session`, `statusMessage`.
 */
export interface PartFailureView<P extends SetPart | ClearPart> {
  readonly part: P;
  readonly code: ApiErrorCode;
  /** Failures that were not the caller's doing; the same ID is in the server log. */
  readonly correlationId?: string;
}

/**
 * POST's answer: what was set, and (absent only when the read-back of a session state failed) what shows now, as
 * GET answers it, so the page shows it without asking again.
 */
export interface SetView extends Partial<PresenceView> {
  readonly set: {
    readonly state: StateName;
    readonly expiresAt: string;
    /** No duration was given: Graph's default (preferred) or one hour (session) applied. */
    readonly usedDefault: boolean;
    readonly statusMessage?: string;
    /** A session state hidden by a higher-ranking presence (a preferred status): what people see instead. */
    readonly shadowedBy?: { readonly availability: Availability; readonly activity: Activity };
    /** An earlier status of this app's that this one replaced, and that comes back when this one ends. */
    readonly comesBack?: AppSettingView;
    /** Set in Teams, but not recorded: a later GET may not know its end time. */
    readonly storeFailure?: StoreFailureView;
    /** The state is set, but these parts failed. */
    readonly partial?: readonly PartFailureView<SetPart>[];
  };
}

/** DELETE's answer: what was cleared, and what Teams shows now, as GET answers it (absent when that read failed). */
export interface ClearedView extends Partial<PresenceView> {
  readonly cleared: {
    readonly sessionExisted: boolean;
    readonly storeFailure?: StoreFailureView;
    /** These were not cleared; the rest was. */
    readonly partial?: readonly PartFailureView<ClearPart>[];
  };
}

/** When the reminder before a timed status this app set ends comes (the chat's `remind 5m` / `remind off`). */
export interface RemindersView {
  /** Minutes before the end (a fraction only if the chat set one, e.g. `remind 1.5m`); null: no reminders. */
  readonly leadMinutes: number | null;
}

export interface SetRemindersBody {
  /** A whole number of minutes from 1 to 60 (REMINDER_LEAD in presence/reminders.ts), or null to turn reminders off. */
  readonly leadMinutes: number | null;
}

/** A status planned ahead: set at `startAt` until `endAt` (ISO 8601 UTC) by the app's timer. */
export interface PlanView {
  /** What DELETE /api/plans/:id takes. */
  readonly id: string;
  readonly state: StateName;
  readonly startAt: string;
  readonly endAt: string;
  readonly statusMessage?: string;
}

/** What is planned, soonest first. */
export interface PlansView {
  readonly planned: readonly PlanView[];
}

/** What is planned after a POST, and the status that POST planned. */
export interface PlanAddedView extends PlansView {
  readonly added: PlanView;
}

/** What is left planned after a DELETE; `cancelled` is the plan it cancelled, absent when the caller had none with that ID. */
export interface PlanCancelledView extends PlansView {
  readonly cancelled?: PlanView;
}

export interface PlanBody {
  /** Any state, with the limits of a status set now: end − start within durationLimits (presence/model.ts). */
  readonly state: StateName;
  /** An ISO 8601 instant with `Z` or an offset, in the future and at most SCHEDULE_AHEAD_MAX_MS (7 days) ahead. */
  readonly startAt: string;
  /** An ISO 8601 instant with `Z` or an offset, after startAt. */
  readonly endAt: string;
  /** At most PRODUCT_RULES.statusMessageMaxLength characters; blank means none. Set with the status, ends with it. */
  readonly statusMessage?: string;
}

/** `sso_required` never reaches the page: without a valid SSO token the answer is `unauthenticated`. */
export type ApiErrorCode = Exclude<PresenceErrorCode, 'sso_required'>;

export interface ApiErrorBody {
  readonly error: {
    readonly code: ApiErrorCode;
    /** English, for developers and logs; the page shows its own sentence for the code. */
    readonly message: string;
    /** invalid_request: the body field (or `body`, `content-type`, a query parameter) that was rejected. */
    readonly field?: string;
    /** throttled, rate_limited: also sent as the Retry-After header. */
    readonly retryAfterSeconds?: number;
    /** Failures that were not the caller's doing; the same ID is in the server log. */
    readonly correlationId?: string;
  };
}

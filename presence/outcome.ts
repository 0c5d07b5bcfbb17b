/**
 * What the presence service answers (presence/service.ts): one outcome per request kind, with what succeeded in
 * part and what the store could not record. The front doors turn these into a card or a JSON view.
 */
import type { PresenceErrorCode } from './errors';
import type { AppSetting, PlannedStatus, Slot } from './ledger';
import type { Activity, Availability, PresencePair, StateName } from './model';
import type { ClearTarget } from './request';

/** Who set what is showing; `unknown` when the app's own record could not be read. */
export type PresenceSource = 'preferred' | 'app' | 'teams' | 'unknown';

/** Graph did what was asked, but the app's record of it could not be read or written (the store is down). */
export interface StoreFailure {
  /** Also in the log line that has the detail. */
  readonly correlationId: string;
}

/** The parts of a command that can fail while the rest of it succeeds. */
export type SetPart =
  /** The status message was not set (the status was). */
  | 'statusMessage'
  /** A session state is set, but the read-back of what people see failed. */
  | 'confirm'
  /** The status message set with the status this one replaced could not be cleared: it still shows. */
  | 'previousMessage';
export type ClearPart = 'preferred' | 'session' | 'statusMessage';

/** One part of a command that failed while another succeeded; what succeeded is recorded and reported. */
export interface PartFailure<P extends SetPart | ClearPart> {
  readonly part: P;
  readonly code: PresenceErrorCode;
  /** Also in the log line that has the detail. */
  readonly correlationId: string;
}

export interface CurrentPresence {
  readonly availability: Availability;
  readonly activity: Activity;
  /** Who set what is showing: this app's preferred status, this app's session, or Teams itself (clients, calendar, the user in Teams). */
  readonly source: PresenceSource;
  readonly statusMessage?: string;
}

/**
 * What is showing and what this app has set, as `status` and the tab show it: the read outcome, and what a set or
 * a reset leaves (so a front door shows it without reading again).
 */
export interface PresenceSnapshot {
  readonly presence: CurrentPresence;
  readonly preferred?: AppSetting;
  readonly session?: AppSetting;
  /** Per slot, what comes back when the status there ends (an earlier one it replaced). */
  readonly comesBack?: Partial<Record<Slot, AppSetting>>;
  /** Statuses planned ahead, soonest first. */
  readonly planned?: readonly PlannedStatus[];
  /** The app's record could not be read or written: what it set, and until when, is unknown. */
  readonly storeFailure?: StoreFailure;
}

export type PresenceOutcome =
  | {
      readonly kind: 'set';
      readonly state: StateName;
      readonly expiresAt: Date;
      /** True when the user gave no duration and the default applied. */
      readonly usedDefault: boolean;
      readonly statusMessage?: string;
      /** A session state that a higher-precedence presence (a preferred status) hides. */
      readonly shadowedBy?: PresencePair;
      /** What comes back when this status ends: an earlier status of this app's that it replaced. */
      readonly comesBack?: AppSetting;
      /** Set in Graph, but not recorded: `status` will not know its end time. */
      readonly storeFailure?: StoreFailure;
      /** The state is set, but this did not happen (then `statusMessage` is absent, or `shadowedBy` unknown). */
      readonly partial?: readonly PartFailure<SetPart>[];
      /**
       * What shows now. A preferred status outranks everything, so it is what was set (its status message: the one
       * set with it, if any); a session state's is the read-back. Absent when the read-back failed.
       */
      readonly now?: PresenceSnapshot;
    }
  | {
      readonly kind: 'cleared';
      readonly target: ClearTarget;
      readonly sessionExisted: boolean;
      readonly storeFailure?: StoreFailure;
      /** What was not cleared; the rest was, and is recorded so. */
      readonly partial?: readonly PartFailure<ClearPart>[];
      /** What Teams shows now (read after the clears); absent when that read failed. */
      readonly now?: PresenceSnapshot;
    }
  | ({ readonly kind: 'read' } & PresenceSnapshot)
  | { readonly kind: 'forgotten'; readonly records: number }
  /** What is planned, soonest first; `added`: the one this request planned. */
  | { readonly kind: 'planned'; readonly planned: readonly PlannedStatus[]; readonly added?: PlannedStatus }
  /** `cancelled`: the plan cancelled, absent when there was none to cancel; `planned`: what is left. */
  | { readonly kind: 'unplanned'; readonly cancelled?: PlannedStatus; readonly planned: readonly PlannedStatus[] }
  /** The reminder setting, as it is now (after the change, when the request made one); null: off. */
  | { readonly kind: 'reminders'; readonly leadMs: number | null };

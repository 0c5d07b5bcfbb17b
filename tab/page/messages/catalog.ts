import type { Language } from '../../../i18n/languages';
import type { StateName } from '../../../presence/model';
import type { ClearPart, SetPart } from '../../../presence/service';
import type { ApiErrorCode, PresenceSource } from '../../api/contract';

/**
 * The codes the tab's API reports, plus the failures the page itself can meet on the way. `token_expired`
 * is not among them: the page asks Teams for a fresh token and tries once more, and a second refusal is `unauthenticated`.
 */
export type TabErrorCode =
  | Exclude<ApiErrorCode, 'token_expired'>
  /** getAuthToken failed: Teams could not sign the user in to this app. */
  | 'sso_failed'
  /** fetch failed or timed out: no answer from the app's server. */
  | 'network';

/** A choice in the duration picker. */
export type DurationChoice = 'm30' | 'h1' | 'h2' | 'today' | 'week' | 'custom' | 'until';

export interface CountdownParts {
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/**
 * Every sentence the tab shows or announces, in one catalog per language (tab/page/messages/<language>.ts),
 * like the bot's. Code elsewhere picks an entry and passes values; it never builds a sentence itself. Dates
 * and times are formatted with Intl in the user's locale and passed in.
 */
export interface TabMessages {
  /** BCP 47 tag of this catalog's language: the page's `lang`. */
  readonly lang: Language;
  readonly documentTitle: string;
  readonly heading: string;
  readonly loading: string;
  readonly unavailable: string;
  readonly stateLabel: Readonly<Record<StateName, string>>;
  readonly availabilityLabel: (availability: string, activity: string) => string;
  readonly sourceLabel: Readonly<Record<PresenceSource, string>>;
  readonly ends: (when: string) => string;
  readonly countdown: (left: CountdownParts) => string;
  readonly noEnd: string;
  readonly alsoSet: (state: string, when: string) => string;
  /** Under the status now: the earlier status of this app's that comes back when it ends, and until when. */
  readonly comesBack: (state: string, when: string) => string;
  readonly statusMessage: (message: string) => string;
  readonly changeHeading: string;
  readonly durationLegend: string;
  readonly durationChoice: Readonly<Record<DurationChoice, string>>;
  readonly customHours: string;
  readonly customMinutes: string;
  readonly untilLabel: string;
  readonly messageLabel: string;
  readonly messageHint: (max: number) => string;
  readonly preferredHeading: string;
  readonly sessionHeading: string;
  readonly sessionHint: (min: string, max: string) => string;
  readonly reset: string;
  readonly resetHint: string;
  readonly reminderLabel: string;
  readonly reminderHint: string;
  readonly reminderOff: string;
  /** A choice of the reminder select: `lead` is "5 minutes". */
  readonly reminderLead: (lead: string, isDefault: boolean) => string;
  readonly working: string;
  readonly plansHeading: string;
  readonly noPlans: string;
  /** A planned status in the list: `from` and `to` are formatted times. */
  readonly planItem: (state: string, from: string, to: string) => string;
  readonly cancelPlan: string;
  /** The Cancel button's accessible name: `item` is planItem's text. */
  readonly cancelPlanLabel: (item: string) => string;
  readonly planHeading: string;
  readonly planHint: (max: string) => string;
  readonly planStateLabel: string;
  readonly planStartLabel: string;
  readonly planEndLabel: string;
  readonly planMessageLabel: string;
  readonly planButton: string;
  readonly announce: {
    readonly set: (state: string, when: string, message?: string) => string;
    readonly shadowed: (state: string, shown: string) => string;
    readonly reset: string;
    /** A reset that cleared some of what it should, not all (`partial` says what not). */
    readonly resetPartly: string;
    readonly changed: (label: string) => string;
    /** What did not happen: clauses from `notDone`, joined by `list`. */
    readonly partial: (notDone: string) => string;
    /** The change is made in Teams, but this app could not record it. */
    readonly notRecorded: string;
    /** The reminder setting after a change: `lead` is "5 minutes". */
    readonly reminders: (lead: string) => string;
    readonly remindersOff: string;
    readonly planned: (state: string, from: string, to: string) => string;
    readonly planCancelled: (state: string, from: string, to: string) => string;
    /** A cancel that found nothing to cancel: the plan started or was cancelled elsewhere meanwhile. */
    readonly notPlanned: string;
  };
  readonly notDone: { readonly set: Readonly<Record<SetPart, string>>; readonly cleared: Readonly<Record<ClearPart, string>> };
  readonly list: (items: readonly string[]) => string;
  readonly invalid: {
    readonly customDuration: string;
    readonly until: string;
    readonly outOfRange: (state: string, min: string, max: string) => string;
    readonly messageTooLong: (max: number) => string;
    readonly planStart: (max: string) => string;
    readonly planEnd: string;
    readonly planOutOfRange: (state: string, min: string, max: string) => string;
    readonly tooManyPlans: string;
  };
  readonly errors: Readonly<Record<TabErrorCode, (info: { readonly retryAfterSeconds?: number }) => string>>;
  readonly correlation: (id: string) => string;
  readonly retry: string;
  readonly consentButton: string;
  readonly notInTeams: string;
  readonly durations: { readonly minutes: (n: number) => string; readonly hours: (n: number) => string; readonly days: (n: number) => string };
  readonly authStart: { readonly title: string; readonly redirecting: string; readonly invalid: string };
  readonly authEnd: { readonly title: string; readonly done: string; readonly failed: string; readonly standalone: string };
}

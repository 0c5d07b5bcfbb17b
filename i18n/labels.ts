import type { StateName } from '../presence/model';
import type { Language } from './languages';

/** The availability/activity pairs Graph reports that have a label of their own. */
export type AvailabilityKey =
  | 'Available/Available'
  | 'Available/AvailableInactive'
  | 'AvailableIdle/Available'
  | 'Busy/Busy'
  | 'Busy/InACall'
  | 'Busy/InAConferenceCall'
  | 'Busy/InAMeeting'
  | 'BusyIdle/Busy'
  | 'DoNotDisturb/DoNotDisturb'
  | 'DoNotDisturb/Presenting'
  | 'DoNotDisturb/UrgentInterruptionsOnly'
  | 'BeRightBack/BeRightBack'
  | 'Away/Away'
  | 'Away/OutOfOffice'
  | 'Offline/OffWork'
  | 'Offline/Offline'
  | 'Offline/OutOfOffice';

/**
 * What the bot and the tab both say, in one catalog per language: the names of states and of what people
 * see, and durations. The words Teams itself shows in that language come first.
 */
export interface Labels {
  readonly language: Language;
  readonly stateLabel: Readonly<Record<StateName, string>>;
  readonly availability: Readonly<Record<AvailabilityKey, string>>;
  /** Graph's PresenceUnknown. */
  readonly unknownAvailability: string;
  readonly durations: { readonly minutes: (n: number) => string; readonly hours: (n: number) => string; readonly days: (n: number) => string };
  /** "a, b and c" in the language (Intl.ListFormat). */
  readonly list: (items: readonly string[]) => string;
}

/** What people see for Graph's pair; an unlisted availability is shown as Graph names it. */
export function availabilityLabel(labels: Labels, availability: string, activity: string): string {
  const label = (labels.availability as Readonly<Record<string, string>>)[`${availability}/${activity}`];
  return label ?? (availability === 'PresenceUnknown' ? labels.unknownAvailability : availability);
}

const listFormats = new Map<string, Intl.ListFormat>();

/** Intl.ListFormat for the language, built once. */
export function listIn(language: string, items: readonly string[]): string {
  let format = listFormats.get(language);
  if (!format) {
    format = new Intl.ListFormat(language, { type: 'conjunction' });
    listFormats.set(language, format);
  }
  return format.format(items);
}

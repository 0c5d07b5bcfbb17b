import { ERROR_CODES, PresenceError } from '../../presence/errors';
import type { AppSetting } from '../../presence/ledger';
import type { ClearPart, PartFailure, PresenceOutcome, SetPart } from '../../presence/service';
import type { AppSettingView, ClearedView, PartFailureView, PresenceView, RemindersView, SetView } from './contract';

const MINUTE = 60_000;

type Outcome<K extends PresenceOutcome['kind']> = Extract<PresenceOutcome, { kind: K }>;

function expect<K extends PresenceOutcome['kind']>(outcome: PresenceOutcome, kind: K): Outcome<K> {
  if (outcome.kind !== kind) throw new PresenceError('internal', { detail: `expected a ${kind} outcome, got ${outcome.kind}` });
  return outcome as Outcome<K>;
}

function settingView(setting?: AppSetting): AppSettingView | undefined {
  return setting && { state: setting.state, expiresAt: setting.expiresAt.toISOString(), statusMessage: setting.statusMessage };
}

/** A part's failure as the API reports errors: `sso_required` is `unauthenticated`, a correlation ID only for unexpected failures. */
function partialView<P extends SetPart | ClearPart>(partial?: readonly PartFailure<P>[]): PartFailureView<P>[] | undefined {
  return partial?.map(({ part, code, correlationId }) => ({
    part,
    code: code === 'sso_required' ? 'unauthenticated' : code,
    ...(ERROR_CODES[code].expected ? {} : { correlationId }),
  }));
}

/** The service's outcomes as the API's JSON bodies (contract.ts). */
export const views = {
  read: (outcome: PresenceOutcome): PresenceView => {
    const { presence, preferred, session, storeFailure } = expect(outcome, 'read');
    return {
      presence: { availability: presence.availability, activity: presence.activity, source: presence.source, statusMessage: presence.statusMessage },
      preferred: settingView(preferred),
      session: settingView(session),
      storeFailure,
    };
  },
  set: (outcome: PresenceOutcome): SetView => {
    const { state, expiresAt, usedDefault, statusMessage, shadowedBy, storeFailure, partial } = expect(outcome, 'set');
    return {
      set: {
        state,
        expiresAt: expiresAt.toISOString(),
        usedDefault,
        statusMessage,
        shadowedBy: shadowedBy && { availability: shadowedBy.availability, activity: shadowedBy.activity },
        storeFailure,
        partial: partialView(partial),
      },
    };
  },
  cleared: (outcome: PresenceOutcome): ClearedView => {
    const { sessionExisted, storeFailure, partial } = expect(outcome, 'cleared');
    return { cleared: { sessionExisted, storeFailure, partial: partialView(partial) } };
  },
  reminders: (outcome: PresenceOutcome): RemindersView => {
    const { leadMs } = expect(outcome, 'reminders');
    return { leadMinutes: leadMs === null ? null : leadMs / MINUTE };
  },
};

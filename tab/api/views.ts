import { ERROR_CODES, PresenceError } from '../../presence/errors';
import type { AppSetting, PlannedStatus } from '../../presence/ledger';
import type { PresenceSnapshot } from '../../presence/outcome';
import type { ClearPart, PartFailure, PresenceOutcome, SetPart } from '../../presence/service';
import type {
  AppSettingView,
  ClearedView,
  PartFailureView,
  PlanAddedView,
  PlanCancelledView,
  PlanView,
  PlansView,
  PresenceView,
  RemindersView,
  SetView,
} from './contract';

const MINUTE = 60_000;

type Outcome<K extends PresenceOutcome['kind']> = Extract<PresenceOutcome, { kind: K }>;

function expect<K extends PresenceOutcome['kind']>(outcome: PresenceOutcome, kind: K): Outcome<K> {
  if (outcome.kind !== kind) throw new PresenceError('internal', { detail: `expected a ${kind} outcome, got ${outcome.kind}` });
  return outcome as Outcome<K>;
}

function settingView(setting?: AppSetting): AppSettingView | undefined {
  return setting && { state: setting.state, expiresAt: setting.expiresAt.toISOString(), statusMessage: setting.statusMessage };
}

function planView(plan: PlannedStatus): PlanView {
  return { id: plan.id, state: plan.state, startAt: plan.startAt.toISOString(), endAt: plan.endAt.toISOString(), statusMessage: plan.statusMessage };
}

/** A part's failure as the API reports errors: `sso_required` is `unauthenticated`, a correlation ID only for unexpected failures. */
function partialView<P extends SetPart | ClearPart>(partial?: readonly PartFailure<P>[]): PartFailureView<P>[] | undefined {
  return partial?.map(({ part, code, correlationId }) => ({
    part,
    code: code === 'sso_required' ? 'unauthenticated' : code,
    ...(ERROR_CODES[code].expected ? {} : { correlationId }),
  }));
}

/** What shows and what this app has set, as GET answers it (and POST and DELETE with what they changed). */
function snapshotView({ presence, preferred, session, comesBack, planned, storeFailure }: PresenceSnapshot): PresenceView {
  return {
    presence: { availability: presence.availability, activity: presence.activity, source: presence.source, statusMessage: presence.statusMessage },
    preferred: settingView(preferred),
    session: settingView(session),
    comesBack: comesBack && { preferred: settingView(comesBack.preferred), session: settingView(comesBack.session) },
    planned: planned?.map(planView),
    storeFailure,
  };
}

/** The service's outcomes as the API's JSON bodies (contract.ts). */
export const views = {
  read: (outcome: PresenceOutcome): PresenceView => snapshotView(expect(outcome, 'read')),
  set: (outcome: PresenceOutcome): SetView => {
    const { state, expiresAt, usedDefault, statusMessage, shadowedBy, comesBack, storeFailure, partial, now } = expect(outcome, 'set');
    return {
      set: {
        state,
        expiresAt: expiresAt.toISOString(),
        usedDefault,
        statusMessage,
        shadowedBy: shadowedBy && { availability: shadowedBy.availability, activity: shadowedBy.activity },
        comesBack: settingView(comesBack),
        storeFailure,
        partial: partialView(partial),
      },
      ...(now ? snapshotView(now) : {}),
    };
  },
  cleared: (outcome: PresenceOutcome): ClearedView => {
    const { sessionExisted, storeFailure, partial, now } = expect(outcome, 'cleared');
    return { cleared: { sessionExisted, storeFailure, partial: partialView(partial) }, ...(now ? snapshotView(now) : {}) };
  },
  reminders: (outcome: PresenceOutcome): RemindersView => {
    const { leadMs } = expect(outcome, 'reminders');
    return { leadMinutes: leadMs === null ? null : leadMs / MINUTE };
  },
  plans: (outcome: PresenceOutcome): PlansView => ({ planned: expect(outcome, 'planned').planned.map(planView) }),
  planAdded: (outcome: PresenceOutcome): PlanAddedView => {
    const { planned, added } = expect(outcome, 'planned');
    if (!added) throw new PresenceError('internal', { detail: 'a plan request answered without the plan it added' });
    return { planned: planned.map(planView), added: planView(added) };
  },
  planCancelled: (outcome: PresenceOutcome): PlanCancelledView => {
    const { planned, cancelled } = expect(outcome, 'unplanned');
    return { planned: planned.map(planView), cancelled: cancelled && planView(cancelled) };
  },
};

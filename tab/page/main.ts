import { app, authentication } from '@microsoft/teams-js';
import { PRODUCT_RULES, SCHEDULE_AHEAD_MAX_MS, STATES, durationLimits, type StateName } from '../../presence/model';
import type { ClearPart, SetPart } from '../../presence/service';
import type { PartFailureView, SetPresenceBody, StoreFailureView } from '../api/contract';
import { TabError, createApi, type Plan, type PlansResult, type ReadResult } from './api';
import { authStartUrl, consentTargetOf } from './consent';
import { formatEnd, formatSpan } from './format';
import { dateLocale } from '../../i18n/languages';
import { messagesFor, type TabErrorCode } from './messages';
import { PlansSection } from './plans-view';
import { applyTheme } from './theme';
import { planTimesFor, timingFor, withinLimits } from './timing';
import { TabView } from './view';

const REFRESH_MS = 60_000;
/** A planned status' timer runs within seconds of its start: the page asks what shows then, once. */
const PLAN_STARTED_MS = 5_000;
/** What the API reports beside a change that was made (contract.ts): parts that failed, a record not written. */
interface Reported<P extends SetPart | ClearPart> {
  readonly partial?: readonly PartFailureView<P>[];
  readonly storeFailure?: StoreFailureView;
}

/** A change made: the sentence to announce, and what did not happen, with references, for the alert. */
interface Done {
  readonly text: string;
  readonly warning?: string;
  readonly correlationId?: string;
  /** What the change left showing, from its answer: shown as is, without another GET (none: the page reads again). */
  readonly shows?: ReadResult;
}

const RETRIABLE: ReadonlySet<TabErrorCode> = new Set([
  'unauthenticated',
  'throttled',
  'graph_unavailable',
  'identity_unavailable',
  'internal',
  'sso_failed',
  'network',
]);

/**
 * The personal tab: initializes teams-js, shows the user's presence and sets it through the tab's
 * API with a fresh Teams SSO token per request. The token is never stored and no user ID is ever
 * sent: the server takes the user from the token.
 */
function start(): void {
  performance.mark('tab-script');
  const hints = new URLSearchParams(window.location.search);
  applyTheme(hints.get('theme'));
  const hinted = hints.get('locale') || navigator.language || 'en-US';
  // The page is drawn once it knows the user's language: Teams' context says it (the URL's hint may be stale).
  app
    .initialize()
    .then(() => {
      performance.mark('tab-initialized');
      return app.getContext();
    })
    .then(
      (context) => show(context.app.locale || hinted, context),
      () => show(hinted, undefined),
    );
}

/** The page in the user's language; outside Teams (no context), only the sentence that says to open it there. */
function show(requested: string, context: app.Context | undefined): void {
  const m = messagesFor(requested);
  const locale = dateLocale(requested, m.lang);
  const html = document.documentElement;
  html.lang = m.lang;
  document.title = m.documentTitle;

  const view = new TabView(m);
  view.setLocale(locale);
  view.mount(document.body);
  const plans = new PlansSection(m, (plan) => void cancelPlan(plan));
  view.root.append(plans.root);
  plans.setDefaults(new Date());

  const api = createApi({ token: () => authentication.getAuthToken() });
  let ready = false;
  let busy = false;
  let refreshing = false;
  let last: ReadResult | undefined;
  let endedAt: number | undefined;
  /** The alert on show came from a refresh (not from an action): the next good refresh takes it away. */
  let refreshFailed = false;
  const loginHint = context?.user?.loginHint ?? context?.user?.userPrincipalName;

  const labelOf = (v: ReadResult) => m.availabilityLabel(v.presence.availability, v.presence.activity);

  async function refresh(announceChange: boolean): Promise<void> {
    if (!ready || refreshing) return;
    refreshing = true;
    try {
      const version = plansVersion;
      const next = await api.read();
      if (!last) performance.mark('tab-presence');
      const before = last ? labelOf(last) : undefined;
      show(next, version);
      if (refreshFailed) {
        refreshFailed = false;
        view.clearError();
      }
      if (announceChange && before !== undefined && before !== labelOf(next)) view.announce(m.announce.changed(labelOf(next)));
    } catch (err) {
      if (!last) view.showUnavailable();
      refreshFailed = true;
      fail(err, () => refresh(false));
    } finally {
      refreshing = false;
    }
  }

  /** Shows a view read when the plans were at `version`: a plan or cancel answered since is newer than what it saw. */
  function show(next: ReadResult, version: number): void {
    last = next;
    view.showPresence(next, new Date());
    if (next.planned && version === plansVersion) showPlans(next.planned);
  }

  function fail(err: unknown, retry: () => Promise<void>): void {
    const e = err instanceof TabError ? err : new TabError('internal');
    const text = m.errors[e.code](e.info);
    if (e.code === 'consent_required') view.showError(text, { consent: () => void consent(retry) });
    else view.showError(text, { retry: RETRIABLE.has(e.code) ? () => void retry() : undefined, correlationId: e.info.correlationId });
  }

  /** Opens the consent page through Teams, then tries again once its window has closed, however it closed. */
  async function consent(retry: () => Promise<void>): Promise<void> {
    try {
      const target = consentTargetOf(await authentication.getAuthToken(), loginHint);
      if (!target) {
        view.showError(m.errors.sso_failed({}), { retry: () => void consent(retry) });
        return;
      }
      await authentication.authenticate({ url: authStartUrl(target, window.location.href, m.lang), width: 600, height: 535 });
    } catch {
      // Closed or declined: the retry shows whether the permission is there now.
    }
    view.clearError();
    await retry();
  }

  function done<P extends SetPart | ClearPart>(text: string, reported: Reported<P>, notDone: Readonly<Record<P, string>>): Done {
    const { partial = [], storeFailure } = reported;
    const warnings = [
      ...(partial.length ? [m.announce.partial(m.list(partial.map((p) => notDone[p.part])))] : []),
      ...(storeFailure ? [m.announce.notRecorded] : []),
    ];
    const references = [...partial.flatMap((p) => (p.correlationId ? [p.correlationId] : [])), ...(storeFailure ? [storeFailure.correlationId] : [])];
    return { text, ...(warnings.length ? { warning: warnings.join(' ') } : {}), ...(references.length ? { correlationId: m.list(references) } : {}) };
  }

  async function run(action: () => Promise<Done>, again: () => Promise<void>): Promise<void> {
    busy = true;
    refreshFailed = false;
    view.setWorking(true);
    view.clearMessages();
    try {
      const version = plansVersion;
      const result = await action();
      view.announce(result.text);
      if (result.warning) view.warn(result.warning, result.correlationId);
      // The answer says what shows now: one request per click. Without it (a read-back failed), read again.
      if (result.shows) show(result.shows, version);
      else await refresh(false);
    } catch (err) {
      fail(err, again);
    } finally {
      busy = false;
      view.setWorking(false);
    }
  }

  function send(body: SetPresenceBody): Promise<void> {
    return run(
      async () => {
        const set = await api.set(body);
        const label = m.stateLabel[set.state];
        const text = set.shadowedBy
          ? m.announce.shadowed(label, m.availabilityLabel(set.shadowedBy.availability, set.shadowedBy.activity))
          : m.announce.set(label, formatEnd(set.expiresAt, new Date(), locale), set.statusMessage);
        const back = set.comesBack && m.comesBack(m.stateLabel[set.comesBack.state], formatEnd(set.comesBack.expiresAt, new Date(), locale));
        return { ...done(back ? `${text} ${back}` : text, set, m.notDone.set), ...(set.shows ? { shows: set.shows } : {}) };
      },
      () => send(body),
    );
  }

  function reset(): Promise<void> {
    return run(async () => {
      const cleared = await api.reset();
      return {
        ...done(cleared.partial?.length ? m.announce.resetPartly : m.announce.reset, cleared, m.notDone.cleared),
        ...(cleared.shows ? { shows: cleared.shows } : {}),
      };
    }, reset);
  }

  function setState(state: StateName): void {
    const now = new Date();
    const timing = timingFor(view.durationChoice(), view.timingInput(), now, locale);
    if (!timing.ok) {
      view.showError(timing.problem === 'until' ? m.invalid.until : m.invalid.customDuration);
      return;
    }
    if (!withinLimits(state, timing.endsAt.getTime() - now.getTime())) {
      const { minMs, maxMs } = PRODUCT_RULES[STATES[state].kind];
      view.showError(m.invalid.outOfRange(m.stateLabel[state], formatSpan(minMs, m), formatSpan(maxMs, m)));
      return;
    }
    const message = view.messageInput.value.trim();
    if (message.length > PRODUCT_RULES.statusMessageMaxLength) {
      view.showError(m.invalid.messageTooLong(PRODUCT_RULES.statusMessageMaxLength));
      return;
    }
    const when = 'durationMinutes' in timing.timing ? { durationMinutes: timing.timing.durationMinutes } : { until: timing.timing.until.toISOString() };
    void send({ state, ...when, ...(message ? { statusMessage: message } : {}) });
  }

  /** The reminder setting as the server last said; undefined until read. Changes are counted so only the latest answer shows. */
  let reminderLead: number | null | undefined;
  let reminderChanges = 0;

  async function loadReminders(): Promise<void> {
    try {
      reminderLead = await api.reminders();
      view.showReminders(reminderLead);
    } catch {
      // An extra beside the presence controls: without it the row stays hidden and the rest works as before.
    }
  }

  async function changeReminders(lead: number | null): Promise<void> {
    const change = ++reminderChanges;
    view.clearMessages();
    view.setRemindersWorking(true);
    try {
      const now = await api.setReminders(lead);
      if (change !== reminderChanges) return;
      reminderLead = now;
      view.showReminders(now);
      view.announce(now === null ? m.announce.remindersOff : m.announce.reminders(m.durations.minutes(now)));
    } catch (err) {
      if (change !== reminderChanges) return;
      // Not changed: the select goes back to what is set.
      if (reminderLead !== undefined) view.showReminders(reminderLead);
      fail(err, () => changeReminders(lead));
    } finally {
      if (change === reminderChanges) view.setRemindersWorking(false);
    }
  }

  /** What the list shows. `plansVersion` counts the plans and cancels answered, so a read that was on its way meanwhile does not undo one. */
  let planned: readonly Plan[] = [];
  let plansVersion = 0;
  /** The plan whose start the page last refreshed for. */
  let startedPlan: string | undefined;

  function showPlans(next: readonly Plan[]): void {
    planned = next;
    plans.showPlans(next, new Date(), locale);
  }

  const span = (plan: Plan) => [m.stateLabel[plan.state], formatEnd(plan.startAt, new Date(), locale), formatEnd(plan.endAt, new Date(), locale)] as const;

  /** Plans or cancels; the list then shows what the answer says is planned (no read needed). */
  async function changePlans<R extends PlansResult>(action: () => Promise<R>, said: (result: R) => string, again: () => Promise<void>): Promise<void> {
    plans.setWorking(true);
    view.clearMessages();
    try {
      const result = await action();
      plansVersion++;
      showPlans(result.planned);
      view.announce(said(result));
    } catch (err) {
      const field = err instanceof TabError && err.code === 'invalid_request' ? err.info.field : undefined;
      if (field === 'planned') view.showError(m.invalid.tooManyPlans);
      else if (field === 'startAt') view.showError(m.invalid.planStart(formatSpan(SCHEDULE_AHEAD_MAX_MS, m)));
      else fail(err, again);
    } finally {
      plans.setWorking(false);
    }
  }

  function planStatus(): void {
    const { state, startLocal, endLocal, message } = plans.formInput();
    const times = planTimesFor(state, startLocal, endLocal, new Date());
    if (!times.ok) {
      const { minMs, maxMs } = durationLimits(state);
      if (times.problem === 'start') view.showError(m.invalid.planStart(formatSpan(SCHEDULE_AHEAD_MAX_MS, m)));
      else if (times.problem === 'end') view.showError(m.invalid.planEnd);
      else view.showError(m.invalid.planOutOfRange(m.stateLabel[state], formatSpan(minMs, m), formatSpan(maxMs, m)));
      return;
    }
    const text = message.trim();
    if (text.length > PRODUCT_RULES.statusMessageMaxLength) {
      view.showError(m.invalid.messageTooLong(PRODUCT_RULES.statusMessageMaxLength));
      return;
    }
    const body = { state, startAt: times.startAt.toISOString(), endAt: times.endAt.toISOString(), ...(text ? { statusMessage: text } : {}) };
    const send = () =>
      changePlans(
        () => api.plan(body),
        (result) => m.announce.planned(...span(result.changed)),
        send,
      );
    void send();
  }

  function cancelPlan(plan: Plan): Promise<void> {
    return changePlans(
      () => api.cancelPlan(plan.id),
      (result) => (result.changed ? m.announce.planCancelled(...span(result.changed)) : m.announce.notPlanned),
      () => cancelPlan(plan),
    );
  }

  const usable = () => ready && !busy;
  for (const [state, button] of view.stateButtons) {
    button.addEventListener('click', () => {
      if (usable()) setState(state);
    });
  }
  view.resetButton.addEventListener('click', () => {
    if (usable()) void reset();
  });
  view.reminderSelect.addEventListener('change', () => {
    if (ready) void changeReminders(view.reminderChoice());
  });
  plans.planButton.addEventListener('click', () => {
    if (plans.usable()) planStatus();
  });

  window.setInterval(() => {
    const now = new Date();
    if (view.tick(now)) {
      // Ended: ask once what shows now.
      const end = last?.preferred?.expiresAt.getTime() ?? last?.session?.expiresAt.getTime();
      if (end !== endedAt) {
        endedAt = end;
        void refresh(true);
      }
    }
    // A planned status has started by now: the read shows it, and the list without it.
    const next = planned[0];
    if (next && next.id !== startedPlan && now.getTime() >= next.startAt.getTime() + PLAN_STARTED_MS) {
      startedPlan = next.id;
      void refresh(true);
    }
  }, 1000);
  window.setInterval(() => {
    if (!busy && document.visibilityState === 'visible') void refresh(true);
  }, REFRESH_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !busy) void refresh(true);
  });

  if (!context) return view.showNotInTeams();
  applyTheme(context.app.theme);
  app.registerOnThemeChangeHandler((theme) => {
    applyTheme(theme);
  });
  ready = true;
  view.setReady(true);
  plans.setReady(true);
  performance.mark('tab-usable');
  void app.notifySuccess().catch(() => undefined);
  // After the presence: the first thing the user sees comes first.
  void refresh(false).then(loadReminders);
}

start();

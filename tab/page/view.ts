import { PRODUCT_RULES, STATES, STATE_NAMES, type StateName } from '../../presence/model';
import { DEFAULT_REMINDER_LEAD_MS } from '../../presence/model';
import type { ReadResult } from './api';
import { el, setText, show } from './dom';
import { countdownParts, formatEnd, formatSpan } from './format';
import { badge, badgeKindOf, checkMark } from './icons';
import type { DurationChoice, TabMessages } from './messages';
import { toLocalDateTimeValue, type TimingInput } from './timing';

const DURATION_CHOICES: readonly DurationChoice[] = ['m30', 'h1', 'h2', 'today', 'week', 'custom', 'until'];
const DEFAULT_DURATION: DurationChoice = 'h1';
/** The reminder leads offered, in minutes; one set in chat ("remind 7m") is added while it is the setting. */
const REMINDER_CHOICES: readonly number[] = [5, 10, 15, 30];
const DEFAULT_REMINDER = DEFAULT_REMINDER_LEAD_MS / 60_000;
const REMINDERS_OFF = 'off';

export interface ErrorOptions {
  readonly consent?: () => void;
  readonly retry?: () => void;
  readonly correlationId?: string;
}

/**
 * The page's DOM, built once from the catalog: the status card, the message bars (a polite live
 * region for what changed, an alert for what failed) and the controls. It renders; main.ts decides.
 */
export class TabView {
  readonly root: HTMLElement;
  readonly stateButtons = new Map<StateName, HTMLButtonElement>();
  readonly resetButton: HTMLButtonElement;
  readonly messageInput: HTMLInputElement;
  readonly reminderSelect: HTMLSelectElement;
  private readonly reminderRow: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly nowCard: HTMLElement;
  private readonly nowBadge: HTMLElement;
  private readonly nowLabel: HTMLElement;
  private readonly nowSource: HTMLElement;
  private readonly nowEnds: HTMLElement;
  private readonly endsAt: HTMLElement;
  private readonly countdown: HTMLElement;
  private readonly nowMessage: HTMLElement;
  private readonly nowBack: HTMLElement;
  private readonly nowAlso: HTMLElement;
  private readonly statusBar: HTMLElement;
  private readonly alertBar: HTMLElement;
  private readonly alertText: HTMLElement;
  private readonly alertDetail: HTMLElement;
  private readonly alertActions: HTMLElement;
  private readonly consentButton: HTMLButtonElement;
  private readonly retryButton: HTMLButtonElement;
  private readonly changeSection: HTMLElement;
  private readonly customFields: HTMLElement;
  private readonly untilFields: HTMLElement;
  private readonly hoursInput: HTMLInputElement;
  private readonly minutesInput: HTMLInputElement;
  private readonly untilInput: HTMLInputElement;
  private readonly radios = new Map<DurationChoice, HTMLInputElement>();
  private consentHandler?: () => void;
  private retryHandler?: () => void;
  private shownEnd?: Date;
  private locale = 'en-US';

  constructor(private readonly m: TabMessages) {
    this.heading = el('h1', { id: 'now-heading', class: 'card-title', tabindex: '-1' }, m.heading);
    this.nowBadge = el('span', { class: 'now-badge' }, badge('unknown', 24));
    this.nowLabel = el('p', { class: 'now-label', id: 'now-label' }, m.loading);
    this.nowSource = el('p', { class: 'now-source', hidden: true });
    this.endsAt = el('span', { class: 'ends-at' });
    this.countdown = el('span', { class: 'countdown' });
    this.nowEnds = el('p', { class: 'now-ends', hidden: true }, this.endsAt, ' ', this.countdown);
    this.nowMessage = el('p', { class: 'now-message', hidden: true });
    this.nowBack = el('p', { class: 'now-back', hidden: true });
    this.nowAlso = el('p', { class: 'now-also', hidden: true });
    this.nowCard = el(
      'section',
      { class: 'card now', 'aria-labelledby': 'now-heading', 'aria-busy': 'true' },
      this.heading,
      el(
        'div',
        { class: 'now-row' },
        this.nowBadge,
        el('div', { class: 'now-text' }, this.nowLabel, this.nowSource, this.nowEnds, this.nowMessage, this.nowBack, this.nowAlso),
      ),
    );

    this.statusBar = el('div', { class: 'bar bar-success', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-empty': 'true' });
    this.alertText = el('p', { class: 'alert-text' });
    this.alertDetail = el('p', { class: 'alert-detail', hidden: true });
    this.consentButton = el('button', { type: 'button', class: 'btn btn-primary', hidden: true }, m.consentButton);
    this.retryButton = el('button', { type: 'button', class: 'btn', hidden: true }, m.retry);
    this.alertActions = el('div', { class: 'bar-actions', hidden: true }, this.consentButton, this.retryButton);
    this.alertBar = el(
      'div',
      { class: 'bar bar-error', 'data-empty': 'true' },
      el('div', { role: 'alert', 'aria-atomic': 'true', class: 'alert-live' }, this.alertText, this.alertDetail),
      this.alertActions,
    );
    this.consentButton.addEventListener('click', () => this.consentHandler?.());
    this.retryButton.addEventListener('click', () => this.retryHandler?.());

    // Duration picker: native radios (arrow keys move between them), styled as Fluent pills.
    const chips = el('div', { class: 'chips' });
    for (const choice of DURATION_CHOICES) {
      const input = el('input', { type: 'radio', name: 'duration', value: choice, id: `duration-${choice}`, checked: choice === DEFAULT_DURATION });
      this.radios.set(choice, input);
      chips.append(el('label', { class: 'chip', for: `duration-${choice}` }, input, el('span', {}, m.durationChoice[choice])));
      input.addEventListener('change', () => this.syncDurationFields());
    }
    this.hoursInput = el('input', {
      type: 'number',
      id: 'custom-hours',
      class: 'input input-short',
      inputmode: 'numeric',
      min: '0',
      max: '168',
      step: '1',
      value: '1',
    });
    this.minutesInput = el('input', {
      type: 'number',
      id: 'custom-minutes',
      class: 'input input-short',
      inputmode: 'numeric',
      min: '0',
      max: '59',
      step: '1',
      value: '0',
    });
    this.customFields = el(
      'div',
      { class: 'subfields', hidden: true },
      el('div', { class: 'field field-inline' }, el('label', { for: 'custom-hours' }, m.customHours), this.hoursInput),
      el('div', { class: 'field field-inline' }, el('label', { for: 'custom-minutes' }, m.customMinutes), this.minutesInput),
    );
    this.untilInput = el('input', { type: 'datetime-local', id: 'until', class: 'input' });
    this.untilFields = el(
      'div',
      { class: 'subfields', hidden: true },
      el('div', { class: 'field field-inline' }, el('label', { for: 'until' }, m.untilLabel), this.untilInput),
    );
    const durations = el('fieldset', { class: 'durations' }, el('legend', {}, m.durationLegend), chips, this.customFields, this.untilFields);

    this.messageInput = el('input', {
      type: 'text',
      id: 'status-message',
      class: 'input input-wide',
      maxlength: String(PRODUCT_RULES.statusMessageMaxLength),
      autocomplete: 'off',
      'aria-describedby': 'status-message-hint',
    });
    const message = el(
      'div',
      { class: 'field' },
      el('label', { for: 'status-message' }, m.messageLabel),
      this.messageInput,
      el('p', { class: 'hint', id: 'status-message-hint' }, m.messageHint(PRODUCT_RULES.statusMessageMaxLength)),
    );

    const group = (kind: 'preferred' | 'session', title: string, hint?: string) => {
      const grid = el('div', { class: 'states' });
      for (const name of STATE_NAMES.filter((n) => STATES[n].kind === kind)) {
        const def = STATES[name];
        const button = el(
          'button',
          { type: 'button', class: 'state', 'data-state': name, 'aria-disabled': 'true' },
          badge(badgeKindOf(def.availability, def.activity), 16),
          el('span', { class: 'state-label' }, this.m.stateLabel[name]),
          checkMark(),
        );
        this.stateButtons.set(name, button);
        grid.append(button);
      }
      const id = `${kind}-heading`;
      return el(
        'div',
        { class: 'group', role: 'group', 'aria-labelledby': id, ...(hint ? { 'aria-describedby': `${kind}-hint` } : {}) },
        el('h3', { id }, title),
        hint ? el('p', { class: 'hint', id: `${kind}-hint` }, hint) : null,
        grid,
      );
    };
    const session = PRODUCT_RULES.session;
    this.resetButton = el('button', { type: 'button', class: 'btn reset', 'aria-describedby': 'reset-hint', 'aria-disabled': 'true' }, m.reset);
    this.changeSection = el(
      'section',
      { class: 'card change', 'aria-labelledby': 'change-heading' },
      el('h2', { id: 'change-heading', class: 'card-title' }, m.changeHeading),
      durations,
      message,
      group('preferred', m.preferredHeading),
      group('session', m.sessionHeading, m.sessionHint(formatSpan(session.minMs, m), formatSpan(session.maxMs, m))),
      el('div', { class: 'reset-row' }, this.resetButton, el('p', { class: 'hint', id: 'reset-hint' }, m.resetHint)),
    );
    // Hidden until the setting has been read: a page that cannot read it shows no control that would not work.
    this.reminderSelect = el('select', { id: 'reminder-lead', class: 'input', 'aria-describedby': 'reminder-hint' });
    this.reminderRow = el(
      'div',
      { class: 'field reminder-row', hidden: true },
      el('label', { for: 'reminder-lead' }, m.reminderLabel),
      this.reminderSelect,
      el('p', { class: 'hint', id: 'reminder-hint' }, m.reminderHint),
    );
    this.changeSection.append(this.reminderRow);

    this.root = el('main', { class: 'page' }, this.nowCard, el('div', { class: 'bars' }, this.statusBar, this.alertBar), this.changeSection);
  }

  mount(into: HTMLElement): void {
    into.replaceChildren(this.root);
  }

  setLocale(locale: string): void {
    this.locale = locale;
  }

  /** Controls answer clicks once Teams has initialized; before that they are visible but aria-disabled. */
  setReady(ready: boolean): void {
    for (const button of [...this.stateButtons.values(), this.resetButton]) button.setAttribute('aria-disabled', String(!ready));
    document.documentElement.toggleAttribute('data-ready', ready);
  }

  setWorking(working: boolean): void {
    this.changeSection.setAttribute('aria-busy', String(working));
    for (const button of [...this.stateButtons.values(), this.resetButton]) button.setAttribute('aria-disabled', String(working));
  }

  /** Shows the reminder row with `lead` chosen (minutes; null: off). */
  showReminders(lead: number | null): void {
    const m = this.m;
    const leads = lead === null || REMINDER_CHOICES.includes(lead) ? REMINDER_CHOICES : [...REMINDER_CHOICES, lead].sort((a, b) => a - b);
    const option = (value: string, text: string) => el('option', { value, selected: value === String(lead ?? REMINDERS_OFF) }, text);
    this.reminderSelect.replaceChildren(
      option(REMINDERS_OFF, m.reminderOff),
      ...leads.map((n) => option(String(n), m.reminderLead(m.durations.minutes(n), n === DEFAULT_REMINDER))),
    );
    this.reminderSelect.value = String(lead ?? REMINDERS_OFF);
    show(this.reminderRow, true);
  }

  /** The reminder lead chosen in the select: minutes, or null for off. */
  reminderChoice(): number | null {
    const value = this.reminderSelect.value;
    return value === REMINDERS_OFF ? null : Number(value);
  }

  setRemindersWorking(working: boolean): void {
    this.reminderRow.setAttribute('aria-busy', String(working));
  }

  durationChoice(): DurationChoice {
    for (const [choice, input] of this.radios) if (input.checked) return choice;
    return DEFAULT_DURATION;
  }

  timingInput(): TimingInput {
    return { customHours: this.hoursInput.value, customMinutes: this.minutesInput.value, untilLocal: this.untilInput.value };
  }

  /** The current presence, who set it, when it ends, and what else this app set. */
  showPresence(view: ReadResult, now: Date): void {
    const { presence } = view;
    const m = this.m;
    this.nowCard.setAttribute('aria-busy', 'false');
    this.nowBadge.replaceChildren(badge(badgeKindOf(presence.availability, presence.activity), 24));
    setText(this.nowLabel, m.availabilityLabel(presence.availability, presence.activity));
    setText(this.nowSource, m.sourceLabel[presence.source]);
    show(this.nowSource, true);
    const setting = presence.source === 'preferred' ? view.preferred : presence.source === 'app' ? view.session : undefined;
    this.shownEnd = setting?.expiresAt;
    if (setting) {
      setText(this.endsAt, m.ends(formatEnd(setting.expiresAt, now, this.locale)));
      this.tick(now);
      show(this.countdown, true);
    } else {
      setText(this.endsAt, m.noEnd);
      show(this.countdown, false);
    }
    show(this.nowEnds, true);
    setText(this.nowMessage, presence.statusMessage ? m.statusMessage(presence.statusMessage) : '');
    show(this.nowMessage, !!presence.statusMessage);
    // What comes back when the status shown ends: only for a status this app set, from the same slot.
    const back = presence.source === 'preferred' ? view.comesBack?.preferred : presence.source === 'app' ? view.comesBack?.session : undefined;
    setText(this.nowBack, back ? m.comesBack(m.stateLabel[back.state], formatEnd(back.expiresAt, now, this.locale)) : '');
    show(this.nowBack, !!back);
    const hidden = presence.source !== 'app' ? view.session : undefined;
    setText(this.nowAlso, hidden ? m.alsoSet(m.stateLabel[hidden.state], formatEnd(hidden.expiresAt, now, this.locale)) : '');
    show(this.nowAlso, !!hidden);
    for (const [name, button] of this.stateButtons) {
      const def = STATES[name];
      const current = def.availability === presence.availability && def.activity === presence.activity;
      if (current) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }

  /** Updates the countdown; true when the shown state has ended (time to refresh). */
  tick(now: Date): boolean {
    if (!this.shownEnd) return false;
    const left = this.shownEnd.getTime() - now.getTime();
    setText(this.countdown, this.m.countdown(countdownParts(left)));
    return left <= 0;
  }

  announce(text: string): void {
    this.clearError();
    // Re-setting identical text would not be announced again: clear first, set on the next frame.
    this.statusBar.textContent = '';
    this.statusBar.dataset.empty = 'true';
    window.requestAnimationFrame(() => {
      this.statusBar.textContent = text;
      this.statusBar.dataset.empty = String(text === '');
    });
  }

  showError(text: string, options: ErrorOptions = {}): void {
    this.statusBar.textContent = '';
    this.statusBar.dataset.empty = 'true';
    this.alert(text, options);
  }

  /** What did not happen beside a change that did: an alert under the announcement, which stays. */
  warn(text: string, correlationId?: string): void {
    this.alert(text, { correlationId });
  }

  private alert(text: string, options: ErrorOptions): void {
    this.alertBar.dataset.empty = 'false';
    setText(this.alertText, text);
    setText(this.alertDetail, options.correlationId ? this.m.correlation(options.correlationId) : '');
    show(this.alertDetail, !!options.correlationId);
    this.consentHandler = options.consent;
    this.retryHandler = options.retry;
    show(this.consentButton, !!options.consent);
    show(this.retryButton, !options.consent && !!options.retry);
    show(this.alertActions, !!options.consent || !!options.retry);
  }

  /** Empties both message bars (a new action starts). */
  clearMessages(): void {
    this.statusBar.textContent = '';
    this.statusBar.dataset.empty = 'true';
    this.clearError();
  }

  clearError(): void {
    const hadFocus = this.alertActions.contains(document.activeElement);
    this.alertBar.dataset.empty = 'true';
    setText(this.alertText, '');
    setText(this.alertDetail, '');
    show(this.alertDetail, false);
    show(this.alertActions, false);
    this.consentHandler = undefined;
    this.retryHandler = undefined;
    // A removed button must not leave keyboard focus nowhere.
    if (hadFocus) this.heading.focus();
  }

  /** The first read failed: say so instead of "Checking…" (the alert says why). */
  showUnavailable(): void {
    this.nowCard.setAttribute('aria-busy', 'false');
    setText(this.nowLabel, this.m.unavailable);
  }

  showNotInTeams(): void {
    this.nowCard.setAttribute('aria-busy', 'false');
    setText(this.nowLabel, this.m.notInTeams);
  }

  private syncDurationFields(): void {
    const choice = this.durationChoice();
    show(this.customFields, choice === 'custom');
    show(this.untilFields, choice === 'until');
    if (choice === 'until' && !this.untilInput.value) {
      const soon = new Date(Date.now() + 3_600_000);
      soon.setSeconds(0, 0);
      this.untilInput.value = toLocalDateTimeValue(soon);
    }
    if (choice === 'until') this.untilInput.min = toLocalDateTimeValue(new Date());
  }
}

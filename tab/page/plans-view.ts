import { PRODUCT_RULES, SCHEDULE_AHEAD_MAX_MS, STATE_NAMES, type StateName } from '../../presence/model';
import type { Plan } from './api';
import { el, show } from './dom';
import { formatEnd, formatSpan } from './format';
import type { TabMessages } from './messages';
import { nextFullHour, parseLocalDateTime, toLocalDateTimeValue } from './timing';

const HOUR = 3_600_000;
/** What a status is planned for most ("dnd tomorrow 9-11" in the chat). */
const DEFAULT_STATE: StateName = 'DoNotDisturb';

/** What the plan form holds: the state, its start and end as datetime-local values, and the status message. */
export interface PlanFormInput {
  readonly state: StateName;
  readonly startLocal: string;
  readonly endLocal: string;
  readonly message: string;
}

/**
 * The "Planned" card: the statuses planned ahead, each with a Cancel button, and the form that plans one. It renders;
 * main.ts decides.
 */
export class PlansSection {
  readonly root: HTMLElement;
  readonly planButton: HTMLButtonElement;
  private readonly heading: HTMLHeadingElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly stateSelect: HTMLSelectElement;
  private readonly startInput: HTMLInputElement;
  private readonly endInput: HTMLInputElement;
  private readonly messageInput: HTMLInputElement;
  private readonly cancelButtons: HTMLButtonElement[] = [];
  /** What the list shows, to leave it alone (and the focus in it) when a refresh brings the same. */
  private shown?: string;
  /** The start before its latest change, to move the end by as much. */
  private start = '';
  private ready = false;
  private working = false;

  constructor(
    private readonly m: TabMessages,
    private readonly onCancel: (plan: Plan) => void,
  ) {
    this.heading = el('h2', { id: 'plans-heading', class: 'card-title', tabindex: '-1' }, m.plansHeading);
    this.list = el('ul', { class: 'plans', 'aria-labelledby': 'plans-heading' });
    this.empty = el('p', { class: 'plans-empty' }, m.noPlans);
    this.stateSelect = el('select', { id: 'plan-state', class: 'input' });
    for (const name of STATE_NAMES) this.stateSelect.append(el('option', { value: name, selected: name === DEFAULT_STATE }, m.stateLabel[name]));
    this.startInput = el('input', { type: 'datetime-local', id: 'plan-start', class: 'input' });
    this.endInput = el('input', { type: 'datetime-local', id: 'plan-end', class: 'input' });
    this.messageInput = el('input', {
      type: 'text',
      id: 'plan-message',
      class: 'input input-wide',
      maxlength: String(PRODUCT_RULES.statusMessageMaxLength),
      autocomplete: 'off',
    });
    this.planButton = el('button', { type: 'button', class: 'btn btn-primary', 'aria-disabled': 'true' }, m.planButton);
    const field = (id: string, label: string, input: HTMLElement, extra = '') =>
      el('div', { class: `field field-inline ${extra}`.trim() }, el('label', { for: id }, label), input);
    const form = el(
      'div',
      { class: 'group plan-form', role: 'group', 'aria-labelledby': 'plan-heading', 'aria-describedby': 'plan-hint' },
      el('h3', { id: 'plan-heading' }, m.planHeading),
      el('p', { class: 'hint', id: 'plan-hint' }, m.planHint(formatSpan(SCHEDULE_AHEAD_MAX_MS, m))),
      el(
        'div',
        { class: 'plan-fields' },
        field('plan-state', m.planStateLabel, this.stateSelect),
        field('plan-start', m.planStartLabel, this.startInput),
        field('plan-end', m.planEndLabel, this.endInput),
        field('plan-message', m.planMessageLabel, this.messageInput, 'plan-message'),
      ),
      el('div', { class: 'plan-actions' }, this.planButton),
    );
    // Hidden until what is planned has been read: a page that cannot read it shows no list that may be wrong.
    this.root = el('section', { class: 'card plans-card', 'aria-labelledby': 'plans-heading', hidden: true }, this.heading, this.list, this.empty, form);
    // A new start keeps the span chosen: the end moves with it.
    this.startInput.addEventListener('change', () => {
      const [before, after, end] = [parseLocalDateTime(this.start), parseLocalDateTime(this.startInput.value), parseLocalDateTime(this.endInput.value)];
      if (before && after && end) this.endInput.value = toLocalDateTimeValue(new Date(end.getTime() + after.getTime() - before.getTime()));
      this.start = this.startInput.value;
    });
  }

  /** Fills the form's times with the defaults: the next full hour, for an hour. */
  setDefaults(now: Date): void {
    const start = nextFullHour(now);
    this.startInput.value = this.start = toLocalDateTimeValue(start);
    this.endInput.value = toLocalDateTimeValue(new Date(start.getTime() + HOUR));
  }

  formInput(): PlanFormInput {
    const state = STATE_NAMES.find((name) => name === this.stateSelect.value) ?? DEFAULT_STATE;
    return { state, startLocal: this.startInput.value, endLocal: this.endInput.value, message: this.messageInput.value };
  }

  /** The list, soonest first, in local time. A cancelled item's button took the focus: it goes to the next one's, or the heading. */
  showPlans(planned: readonly Plan[], now: Date, locale: string): void {
    const m = this.m;
    const items = planned.map((plan) => ({
      plan,
      text: m.planItem(m.stateLabel[plan.state], formatEnd(plan.startAt, now, locale), formatEnd(plan.endAt, now, locale)),
    }));
    const key = JSON.stringify(items.map(({ plan, text }) => [plan.id, text]));
    show(this.root, true);
    if (key === this.shown) return;
    this.shown = key;
    const focused = this.cancelButtons.findIndex((b) => b === document.activeElement);
    this.cancelButtons.length = 0;
    this.list.replaceChildren(
      ...items.map(({ plan, text }) => {
        const button = el(
          'button',
          { type: 'button', class: 'btn', 'aria-label': m.cancelPlanLabel(text), 'aria-disabled': String(!this.usable()) },
          m.cancelPlan,
        );
        button.addEventListener('click', () => {
          if (this.usable()) this.onCancel(plan);
        });
        this.cancelButtons.push(button);
        return el('li', { class: 'plan' }, el('span', { class: 'plan-text' }, text), button);
      }),
    );
    show(this.list, items.length > 0);
    show(this.empty, items.length === 0);
    if (focused >= 0) (this.cancelButtons[Math.min(focused, this.cancelButtons.length - 1)] ?? this.heading).focus();
  }

  /** Controls answer clicks once Teams has initialized, and not while a plan or a cancel is on its way. */
  setReady(ready: boolean): void {
    this.ready = ready;
    this.sync();
  }

  setWorking(working: boolean): void {
    this.working = working;
    this.root.setAttribute('aria-busy', String(working));
    this.sync();
  }

  usable(): boolean {
    return this.ready && !this.working;
  }

  private sync(): void {
    for (const button of [this.planButton, ...this.cancelButtons]) button.setAttribute('aria-disabled', String(!this.usable()));
  }
}

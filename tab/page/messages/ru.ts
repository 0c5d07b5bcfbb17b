import { availabilityLabel } from '../../../i18n/labels';
import { inAccusative, inGenitive, labels } from '../../../i18n/ru';
import { countOf } from '../../../i18n/plural';
import type { TabMessages } from './catalog';

/** Seconds after "через": the accusative ("через 1 секунду", "через 30 секунд"). */
const seconds = (n: number) => countOf('ru', n, { one: 'секунду', few: 'секунды', many: 'секунд', other: 'секунды' });
/** "до 280 символов", "не больше 1 символа": the genitive a limit takes. */
const characters = (n: number) => countOf('ru', n, { one: 'символа', few: 'символов', many: 'символов', other: 'символа' });

/** Russian, short enough for a phone's width; state names in «» inside sentences. */
export const ru: TabMessages = {
  lang: 'ru',
  documentTitle: 'Ваш статус в Teams',
  heading: 'Ваш статус',
  loading: 'Проверяем ваш статус…',
  unavailable: 'Сейчас не удается показать ваш статус.',
  stateLabel: labels.stateLabel,
  availabilityLabel: (availability, activity) => availabilityLabel(labels, availability, activity),
  sourceLabel: {
    preferred: 'Задан этим приложением как выбранный статус',
    app: 'Задан этим приложением для звонка или презентации',
    teams: 'Задан Teams по вашей активности',
    unknown: 'Задан этим приложением или Teams (приложению сейчас не удалось прочитать свои записи)',
  },
  ends: (when) => `До ${when}`,
  countdown: ({ days, hours, minutes, seconds: s }) => {
    if (days > 0) return `Осталось ${days} д ${hours} ч`;
    if (hours > 0) return `Осталось ${hours} ч ${minutes} мин`;
    if (minutes > 0) return `Осталось ${minutes} мин ${s} с`;
    return `Осталось ${s} с`;
  },
  noEnd: 'Без срока: статус зависит от вашей активности в Teams.',
  alsoSet: (state, when) => `Это приложение также задало статус «${state}» до ${when}. Статус выше важнее.`,
  comesBack: (state, when) => `Затем вернется статус «${state}» до ${when}.`,
  statusMessage: (message) => `«${message}»`,
  changeHeading: 'Изменить статус',
  durationLegend: 'На какой срок',
  durationChoice: {
    m30: '30 минут',
    h1: '1 час',
    h2: '2 часа',
    today: 'До конца дня',
    week: 'До конца недели',
    custom: 'Свой срок',
    until: 'До времени',
  },
  customHours: 'Часы',
  customMinutes: 'Минуты',
  untilLabel: 'Окончание',
  messageLabel: 'Сообщение о состоянии (необязательно)',
  messageHint: (max) => `Показывается вместе со статусом и удаляется, когда он заканчивается. До ${characters(max)}.`,
  preferredHeading: 'Статус',
  sessionHeading: 'Звонок или презентация',
  sessionHint: (min, max) => `Действуют от ${inGenitive(min)} до ${inGenitive(max)}. Статус, заданный выше, важнее.`,
  reset: 'Сбросить статус',
  resetHint: 'Удаляет то, что задало это приложение, и Teams снова показывает вашу активность.',
  reminderLabel: 'Напоминать до конца статуса',
  reminderHint: 'Сообщение в чате с этим приложением, если вы задали статус со временем окончания.',
  reminderOff: 'Выкл.',
  reminderLead: (lead, isDefault) => (isDefault ? `За ${inAccusative(lead)} (по умолчанию)` : `За ${inAccusative(lead)}`),
  working: 'Выполняется…',
  plansHeading: 'Запланировано',
  noPlans: 'Ничего не запланировано.',
  planItem: (state, from, to) => `«${state}»: ${from} – ${to}`,
  cancelPlan: 'Отменить',
  cancelPlanLabel: (item) => `Отменить ${item}`,
  planHeading: 'Запланировать статус',
  planHint: (max) => `Приложение задаст его в начале и до конца, как если бы вы задали его сами. Начало — не позже чем через ${inAccusative(max)}.`,
  planStateLabel: 'Статус',
  planStartLabel: 'Начало',
  planEndLabel: 'Окончание',
  planMessageLabel: 'Сообщение (необязательно)',
  planButton: 'Запланировать',
  announce: {
    set: (state, when, message) =>
      message ? `Статус «${state}» задан до ${when}, с сообщением о состоянии «${message}».` : `Статус «${state}» задан до ${when}.`,
    shadowed: (state, shown) => `Статус «${state}» задан, но другие видят «${shown}»: выбранный вами статус важнее. Сбросьте его, чтобы показывать «${state}».`,
    reset: 'Статус сброшен. Teams снова показывает вашу активность.',
    resetPartly: 'Статус сброшен только частично.',
    changed: (label) => `Теперь ваш статус — «${label}».`,
    partial: (notDone) => `Однако ${notDone}.`,
    notRecorded: 'Приложению не удалось сохранить изменение, поэтому эта страница может не показать, что задано и до какого времени.',
    reminders: (lead) => `Напоминания за ${inAccusative(lead)} до конца.`,
    remindersOff: 'Напоминания отключены.',
    planned: (state, from, to) => `Статус «${state}» запланирован с ${from} до ${to}.`,
    planCancelled: (state, from, to) => `Отменено: «${state}» с ${from} до ${to}.`,
    notPlanned: 'Это уже не запланировано: статус начался или был отменен раньше.',
  },
  notDone: {
    set: {
      statusMessage: 'сообщение о состоянии не задано',
      confirm: 'Teams не подтвердил, что другие его видят (его может перекрывать статус, заданный выше)',
      previousMessage: 'по-прежнему показывается сообщение о состоянии, заданное с предыдущим статусом',
    },
    cleared: {
      preferred: 'статус не сброшен',
      session: 'статус звонка или презентации не сброшен',
      statusMessage: 'сообщение о состоянии не удалено',
    },
  },
  list: labels.list,
  invalid: {
    customDuration: 'Укажите срок не меньше 1 минуты. Ничего не изменено.',
    until: 'Выберите время окончания в будущем. Ничего не изменено.',
    outOfRange: (state, min, max) => `Статус «${state}» можно задать на срок от ${inGenitive(min)} до ${inGenitive(max)}. Ничего не изменено.`,
    messageTooLong: (max) => `Сообщение о состоянии может содержать не больше ${characters(max)}. Ничего не изменено.`,
    planStart: (max) => `Выберите начало в будущем, не позже чем через ${inAccusative(max)}. Ничего не запланировано.`,
    planEnd: 'Окончание должно быть позже начала. Ничего не запланировано.',
    planOutOfRange: (state, min, max) => `Статус «${state}» можно запланировать на срок от ${inGenitive(min)} до ${inGenitive(max)}. Ничего не запланировано.`,
    tooManyPlans: 'Запланировано столько статусов, сколько хранит приложение. Сначала отмените один. Ничего не запланировано.',
  },
  errors: {
    unauthenticated: () => 'Teams не удалось подтвердить ваш вход. Попробуйте еще раз.',
    tenant_not_allowed: () => 'Это приложение не включено для вашей организации.',
    consent_required: () =>
      'Чтобы показывать и менять ваш статус, приложению нужно разрешение на чтение и изменение сведений о вашем присутствии (Presence.ReadWrite).',
    forbidden: () => 'Teams не разрешил этому приложению изменить ваш статус. Возможно, администратору нужно предоставить разрешение Presence.ReadWrite.',
    rate_limited: ({ retryAfterSeconds }) => `Слишком много изменений сразу. Попробуйте снова через ${seconds(retryAfterSeconds ?? 30)}.`,
    throttled: ({ retryAfterSeconds }) => `Teams сейчас перегружен. Попробуйте снова через ${seconds(retryAfterSeconds ?? 30)}.`,
    invalid_request: () => 'Teams не принял запрос. Ничего не изменено.',
    graph_unavailable: () => 'Teams сейчас не отвечает, поэтому ничего не изменено. Попробуйте через минуту.',
    identity_unavailable: () => 'Вход сейчас не работает, поэтому ничего не изменено. Попробуйте через минуту.',
    storage_unavailable: () => 'Хранилище приложения сейчас не отвечает. Попробуйте через минуту.',
    internal: () => 'У нас что-то пошло не так, и ничего не изменено.',
    sso_failed: () => 'Teams не удалось выполнить вход в это приложение. Попробуйте еще раз.',
    network: () => 'Приложение не ответило. Проверьте подключение и попробуйте еще раз.',
  },
  correlation: (id) => `Если это повторяется, передайте администратору код: ${id}`,
  retry: 'Повторить',
  consentButton: 'Дать разрешение',
  notInTeams: 'Откройте эту страницу из приложения Presence в Microsoft Teams.',
  durations: labels.durations,
  authStart: {
    title: 'Разрешение',
    redirecting: 'Открываем страницу разрешения…',
    invalid: 'Эта ссылка на разрешение недействительна. Закройте окно и попробуйте снова из приложения.',
  },
  authEnd: {
    title: 'Разрешение',
    done: 'Готово. Это окно закроется само.',
    failed: 'Разрешение не предоставлено. Закройте окно и попробуйте снова из приложения.',
    standalone: 'Это окно можно закрыть.',
  },
};

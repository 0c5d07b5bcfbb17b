import { availabilityLabel } from '../../i18n/labels';
import { labels } from '../../i18n/ja';
import type { BotMessages } from './catalog';

/** Japanese, in the polite style Teams itself uses; every command in the help card is one the Japanese words parse. */
export const ja: BotMessages = {
  lang: 'ja',
  stateLabel: labels.stateLabel,
  availabilityLabel: (availability, activity) => availabilityLabel(labels, availability, activity),
  sourceLabel: { preferred: 'このアプリで設定', app: 'このアプリで設定', teams: 'Teams のアクティビティから', unknown: 'このアプリまたは Teams で設定' },
  statusSet: (state, when) => `状態を「${state}」にしました (${when} まで)。`,
  defaultDuration: (howLong) => `期間の指定がないため、Teams の既定の ${howLong} が適用されます。`,
  statusMessage: (message) => `状態メッセージ:「${message}」`,
  peopleSee: (shown) => `ほかの人には「${shown}」と表示されています`,
  shadowed: (state, when, shown) =>
    `「${state}」は ${when} まで設定されていますが、ほかの人には「${shown}」と表示されます。ご自身で選んだ状態が、アプリの設定より優先されるためです。「${state}」を表示するにはリセットしてください。`,
  resetTitle: '状態をリセットしました',
  resetDone: '状態は再び Teams のアクティビティに従います。',
  resetShows: (label) => `現在ほかの人には「${label}」と表示されています。`,
  statusNow: (label, source) => `現在の状態は「${label}」です (${source})。`,
  statusAppSet: (state, when) => `「${state}」は ${when} に終わります。`,
  statusNothingSet: '現在、このアプリが設定しているものはありません。',
  notRecorded: (id) =>
    `Teams の状態は設定されましたが、このアプリで終了時刻を保存できなかったため、「状態」で終了時刻がわからない場合があります。参照番号: ${id}`,
  recordUnreadable: (id) => `このアプリの記録を読み取れなかったため、何をいつまで設定したかをお伝えできません。参照番号: ${id}`,
  resetPartly: '状態の一部だけがリセットされました。',
  notDone: {
    set: {
      statusMessage: '状態メッセージは設定されませんでした',
      confirm: 'ほかの人に表示されているか Teams で確認できませんでした (ご自身で選んだ状態が優先される場合があります)',
      previousMessage: '前の状態で設定した状態メッセージがまだ表示されています',
    },
    cleared: {
      preferred: 'ご自身で選んだ状態はクリアされませんでした',
      session: 'このアプリの通話中または発表中の状態はクリアされませんでした',
      statusMessage: '状態メッセージはクリアされませんでした',
    },
  },
  partial: (notDone, references) => `ただし、${notDone}${references ? ` (繰り返し起きる場合は、この参照番号を管理者にお伝えください: ${references})` : ''}。`,
  list: labels.list,
  forgotten: (records) =>
    records === 0
      ? 'このアプリに保存されているデータはありませんでした。Teams の状態は変わっていません。'
      : `完了しました。このアプリに保存されていたデータ (${records} 件) をすべて削除しました。Teams の状態は変わっていません。設定中の状態をクリアするには「リセット」と入力してください。`,
  help: {
    title: 'Teams の状態を設定',
    intro: '表示したい状態と期間を教えてください。変更するのはあなた自身の状態だけです。',
    examples: [
      ['応答不可 8時間 · dnd 8h', '8 時間、応答不可'],
      ['取り込み中 17時まで', '17:00 (あなたのタイム ゾーン) まで取り込み中'],
      ['応答不可 2時間 "集中作業"', '2 時間、応答不可。状態メッセージ付き'],
      ['連絡可能 30分 · 一時退席中 · 退席中表示 · オフライン表示', '連絡可能、一時退席中、退席中表示、オフライン表示'],
      ['通話中 1時間 · 電話会議中 · 発表中', '通話中、電話会議中、発表中 (5 分から 24 時間)'],
      ['応答不可 明日 9時から11時', '状態を前もって予定: 取り込み中 14:00-16:00 も'],
      ['予定', '予定されている状態 (それぞれにキャンセル ボタン付き)'],
      ['キャンセル', '次に予定されている状態をキャンセル'],
      ['リセット', '通常の Teams の状態に戻す'],
      ['状態', '現在の表示と、いつまでか'],
      ['リマインド', '設定した状態が終わる 10 分前にお知らせ。リマインド 5分、リマインド オフ'],
      ['データを削除', 'このアプリに保存されたデータをすべて削除'],
    ],
    durations:
      '期間: 30分、2時間、1時間30分、90 (分)、半日、17時まで、17:30まで、明日まで、明日9時まで、月曜日まで、終業まで。期間の後に状態メッセージ: 応答不可 2時間 資料作成。',
    footer: '変更がすべての場所に表示されるまで、数分かかることがあります。',
  },
  welcome: { title: 'こんにちは! Teams の状態を代わりに設定します。', intro: '「応答不可 8時間」で 8 時間静かに、「リセット」で元に戻ります。' },
  didYouMean: (suggestion) => `よくわかりませんでした。「${suggestion}」のことですか?`,
  remindersOn: (lead, shortest) =>
    `これから設定する状態が終わる ${lead} 前にお知らせします (${shortest} 以上の状態が対象です)。「リマインド オフ」で止められます。`,
  remindersOff: 'リマインドはオフです。「リマインド 10分」で再びオンになります。',
  badReminder: (min, max) => `リマインドは終了の ${min} 前から ${max} 前まで、または「リマインド オフ」を指定できます。何も変更されていません。`,
  reminder: {
    title: (state) => `「${state}」がまもなく終わります`,
    text: (state, when, inHowLong) => `「${state}」は ${when} に終わります (あと ${inHowLong})。`,
    letItEnd: (state) => `わかりました。「${state}」は予定どおり終わります。`,
  },
  extendPastLimit: (state, max) => `「${state}」は今から最長 ${max} までしか設定できないため、延長されませんでした。`,
  comesBack: (state, when) => `その後、「${state}」が ${when} まで戻ります。`,
  plans: {
    title: '予定',
    added: (state, span) => `「${state}」を ${span} に予定しました。`,
    item: (state, span, message) => `${state}: ${span}${message ? `、「${message}」` : ''}`,
    none: '予定はありません。「応答不可 明日 9時から11時」のように入力してみてください。',
    others: 'ほかの予定:',
    cancelled: (state, span) => `キャンセルしました: ${state}、${span}。`,
    nothingToCancel: '予定がないため、キャンセルするものはありませんでした。',
    cancelButton: (state, from) => `${state} (${from}) をキャンセル`,
    next: (state, span, more) => `次の予定: ${state}、${span}${more ? `。ほかに ${more} 件` : ''}。`,
  },
  timers: {
    signedOut: {
      title: 'もう一度サインイン',
      button: 'もう一度サインイン',
      text: 'このアプリへのサインインの期限が切れたか取り消されたため、後で行う予定だったこと (予定した状態、戻る予定だった状態、延長) をキャンセルしました。現在の状態は変わっていません。もう一度サインインするには、何かコマンドを送ってください。',
    },
    failed: {
      renew: (state) => `「${state}」を Teams の 4 時間の上限を超えて続けられなかったため、早く終わる場合があります。`,
      restore: (state) => `「${state}」を戻せなかったため、状態は Teams のアクティビティに従います。`,
      start: '予定した状態を開始できなかったため、状態は変わっていません。',
    },
  },
  unknownCommand: 'よくわかりませんでした。わかるのは次のコマンドです:',
  badDuration: (state) => `「${state}」の期間を読み取れませんでした。「8時間」「30分」「1時間30分」「90」(分)、「17時まで」のように入力してください。`,
  durationOutOfRange: (state, min, max) => `「${state}」に設定できるのは ${min} から ${max} までです。何も変更されていません。`,
  statusMessageTooLong: (max) => `状態メッセージは ${max} 文字までです。何も変更されていません。`,
  endTimePassed: (state) =>
    `その時刻は今日すでに過ぎているため、「${state}」は設定されませんでした。「明日まで」「17時まで」や「2時間」のように入力してください。`,
  unknownState: (typed) =>
    `状態は設定できますが、「${typed}」にはできません。応答不可、取り込み中、退席中表示、一時退席中、連絡可能、オフライン表示のいずれかを指定してください。`,
  badSchedule: (state) => `「${state}」をいつ予定するか読み取れませんでした。「明日 9時から11時」「14時から16時」「14時から1時間」のように入力してください。`,
  schedulePassed: (state) =>
    `その時間は今日すでに過ぎているため、「${state}」は予定されませんでした。明日の場合は「応答不可 明日 9時から11時」のように最初に「明日」を付けてください。`,
  scheduleTooFar: (state, max) => `「${state}」を予定できるのは最長 ${max} 先までです。何も予定されていません。`,
  notATeamsUser: '状態を変更できるのは、Teams にサインインしている Microsoft 365 ユーザーだけです。',
  signIn: { title: 'サインイン', text: 'Teams の状態を変更できるように、一度サインインしてください。', button: 'サインイン' },
  signInFailed: (id) =>
    `Teams でこのアプリにサインインできなかったため、状態は変更されていません。もう一度お試しください。繰り返し起きる場合は、この参照番号を管理者にお伝えください: ${id}`,
  consent: {
    title: 'アクセス許可が必要です',
    text: '状態を変更するには、プレゼンスの読み取りと書き込み (Presence.ReadWrite) のアクセス許可が必要です。',
    button: 'アクセスを許可',
  },
  errors: {
    unauthenticated: () => 'サインインを確認できませんでした。もう一度お試しください。',
    sso_required: () => '先にサインインしてください。',
    tenant_not_allowed: () => 'このアプリは、あなたの組織では有効になっていません。',
    consent_required: () => '状態を変更するには、あなたのアクセス許可が必要です。',
    token_expired: () => 'サインインの有効期限が切れました。もう一度お試しください。',
    forbidden: () =>
      'Microsoft Teams で、このアプリによる状態の変更が許可されませんでした。管理者が Presence.ReadWrite のアクセス許可を付与する必要がある場合があります。',
    rate_limited: ({ retryAfterSeconds }) =>
      `一度に受け付けられる数を超えるコマンドが送られました。${retryAfterSeconds ?? 30} 秒待ってからもう一度お試しください。`,
    throttled: ({ retryAfterSeconds }) => `現在 Teams が混み合っています。${retryAfterSeconds ?? 30} 秒後にもう一度お試しください。`,
    invalid_request: ({ field }) =>
      field === 'startAt'
        ? '状態を予定できるのは、今から 7 日以内に始まるものだけです。何も変更されていません。'
        : field === 'timers'
          ? 'ここでは、このアプリは Teams の 4 時間を超えて状態を続けることも、前もって予定することもできるように設定されていません。管理者が有効にできます。何も変更されていません。'
          : field === 'planned'
            ? '予定できる状態の数の上限に達しています。先にどれかをキャンセルしてください (「予定」で一覧を表示できます)。'
            : field
              ? `その要求は無効です (${field})。何も変更されていません。`
              : 'Teams がその要求を拒否しました。何も変更されていません。',
    graph_unavailable: () => '申し訳ありません。現在 Microsoft Teams が応答しないため、状態は変更されていません。',
    identity_unavailable: () => '申し訳ありません。現在サインインが機能していないため、状態は変更されていません。',
    storage_unavailable: () => '申し訳ありません。現在このアプリのストレージが応答しないため、何も変更されていません。後でもう一度お試しください。',
    internal: () => '申し訳ありません。こちらで問題が発生したため、状態は変更されていません。',
  },
  correlation: (id) => `繰り返し起きる場合は、この参照番号を管理者にお伝えください: ${id}`,
  buttons: {
    plus30: '+30 分',
    untilEndOfDay: '終業まで',
    letItEnd: 'このまま終了',
    reset: 'リセット',
    extend: '+1 時間',
    longest: (max) => `今から ${max}`,
    schedule: '予定',
    available: '連絡可能',
    busy: '取り込み中',
    dnd: '応答不可',
    status: '状態',
    help: 'ヘルプ',
  },
  durations: labels.durations,
};

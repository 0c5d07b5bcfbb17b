import { availabilityLabel } from '../../i18n/labels';
import { labels } from '../../i18n/ja';
import { countOf } from '../../i18n/plural';
import type { BotMessages } from './catalog';

/**
 * Japanese, in the polite style and the words Teams itself uses (状態, ステータス メッセージ, 状態のリセット). Every command
 * the help card shows is one the Japanese words (bot/words/ja.ts) parse; test/bot/parse-ja.test.ts checks it.
 */
export const ja: BotMessages = {
  lang: 'ja',
  stateLabel: labels.stateLabel,
  availabilityLabel: (availability, activity) => availabilityLabel(labels, availability, activity),
  sourceLabel: { preferred: 'このアプリで設定', app: 'このアプリで設定', teams: 'Teams のアクティビティから', unknown: 'このアプリまたは Teams で設定' },
  statusSet: (state, when) => `${when} まで「${state}」に設定しました。`,
  defaultDuration: (howLong) => `期間の指定がないため、Teams の既定の期間 (${howLong}) が適用されます。`,
  statusMessage: (message) => `ステータス メッセージ:「${message}」`,
  peopleSee: (shown) => `ほかの人には「${shown}」と表示されています`,
  shadowed: (state, when, shown) =>
    `「${state}」を ${when} まで設定しましたが、ほかの人には「${shown}」と表示されています。ご自身で選んだ状態のほうが、アプリの設定より優先されるためです。「${state}」を表示するには、リセットしてください。`,
  resetTitle: '状態をリセットしました',
  resetDone: '状態は再び Teams のアクティビティに従います。',
  resetShows: (label) => `現在、ほかの人には「${label}」と表示されています。`,
  statusNow: (label, source) => `現在の状態は「${label}」です (${source})。`,
  statusAppSet: (state, when) => `「${state}」は ${when} に終了します。`,
  statusNothingSet: '現在、このアプリで設定している状態はありません。',
  notRecorded: (id) =>
    `Teams の状態は設定されましたが、このアプリで終了時刻を保存できなかったため、「状態」で終了時刻がわからない場合があります。参照番号: ${id}`,
  recordUnreadable: (id) => `このアプリの記録を今は読み取れないため、何をいつまで設定したかをお伝えできません。参照番号: ${id}`,
  resetPartly: '状態の一部だけがリセットされました。',
  notDone: {
    set: {
      statusMessage: 'ステータス メッセージは設定されませんでした',
      confirm: 'ほかの人に表示されているか Teams で確認できませんでした (ご自身で選んだ状態があれば、そちらが優先されます)',
      previousMessage: '前の状態で設定したステータス メッセージがまだ表示されています',
    },
    cleared: {
      preferred: 'ご自身で選んだ状態はクリアされませんでした',
      session: 'このアプリで設定した通話中または発表中の状態はクリアされませんでした',
      statusMessage: 'ステータス メッセージはクリアされませんでした',
    },
  },
  partial: (notDone, references) => `ただし、${notDone}。${references ? `繰り返し起きる場合は、この参照番号を管理者にお伝えください: ${references}` : ''}`,
  list: labels.list,
  forgotten: (records) =>
    records === 0
      ? 'このアプリには、あなたについて保存されているデータはありませんでした。Teams の状態は変わっていません。'
      : `完了しました。このアプリに保存されていたあなたのデータ (${countOf('ja', records, { other: '{n} 件' })}) をすべて削除しました。Teams の状態は変わっていません。設定中の状態をクリアするには「リセット」と入力してください。`,
  help: {
    title: 'Teams の状態を設定',
    intro: '表示したい状態と期間を入力してください。変更するのは、あなた自身の状態だけです。',
    examples: [
      ['応答不可 8時間 · dnd 8h', '8 時間、応答不可'],
      ['取り込み中 17時まで', 'あなたのタイム ゾーンで 17:00 まで取り込み中'],
      ['応答不可 2時間 "集中作業"', '2 時間、応答不可 (ステータス メッセージ付き)'],
      ['連絡可能 30分 · 一時退席中 · 退席中表示 · オフライン表示', '連絡可能、一時退席中、退席中表示、オフライン表示'],
      ['通話中 1時間 · 電話会議中 · 発表中', '通話中、電話会議中、発表中 (5 分～24 時間)'],
      ['応答不可 明日9時から11時', '状態を前もって予定: 取り込み中 14時から16時、応答不可 14時から1時間'],
      ['予定', '予定している状態の一覧 (それぞれにキャンセル ボタン付き)'],
      ['キャンセル', '次の予定をキャンセル'],
      ['リセット', '通常の Teams の状態に戻す'],
      ['状態', '現在の表示と、その終了時刻'],
      ['リマインド', '設定した状態が終わる 10 分前にお知らせ。リマインド 5分、リマインド オフ'],
      ['データを削除', 'このアプリに保存されたあなたのデータをすべて削除'],
    ],
    durations:
      '期間の書き方: 30分、2時間、1時間30分、90 (分)、半日、17時まで、17:30まで、明日まで、明日9時まで、月曜まで、定時まで。期間の後にステータス メッセージも書けます: 応答不可 2時間 資料作成。',
    footer: '変更が Teams のすべての画面に表示されるまで、数分かかることがあります。',
  },
  welcome: {
    title: 'こんにちは。Teams の状態を代わりに設定します。',
    intro: '「応答不可 8時間」で 8 時間静かに過ごせます。元に戻すには「リセット」と入力してください。',
  },
  didYouMean: (suggestion) => `よくわかりませんでした。「${suggestion}」のことですか？`,
  remindersOn: (lead, shortest) =>
    `これから設定する状態が終わる ${lead}前にお知らせします (${shortest}以上の状態が対象です)。止めるには「リマインド オフ」と入力してください。`,
  remindersOff: 'リマインドをオフにしました。「リマインド 10分」で再びオンになります。',
  badReminder: (min, max) => `リマインドは終了の ${min}前から ${max}前までの間で指定するか、「リマインド オフ」にしてください。何も変更されていません。`,
  reminder: {
    title: (state) => `まもなく「${state}」が終了します`,
    text: (state, when, inHowLong) => `「${state}」は ${when} に終了します (あと ${inHowLong})。`,
    letItEnd: (state) => `わかりました。「${state}」は予定どおり終了します。`,
  },
  extendPastLimit: (state, max) => `「${state}」は今から最長 ${max}までしか設定できないため、延長しませんでした。`,
  comesBack: (state, when) => `その後、${when} まで「${state}」に戻ります。`,
  plans: {
    title: '予定',
    added: (state, span) => `「${state}」を ${span} に予定しました。`,
    item: (state, span, message) => `${state}: ${span}${message ? `、「${message}」` : ''}`,
    none: '予定はありません。「応答不可 明日9時から11時」のように入力してみてください。',
    others: 'ほかの予定:',
    cancelled: (state, span) => `キャンセルしました: ${state}、${span}。`,
    nothingToCancel: '予定がないため、キャンセルするものはありませんでした。',
    cancelButton: (state, from) => `${state} (${from}) をキャンセル`,
    next: (state, span, more) => `次の予定: ${state}、${span}${more ? `。ほかに ${more} 件あります` : ''}。`,
  },
  timers: {
    signedOut: {
      title: 'もう一度サインイン',
      button: 'もう一度サインイン',
      text: 'このアプリへのサインインの有効期限が切れたか取り消されたため、後で行う予定だったこと (予定した状態、元に戻す状態、延長) をキャンセルしました。現在の状態は変わっていません。もう一度サインインするには、何かコマンドを送ってください。',
    },
    failed: {
      renew: (state) => `Teams の 4 時間の上限を超えて「${state}」を続けられなかったため、早めに終了する場合があります。`,
      restore: (state) => `「${state}」に戻せなかったため、状態は Teams のアクティビティに従います。`,
      start: '予定した状態を開始できなかったため、状態は変わっていません。',
    },
  },
  unknownCommand: 'よくわかりませんでした。使えるコマンドは次のとおりです:',
  badDuration: (state) => `「${state}」の期間を読み取れませんでした。「8時間」「30分」「1時間30分」「90」(分)、「17時まで」のように入力してください。`,
  badDurationPart: (state, unread) =>
    `「${unread}」を「${state}」の期間として読み取れませんでした。「8時間」「30分」「1時間30分」「90」(分)、「17時まで」のように入力してください。`,
  durationOutOfRange: (state, min, max) => `「${state}」に設定できる期間は ${min}～${max}です。何も変更されていません。`,
  statusMessageTooLong: (max) => `ステータス メッセージは ${max} 文字までです。何も変更されていません。`,
  endTimePassed: (state) =>
    `その時刻は今日すでに過ぎているため、「${state}」は設定しませんでした。「明日まで」「17時まで」や「2時間」のような期間で入力してください。`,
  unknownState: (typed) =>
    `状態は設定できますが、「${typed}」にはできません。応答不可、取り込み中、退席中表示、一時退席中、連絡可能、オフライン表示のいずれかを指定してください。`,
  badSchedule: (state) => `「${state}」をいつ予定するか読み取れませんでした。「明日9時から11時」「14時～16時」「14時から1時間」のように入力してください。`,
  schedulePassed: (state) =>
    `その時間は今日すでに過ぎているため、「${state}」は予定しませんでした。明日の場合は「応答不可 明日9時から11時」のように「明日」を付けてください。`,
  scheduleTooFar: (state, max) => `「${state}」を予定できるのは最長 ${max}先までです。何も予定していません。`,
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
      `一度に受け付けられる数を超えるコマンドが送られました。${retryAfterSeconds ?? 30} 秒待ってから、もう一度お試しください。`,
    throttled: ({ retryAfterSeconds }) => `現在 Teams が混み合っています。${retryAfterSeconds ?? 30} 秒後にもう一度お試しください。`,
    invalid_request: ({ field }) =>
      field === 'startAt'
        ? '状態を予定できるのは、今から 7 日以内に始まるものだけです。何も変更されていません。'
        : field === 'timers'
          ? 'この環境では、Teams の 4 時間を超えて状態を続けることも、前もって予定することもできるように設定されていません。管理者が有効にできます。何も変更されていません。'
          : field === 'planned'
            ? '予定できる状態の数が上限に達しています。先にどれかをキャンセルしてください (「予定」で一覧を表示できます)。'
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
    untilEndOfDay: '定時まで',
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

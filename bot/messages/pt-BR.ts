import { availabilityLabel } from '../../i18n/labels';
import { labels } from '../../i18n/pt-BR';
import { countOf } from '../../i18n/plural';
import type { BotMessages } from './catalog';

export const ptBR: BotMessages = {
  lang: 'pt-BR',
  stateLabel: labels.stateLabel,
  availabilityLabel: (availability, activity) => availabilityLabel(labels, availability, activity),
  sourceLabel: {
    preferred: 'definido por este app',
    app: 'definido por este app',
    teams: 'conforme sua atividade no Teams',
    unknown: 'definido por este app ou pelo Teams',
  },
  statusSet: (state, when) => `Seu status é ${state} até ${when}.`,
  defaultDuration: (howLong) => `Nenhuma duração informada, então vale o padrão do Teams: ${howLong}.`,
  statusMessage: (message) => `Mensagem de status: "${message}".`,
  peopleSee: (shown) => `As pessoas veem ${shown}`,
  shadowed: (state, when, shown) =>
    `${state} está definido até ${when}, mas as pessoas veem ${shown}: o status que você escolheu tem prioridade sobre o que um app define. Redefina para mostrar ${state}.`,
  resetTitle: 'Status redefinido',
  resetDone: 'Seu status voltou a seguir sua atividade no Teams.',
  resetShows: (label) => `Agora as pessoas veem ${label}.`,
  statusNow: (label, source) => `Seu status é ${label}, ${source}.`,
  statusAppSet: (state, when) => `${state} vai até ${when}.`,
  statusNothingSet: 'Este app não definiu nada para você no momento.',
  notRecorded: (id) =>
    `Seu status foi definido no Teams, mas este app não conseguiu salvar o horário de término, então "status" pode não saber quando ele termina. Referência: ${id}`,
  recordUnreadable: (id) => `Este app não conseguiu ler os registros agora, então não sabe dizer o que definiu nem até quando. Referência: ${id}`,
  resetPartly: 'Só parte do seu status foi redefinida.',
  notDone: {
    set: {
      statusMessage: 'sua mensagem de status não foi definida',
      confirm: 'o Teams não conseguiu confirmar que as pessoas o veem (um status preferencial teria prioridade)',
      previousMessage: 'a mensagem de status que você definiu com o status anterior ainda aparece',
    },
    cleared: {
      preferred: 'seu status preferencial não foi limpo',
      session: 'o status de chamada ou apresentação deste app não foi limpo',
      statusMessage: 'sua mensagem de status não foi limpa',
    },
  },
  partial: (notDone, references) =>
    `Mas ${notDone}.${references ? ` Se continuar acontecendo, passe esta referência ao seu administrador: ${references}.` : ''}`,
  list: labels.list,
  forgotten: (records) =>
    records === 0
      ? 'Este app não tinha nada guardado sobre você. Seu status no Teams continua o mesmo.'
      : `Pronto: este app apagou tudo o que guardava sobre você (${countOf('pt-BR', records, { one: 'registro', other: 'registros' })}). Seu status no Teams continua o mesmo; digite "redefinir" para limpar o que está definido.`,
  help: {
    title: 'Defina seu status do Teams',
    intro: 'Diga o que mostrar e por quanto tempo. Eu só mudo o seu próprio status.',
    examples: [
      ['não incomodar 8h · dnd 8h', 'Não incomodar por 8 horas'],
      ['ocupado até 17h', 'Ocupado até as 17h no seu horário'],
      ['não incomodar 2h "foco total"', 'Não incomodar por 2 horas, com uma mensagem de status'],
      ['disponível 30 min · volto logo · ausente · aparecer offline', 'Disponível, Volto logo, Ausente, Aparecer offline'],
      ['em chamada 1h · em conferência · apresentando', 'Em uma chamada, em uma chamada em conferência, apresentando (de 5 minutos a 24 horas)'],
      ['não incomodar amanhã 9h-11h', 'Planeje um status: ocupado das 14h às 16h, não incomodar às 14h por 1h'],
      ['agenda', 'O que está planejado, com um botão para cancelar cada um'],
      ['cancelar', 'Cancela o próximo status planejado'],
      ['redefinir', 'Volta ao seu status normal do Teams'],
      ['status', 'O que você mostra agora e até quando'],
      ['lembrete', 'Um lembrete 10 minutos antes do fim de um status que você definiu; lembrete 5 min, lembrete desligado'],
      ['apagar meus dados', 'Apaga tudo o que este app guardou sobre você'],
    ],
    durations:
      'Durações: 30 min, 2 horas, 1h30, 90 (minutos), meia hora, meio dia, até 17h, até 17h30, até amanhã 9h, até segunda, até o fim do dia. ' +
      'Atenção: "ocupado 2h" são duas horas; para um horário, use "até 17h". Uma mensagem de status depois: não incomodar 2h Escrevendo relatório.',
    footer: 'O Teams pode levar alguns minutos para mostrar uma mudança em todos os lugares.',
  },
  welcome: {
    title: 'Olá! Eu defino seu status do Teams para você.',
    intro: 'Experimente "não incomodar 8h" para oito horas de sossego, ou "redefinir" para voltar ao normal.',
  },
  didYouMean: (suggestion) => `Não entendi. Você quis dizer "${suggestion}"?`,
  remindersOn: (lead, shortest) =>
    `Vou avisar você ${lead} antes do fim de cada status que você definir daqui em diante, para status de ${shortest} ou mais. "lembrete desligado" desativa os avisos.`,
  remindersOff: 'Os lembretes estão desativados. "lembrete 10 min" os ativa de novo.',
  badReminder: (min, max) => `Um lembrete pode vir de ${min} a ${max} antes do fim, ou use "lembrete desligado". Nada foi alterado.`,
  reminder: {
    title: (state) => `${state} termina em breve`,
    text: (state, when, inHowLong) => `${state} termina daqui a ${inHowLong} (${when}).`,
    letItEnd: (state) => `Certo, ${state} termina como previsto.`,
  },
  extendPastLimit: (state, max) => `${state} pode durar no máximo ${max} a partir de agora, então não foi estendido.`,
  comesBack: (state, when) => `Depois, ${state} volta até ${when}.`,
  plans: {
    title: 'Planejados',
    added: (state, span) => `${state} está planejado para ${span}.`,
    item: (state, span, message) => `${state}: ${span}${message ? `, “${message}”` : ''}`,
    none: 'Nada está planejado. Experimente "não incomodar amanhã 9h-11h".',
    others: 'Também planejados:',
    cancelled: (state, span) => `Cancelado: ${state}, ${span}.`,
    nothingToCancel: 'Nada está planejado, então não havia o que cancelar.',
    cancelButton: (state, from) => `Cancelar ${state}, ${from}`,
    next: (state, span, more) => `Próximo planejado: ${state}, ${span}${more ? `, e mais ${more}` : ''}.`,
  },
  timers: {
    signedOut: {
      title: 'Entre novamente',
      button: 'Entrar novamente',
      text: 'Seu acesso a este app expirou ou foi revogado, então cancelei o que eu faria por você mais tarde: status planejados, status que voltariam e renovações. Seu status atual não mudou. Envie qualquer comando para entrar de novo.',
    },
    failed: {
      renew: (state) => `Não consegui manter ${state} além do limite de 4 horas do Teams, então ele pode terminar antes.`,
      restore: (state) => `Não consegui trazer ${state} de volta, então seu status segue sua atividade no Teams.`,
      start: 'Não consegui iniciar um status que você planejou, então seu status não mudou.',
    },
  },
  unknownCommand: 'Não entendi. Veja o que eu entendo:',
  badDuration: (state) => `Não entendi por quanto tempo definir ${state}. Experimente "8h", "30 min", "1h30", "90" (minutos) ou "até 17h".`,
  badDurationPart: (state, unread) =>
    `Não entendi "${unread}" como o tempo para definir ${state}. Experimente "8h", "30 min", "1h30", "90" (minutos) ou "até 17h".`,
  durationOutOfRange: (state, min, max) => `${state} pode durar de ${min} a ${max}. Nada foi alterado.`,
  statusMessageTooLong: (max) => `Uma mensagem de status pode ter no máximo ${max} caracteres. Nada foi alterado.`,
  endTimePassed: (state) => `Esse horário já passou hoje, então ${state} não foi definido. Experimente "até amanhã", "até 17h" ou uma duração como "2h".`,
  unknownState: (typed) =>
    `Posso definir seu status, mas não como "${typed}". Experimente não incomodar, ocupado, ausente, volto logo, disponível ou aparecer offline.`,
  badSchedule: (state) => `Não entendi quando planejar ${state}. Experimente "amanhã 9h-11h", "das 14h às 16h" ou "às 14h por 1h".`,
  schedulePassed: (state) =>
    `Esse horário já passou hoje, então ${state} não foi planejado. Para amanhã, diga "amanhã" antes, como em "não incomodar amanhã 9h-11h".`,
  scheduleTooFar: (state, max) => `${state} pode ser planejado com no máximo ${max} de antecedência. Nada foi planejado.`,
  notATeamsUser: 'Só consigo mudar o status de um usuário do Microsoft 365 conectado ao Teams.',
  signIn: { title: 'Entrar', text: 'Entre uma vez para que eu possa mudar seu status do Teams.', button: 'Entrar' },
  signInFailed: (id) =>
    `O Teams não conseguiu conectar você a este app, então seu status não foi alterado. Tente de novo; se continuar acontecendo, passe esta referência ao seu administrador: ${id}`,
  consent: {
    title: 'Permissão necessária',
    text: 'Para mudar seu status, preciso da sua permissão para ler e alterar sua presença (Presence.ReadWrite).',
    button: 'Conceder permissão',
  },
  errors: {
    unauthenticated: () => 'Não consegui confirmar seu login. Tente de novo.',
    sso_required: () => 'Entre primeiro.',
    tenant_not_allowed: () => 'Este app não está habilitado para a sua organização.',
    consent_required: () => 'Preciso da sua permissão para mudar seu status.',
    token_expired: () => 'Seu login expirou. Tente de novo.',
    forbidden: () =>
      'O Microsoft Teams não permitiu que este app mudasse seu status. Talvez seu administrador precise conceder a permissão Presence.ReadWrite.',
    rate_limited: ({ retryAfterSeconds }) =>
      `São mais comandos do que consigo atender de uma vez. Aguarde ${retryAfterSeconds ?? 30} segundos e tente de novo.`,
    throttled: ({ retryAfterSeconds }) => `O Teams está sobrecarregado agora. Tente de novo daqui a ${retryAfterSeconds ?? 30} segundos.`,
    invalid_request: ({ field }) =>
      field === 'startAt'
        ? 'Um status pode ser planejado para começar nos próximos 7 dias. Nada foi alterado.'
        : field === 'timers'
          ? 'Este app não está configurado aqui para manter um status além das 4 horas do Teams nem para planejar um com antecedência: seu administrador pode ativar isso. Nada foi alterado.'
          : field === 'planned'
            ? 'Você já planejou todos os status que consigo guardar. Cancele um primeiro ("agenda" mostra a lista).'
            : field
              ? `Essa solicitação não é válida (${field}). Nada foi alterado.`
              : 'O Teams recusou essa solicitação. Nada foi alterado.',
    graph_unavailable: () => 'Desculpe, o Microsoft Teams não está respondendo agora, então seu status não foi alterado.',
    identity_unavailable: () => 'Desculpe, o login não está funcionando agora, então seu status não foi alterado.',
    storage_unavailable: () => 'Desculpe, o armazenamento deste app não está respondendo agora, então nada foi alterado. Tente de novo mais tarde.',
    internal: () => 'Desculpe, algo deu errado do nosso lado e seu status não foi alterado.',
  },
  correlation: (id) => `Se continuar acontecendo, passe esta referência ao seu administrador: ${id}`,
  buttons: {
    plus30: '+30 minutos',
    untilEndOfDay: 'Até o fim do dia',
    letItEnd: 'Deixar terminar',
    reset: 'Redefinir',
    extend: '+1 hora',
    longest: (max) => `${max} a partir de agora`,
    schedule: 'Agenda',
    available: 'Disponível',
    busy: 'Ocupado',
    dnd: 'Não incomodar',
    status: 'Status',
    help: 'Ajuda',
  },
  durations: labels.durations,
};

import type { ParserWords } from './catalog';

/**
 * Brazilian Portuguese. Teams' own labels come first (Não incomodar, Ocupado, Disponível, Volto logo, Ausente,
 * Aparecer offline), then the ways people type them: feminine forms, "em reunião", "já volto", "tô em call".
 * Accents are optional (translate.ts folds them), so "nao incomodar" needs no entry of its own.
 *
 * The hard part is the clock: Brazilians write 17:00 as "17h", "17h30" or "17hs", which the English parser
 * reads as seventeen hours. So "Nh" is a time of day only where Portuguese puts one, after "até", "às", "das",
 * "de", a day ("amanhã 9h") or inside a range ("9h-11h", "14h às 16h"); elsewhere ("ocupado 2h", "por 2h")
 * it stays a duration, as in English.
 */

/** No letter or digit before / after: the edges of a word, for patterns run on the text as typed (accents and all). */
const START = '(?<![\\p{L}\\p{N}])';
const END = '(?![\\p{L}\\p{N}])';
/** What marks an hour: "17h", "17 h", "17hs", "17hrs", "17 horas". */
const HOUR_MARK = '\\s?(?:h|hs|hrs?|horas?)';
/**
 * Words after which "Nh" is a time of day: "até", "às", "à", "das", "da", "de", "entre", a named day, and the
 * English "from"/"to" that earlier rewrites leave; or a dash ("9h-11h"), or "a" after a time ("de 14:00 a 16h").
 */
const CLOCK_BEFORE =
  '(?<=(?:^|[^\\p{L}\\p{N}])(?:at[eé]|[aà]s|à|das?|de|entre|amanh[aã]|hoje|segunda|ter[cç]a|quarta|quinta|sexta|s[aá]bado|domingo|feira|from|to)\\s+|[-–—]\\s*|\\d:\\d{2}\\s+[aà]\\s+)';
/** Followed by what separates the two times of a range: a dash, "às", "as", "a", "à" and a digit ("9h às 11h"). "até" is left out: "ocupado 2h até 17h" is two hours, as in English. */
const RANGE_AFTER = '(?=\\s*(?:[-–—]|(?:[aà]s?|à)\\s+\\d))';
/** A time as the rewrites leave it: "9", "9:30", "9pm", "9:30 pm". */
const TIME = '\\d{1,2}(?::\\d{2})?(?:\\s?[ap]m)?';
/** A unit just before: "2 horas e 30", "1h e meia". */
const UNIT_BEFORE = '(?<=(?:^|[^\\p{L}])(?:\\d+(?:\\.\\d+)?\\s?)?(?:h|hs|hrs?|horas?|min|mins|minutos?|d|dias?|semanas?))';
const NUMBER_WORD = '(?:um|uma|dois|duas|tr[eê]s|quatro|cinco|seis|sete|oito|nove|dez|onze|doze|quinze|vinte|trinta|quarenta|cinquenta)';

const rewrite = (pattern: string, to: string): readonly [RegExp, string] => [new RegExp(pattern, 'giu'), to];

/** Verbs that start a request ("me coloca como ocupado", "mude meu status para ausente"): the English "set". */
const SET_VERBS = [
  'coloque',
  'coloca',
  'colocar',
  'ponha',
  'põe',
  'bota',
  'defina',
  'define',
  'definir',
  'mude',
  'muda',
  'mudar',
  'altere',
  'altera',
  'alterar',
  'deixe',
  'deixa',
  'deixar',
  'marque',
  'marca',
  'marcar',
];

export const ptBR: ParserWords = {
  commands: {
    dnd: [
      'não incomodar',
      'não perturbe',
      'não perturbar',
      'não incomode',
      'não me incomode',
      'não me perturbe',
      'foco',
      'modo foco',
      'focado',
      'focada',
      'concentrado',
      'concentrada',
    ],
    busy: ['ocupado', 'ocupada', 'em reunião', 'em uma reunião', 'numa reunião', 'reunião'],
    available: ['disponível', 'livre', 'online', 'on-line'],
    brb: ['volto logo', 'já volto', 'volto já', 'volto em breve', 'já venho', 'volto'],
    away: ['ausente', 'aparecer como ausente', 'aparecer ausente', 'almoçando'],
    offline: ['aparecer offline', 'offline', 'off-line', 'aparecer como offline', 'invisível', 'desconectado', 'desconectada'],
    call: ['em chamada', 'em uma chamada', 'numa chamada', 'chamada', 'em ligação', 'em uma ligação', 'numa ligação', 'ligação', 'no telefone', 'em call'],
    conference: [
      'em conferência',
      'em uma conferência',
      'numa conferência',
      'conferência',
      'chamada em conferência',
      'em chamada em conferência',
      'em uma chamada em conferência',
      'numa chamada em conferência',
    ],
    presenting: ['apresentando', 'em apresentação', 'apresentação'],
    reset: ['redefinir', 'redefina', 'limpar', 'limpe', 'restaurar', 'resetar', 'voltar ao normal'],
    status: ['status', 'estado', 'meu status', 'qual meu status', 'qual o meu status', 'qual é o meu status', 'qual é meu status'],
    remind: ['lembrete', 'lembretes', 'lembrar', 'lembre-me', 'lembrar-me', 'me lembre', 'me lembra', 'me avise', 'avise-me'],
    'forget me': ['apagar meus dados', 'apague meus dados', 'excluir meus dados', 'exclua meus dados', 'me esqueça', 'esqueça-me', 'esquecer-me'],
    schedule: ['agenda', 'minha agenda', 'agendados', 'planejados', 'programados', 'o que está planejado', 'o que está agendado', 'meus planos'],
    cancel: ['cancelar', 'cancele', 'cancela', 'cancelar o próximo', 'cancele o próximo'],
    help: ['ajuda', 'ajude', 'me ajuda', 'me ajude', 'socorro', 'comandos'],
  },
  words: [
    // Units and spans.
    ['horas', 'hours'],
    ['hora', 'hour'],
    ['minutos', 'minutes'],
    ['minuto', 'minute'],
    ['dias', 'days'],
    ['dia', 'day'],
    ['semanas', 'weeks'],
    ['semana', 'week'],
    ['meia hora', 'half an hour'],
    // "Meio dia" is half a (working) day; "meio-dia" and "até meio dia" are noon.
    ['meio dia', 'half a day'],
    ['meio período', 'half a day'],
    ['meio expediente', 'half a day'],
    ['meio-dia', 'noon'],
    ['até meio dia', 'until noon'],
    ['até o meio dia', 'until noon'],
    ['meia-noite', 'midnight'],
    ['meia noite', 'midnight'],
    // Numbers the English parser knows as words.
    ['um', 'one'],
    ['uma', 'one'],
    ['dois', 'two'],
    ['duas', 'two'],
    ['três', 'three'],
    ['quatro', 'four'],
    ['cinco', 'five'],
    ['seis', 'six'],
    ['sete', 'seven'],
    ['oito', 'eight'],
    ['nove', 'nine'],
    ['dez', 'ten'],
    ['onze', 'eleven'],
    ['doze', 'twelve'],
    ['quinze', 'fifteen'],
    ['vinte', 'twenty'],
    ['vinte e cinco', '25'],
    ['trinta', 'thirty'],
    ['quarenta', 'forty'],
    ['quarenta e cinco', '45'],
    ['cinquenta', 'fifty'],
    ['sessenta', 'sixty'],
    ['noventa', 'ninety'],
    // Before a span or an end time.
    ['por', 'for'],
    ['durante', 'for'],
    ['pelos próximos', 'for'],
    ['pelas próximas', 'for'],
    ['nos próximos', 'for'],
    ['nas próximas', 'for'],
    ['em', 'in'],
    ['daqui a', 'in'],
    ['dentro de', 'in'],
    ['até', 'until'],
    ['até a', 'until'],
    ['até o', 'until'],
    // Days.
    ['hoje', 'today'],
    ['amanhã', 'tomorrow'],
    ['próximo', 'next'],
    ['próxima', 'next'],
    ['semana que vem', 'next week'],
    // "segunda que vem" is "next monday", which the parser reads as "monday".
    ['que vem', ''],
    ['segunda-feira', 'monday'],
    ['segunda feira', 'monday'],
    ['segunda', 'monday'],
    ['terça-feira', 'tuesday'],
    ['terça feira', 'tuesday'],
    ['terça', 'tuesday'],
    ['quarta-feira', 'wednesday'],
    ['quarta feira', 'wednesday'],
    ['quarta', 'wednesday'],
    ['quinta-feira', 'thursday'],
    ['quinta feira', 'thursday'],
    ['quinta', 'thursday'],
    ['sexta-feira', 'friday'],
    ['sexta feira', 'friday'],
    ['sexta', 'friday'],
    ['sábado', 'saturday'],
    ['domingo', 'sunday'],
    ['na segunda', 'on monday'],
    ['na terça', 'on tuesday'],
    ['na quarta', 'on wednesday'],
    ['na quinta', 'on thursday'],
    ['na sexta', 'on friday'],
    ['no sábado', 'on saturday'],
    ['no domingo', 'on sunday'],
    ['na próxima', 'next'],
    ['no próximo', 'next'],
    // Named times of day.
    ['fim do dia', 'eod'],
    ['final do dia', 'eod'],
    ['fim do expediente', 'eod'],
    ['final do expediente', 'eod'],
    ['resto do dia', 'rest of the day'],
    ['o resto do dia', 'the rest of the day'],
    ['pelo resto do dia', 'for the rest of the day'],
    ['o dia todo', 'the rest of the day'],
    ['o dia inteiro', 'the rest of the day'],
    ['dia todo', 'the rest of the day'],
    ['dia inteiro', 'the rest of the day'],
    // Lunch: Away as a command ("almoço"), 12:00 as an end time ("até o almoço"), as "lunch" is in English.
    ['almoço', 'lunch'],
    ['no almoço', 'at lunch'],
    ['hora do almoço', 'lunch'],
    // Reminders.
    ['antes', 'before'],
    ['desligado', 'off'],
    ['desligada', 'off'],
    ['desligar', 'off'],
    ['desliga', 'off'],
    ['desativado', 'off'],
    ['desativada', 'off'],
    ['desativar', 'off'],
    ['desativa', 'off'],
    ['nunca', 'off'],
    ['ligado', 'on'],
    ['ligada', 'on'],
    ['ligar', 'on'],
    ['ativado', 'on'],
    ['ativada', 'on'],
    ['ativar', 'on'],
    ['desativar lembretes', 'remind off'],
    ['desativar lembrete', 'remind off'],
    ['desligar lembretes', 'remind off'],
    ['desligar lembrete', 'remind off'],
    ['sem lembretes', 'remind off'],
    ['sem lembrete', 'remind off'],
    ['ativar lembretes', 'remind on'],
    ['ativar lembrete', 'remind on'],
    ['ligar lembretes', 'remind on'],
    // Requests: "estou ocupado", "me coloca como ausente", "mude meu status para não incomodar".
    ['estou', "i'm"],
    ['eu estou', "i'm"],
    ['ficar', 'go'],
    ['fique', 'go'],
    ['vou ficar', 'go'],
    ...SET_VERBS.flatMap((verb): (readonly [string, string])[] => [
      [verb, 'set'],
      [`me ${verb}`, 'set me'],
      [`${verb}-me`, 'set me'],
      [`${verb} como`, 'set as'],
      [`me ${verb} como`, 'set me as'],
      [`${verb}-me como`, 'set me as'],
      [`${verb} para`, 'set to'],
      [`me ${verb} para`, 'set me to'],
      [`${verb} em`, 'set to'],
      [`me ${verb} em`, 'set me to'],
    ]),
    ['meu status para', 'my status to'],
    ['meu status como', 'my status as'],
    ['o status para', 'status to'],
    ['o status como', 'status as'],
    ['status para', 'status to'],
    ['minha presença para', 'my presence to'],
    ['presença', 'presence'],
    ['o status', 'status'],
    ['meu', 'my'],
    ['minha', 'my'],
    // Fillers after reset and status, and politeness.
    ['agora', 'now'],
    ['tudo', 'everything'],
    ['de novo', 'again'],
    ['novamente', 'again'],
    ['por favor', 'please'],
    ['por gentileza', 'please'],
    ['pfv', 'please'],
    ['pf', 'please'],
    ['porfa', 'please'],
    ['obrigado', 'thanks'],
    ['obrigada', 'thanks'],
    ['brigado', 'thanks'],
    ['obg', 'thanks'],
    ['valeu', 'thanks'],
    ['vlw', 'thanks'],
  ],
  rewrites: [
    // "tô ocupado", "eu tô em call": only with its accent, since "to" is English.
    rewrite(`${START}(?:eu\\s+)?tô${END}`, "i'm"),
    // "lembrete de 5 min": the "de" of a reminder's lead.
    rewrite(`${START}(lembretes?|lembrar|me lembre|me lembra|me avise)\\s+de\\s+(?=\\d)`, '$1 '),
    // "entre 14h e 16h": a range.
    rewrite(`${START}entre\\s+(\\S+)\\s+e\\s+(?=\\d)`, 'from $1 to '),
    // The first time of a range: "9h-11h", "14h30 às 16h", "14:30h - 16h".
    rewrite(`${START}(\\d{1,2}:\\d{2})${HOUR_MARK}${END}${RANGE_AFTER}`, '$1'),
    rewrite(`${START}(\\d{1,2})${HOUR_MARK}(\\d{2})(?:\\s?min)?${END}${RANGE_AFTER}`, '$1:$2'),
    rewrite(`${START}(\\d{1,2})${HOUR_MARK}${END}${RANGE_AFTER}`, '$1:00'),
    // A time after "até", "às", "das", a day or a dash: "até 17h", "até 17h30", "amanhã 9h", "até as 17 horas".
    rewrite(`${CLOCK_BEFORE}(\\d{1,2}:\\d{2})${HOUR_MARK}${END}`, '$1'),
    rewrite(`${CLOCK_BEFORE}(\\d{1,2})${HOUR_MARK}(\\d{2})(?:\\s?min)?${END}`, '$1:$2'),
    rewrite(`${CLOCK_BEFORE}(\\d{1,2})${HOUR_MARK}${END}`, '$1:00'),
    // Anywhere else "1:30h" is a span, as Brazilians write it: 1h30.
    rewrite(`${START}(\\d{1,2}):(\\d{2})\\s?(?:h|hs|hrs?)${END}`, '$1h$2'),
    // "5 da tarde", "9h da noite", "8 da manhã"; "12 da noite" is midnight.
    rewrite(`${START}12(?::00)?(?:${HOUR_MARK})?\\s+da\\s+noite${END}`, 'midnight'),
    rewrite(`${START}(\\d{1,2}(?::\\d{2})?)(?:${HOUR_MARK})?\\s+da\\s+(?:tarde|noite)${END}`, '$1pm'),
    rewrite(`${START}(\\d{1,2}(?::\\d{2})?)(?:${HOUR_MARK})?\\s+da\\s+manh[aã]${END}`, '$1am'),
    // "das 14:00", "de 9 às 11", "a partir das 14:00": the start of a range. Not "de" before a span ("lembrete de 5 min").
    rewrite(
      `${START}(?:a\\s+partir\\s+d(?:as?|e)|das?|de)\\s+(?=\\d{1,2}:\\d{2}|\\d{1,2}\\s?[ap]m|${TIME}(?:\\s*[-–—]|\\s+(?:[aà]s?|à|at[eé]|por|durante)\\s))`,
      'from ',
    ),
    // "14:00 às 16:00", "9 a 11": the separator of a range.
    rewrite(`${START}(${TIME})\\s+(?:[aà]s?|à)\\s+(?=\\d)`, '$1 to '),
    // "às 14:00 por 1h", "até amanhã às 9:00": "at", which the parser skips.
    rewrite(`${START}(?:[aà]s|à)\\s+(?=\\d)`, 'at '),
    // "2hs" is 2h.
    rewrite(`${START}(\\d+(?:\\.\\d+)?)\\s?hs${END}`, '$1h'),
    // "uma hora e meia", "1h e 30", "2 horas e quinze minutos": "and" only between parts of a span.
    rewrite(`${UNIT_BEFORE}\\s+e\\s+mei[ao]${END}`, ' and a half'),
    rewrite(`${UNIT_BEFORE}\\s+e\\s+(?=\\d|${NUMBER_WORD}${END})`, ' and '),
  ],
};

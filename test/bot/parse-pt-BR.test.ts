/**
 * The chat command parser in Brazilian Portuguese (language 'pt-BR'), one row per phrasing: the text, the context
 * (fixed now, optional time zone) and the exact result. Durations to end times are worked out by hand in the comments.
 */
import assert from 'node:assert/strict';
import { parseCommand } from '../../bot/parse';
import { ptBR as messages } from '../../bot/messages/pt-BR';
import { ptBR } from '../../bot/words/pt-BR';
import type { CommandKey } from '../../bot/words/catalog';
import { fold } from '../../bot/words/translate';
import {
  DAY,
  HOUR,
  MIN,
  badDuration,
  badReminder,
  badSchedule,
  is,
  outOfRange,
  passed,
  plan,
  remind,
  row,
  schedulePassed,
  set,
  tooFar,
  type Row,
  unknown,
  commandOf,
} from './rows';

/** Thursday 2026-01-15 15:00 UTC; 12:00 in São Paulo (UTC-3, no daylight saving), 07:00 in Los Angeles, 20:30 in Kolkata. */
const NOW = '2026-01-15T15:00:00.000Z';
const SAO_PAULO = { timeZone: 'America/Sao_Paulo' };

const ROWS: readonly Row[] = [
  // Every state in Teams' words and in the ways people type them, bare: the service applies its default.
  row('não incomodar', set('DoNotDisturb')),
  row('nao incomodar', set('DoNotDisturb')), // accents are optional
  row('Não perturbe', set('DoNotDisturb')),
  row('ocupado', set('Busy')),
  row('Ocupada', set('Busy')),
  row('em reunião', set('Busy')),
  row('disponível', set('Available')),
  row('disponivel', set('Available')),
  row('livre', set('Available')),
  row('volto logo', set('BeRightBack')),
  row('já volto', set('BeRightBack')),
  row('ausente', set('Away')),
  row('almoço', set('Away')), // like "lunch": Away with Teams' default
  row('aparecer offline', set('AppearOffline')),
  row('invisível', set('AppearOffline')),
  row('em chamada', set('InACall')),
  row('em uma chamada', set('InACall')),
  row('em conferência', set('InAConferenceCall')),
  row('em uma chamada em conferência 1h', set('InAConferenceCall', HOUR)), // the longest phrase, not "em uma chamada"
  row('apresentando', set('Presenting')),

  // Durations in words and in short forms. "Nh" after a state is hours, as in English.
  row('não incomodar 8h', set('DoNotDisturb', 8 * HOUR)),
  row('ocupado 2 horas', set('Busy', 2 * HOUR)),
  row('ocupado 30 min', set('Busy', 30 * MIN)),
  row('ausente 45 minutos', set('Away', 45 * MIN)),
  row('ocupado uma hora', set('Busy', HOUR)),
  row('ocupado duas horas', set('Busy', 2 * HOUR)),
  row('ausente meia hora', set('Away', 30 * MIN)),
  row('não incomodar uma hora e meia', set('DoNotDisturb', 90 * MIN)),
  row('ocupado 1 hora e 30 minutos', set('Busy', 90 * MIN)),
  row('ocupado 1h30', set('Busy', 90 * MIN)),
  row('ocupado 1:30h', set('Busy', 90 * MIN)), // a span as Brazilians write it, not a time of day
  row('ocupado 2hs', set('Busy', 2 * HOUR)),
  row('ocupado por 2 horas', set('Busy', 2 * HOUR)),
  row('volto logo em 10 minutos', set('BeRightBack', 10 * MIN)),
  row('volto logo daqui a 15 min', set('BeRightBack', 15 * MIN)),
  row('aparecer offline 2 dias', set('AppearOffline', 2 * DAY)),
  row('ausente 1 semana', set('Away', 7 * DAY)),
  row('ocupado meio dia', set('Busy', 4 * HOUR)), // half a working day; "meio-dia" is noon
  row('ocupado quarenta e cinco minutos', set('Busy', 45 * MIN)),
  row('ocupado 17h', set('Busy', 17 * HOUR)), // without "até" it is a span
  row('ocupado 8 dias', outOfRange('Busy')),
  row('em chamada 25h', outOfRange('InACall')),
  row('em chamada 2 minutos', outOfRange('InACall')),
  row('ocupado banana', badDuration('Busy', 'banana')),

  // End times, UTC (now 15:00): "Nh" after "até", "às" or a day is a time of day.
  row('ocupado até 17h', set('Busy', 2 * HOUR)),
  row('ocupado até 17h30', set('Busy', 2.5 * HOUR)),
  row('Ocupado ATÉ AS 17H', set('Busy', 2 * HOUR)),
  row('ocupado até às 17:00', set('Busy', 2 * HOUR)),
  row('ocupado até 5 da tarde', set('Busy', 2 * HOUR)),
  row('não incomodar até amanhã 9h', set('DoNotDisturb', 18 * HOUR)),
  row('não incomodar até amanhã às 8h30', set('DoNotDisturb', 17.5 * HOUR)),
  row('ocupado até a meia-noite', set('Busy', 9 * HOUR)),
  row('ocupado até meio-dia', set('Busy', 21 * HOUR)), // noon has passed: tomorrow's
  row('ocupado até o fim do dia', set('Busy', 2 * HOUR)), // 17:00
  row('ocupado o dia todo', set('Busy', 2 * HOUR)),
  row('ocupado até 25h', badDuration('Busy')),
  row('ocupado até o almoço', passed('Busy')), // 12:00 has passed today
  row('ocupado até o almoço', set('Busy', 5 * HOUR), { timeZone: 'America/Los_Angeles' }), // 07:00 there
  row('não incomodar até o fim do dia', passed('DoNotDisturb'), { timeZone: 'Asia/Kolkata' }), // 20:30 there
  // In São Paulo (12:00 now): 17:00 is 5 hours away; tomorrow 09:00 BRT is 12:00 UTC on Friday.
  row('ocupado até 17h', set('Busy', 5 * HOUR), SAO_PAULO),
  row('não incomodar até amanhã 9h', set('DoNotDisturb', 21 * HOUR), SAO_PAULO),

  // A named day ends at 09:00, the next such day after today (today is Thursday).
  row('não incomodar até segunda', set('DoNotDisturb', 90 * HOUR)), // Monday 01-19 09:00
  row('não incomodar até segunda-feira 14h', set('DoNotDisturb', 95 * HOUR)),
  row('ausente até a próxima semana', set('Away', 90 * HOUR)),
  row('ausente até semana que vem', set('Away', 90 * HOUR)),
  row('ausente até sexta', set('Away', 18 * HOUR)),
  row('não incomodar até quinta', set('DoNotDisturb', 162 * HOUR)), // a week away, less 6 hours

  // Planned statuses: a day and a range, "das … às …", "às … por …". Tomorrow is Friday 01-16.
  row('não incomodar amanhã 9h-11h', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('não incomodar amanhã das 9h às 11h', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('ocupado amanhã 9 às 11', plan('Busy', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('ocupado segunda das 14h às 16h', plan('Busy', '2026-01-19T14:00Z', '2026-01-19T16:00Z')),
  row('ocupado amanhã 14h por 2 horas', plan('Busy', '2026-01-16T14:00Z', '2026-01-16T16:00Z')),
  row('ocupado das 16h às 17h', plan('Busy', '2026-01-15T16:00Z', '2026-01-15T17:00Z')),
  row('ocupado entre 16h e 17h', plan('Busy', '2026-01-15T16:00Z', '2026-01-15T17:00Z')),
  row('não incomodar a partir das 16h por 1h', plan('DoNotDisturb', '2026-01-15T16:00Z', '2026-01-15T17:00Z')),
  row('ocupado das 14h às 16h', set('Busy', HOUR)), // begun at 14:00: set now until 16:00
  row('ocupado das 14h às 16h', plan('Busy', '2026-01-15T17:00Z', '2026-01-15T19:00Z'), SAO_PAULO), // 14:00 BRT
  row('ocupado 9h-11h', schedulePassed('Busy')),
  row('não incomodar amanhã 16h-14h', badSchedule('DoNotDisturb')),
  row('não incomodar quinta 16h-17h', tooFar('DoNotDisturb')), // 7 days 1 hour ahead

  // Status messages: quoted (never translated), or unquoted words after the duration, as typed.
  row('não incomodar 2h "foco total"', set('DoNotDisturb', 2 * HOUR, 'foco total')),
  row('ocupado "Reunião até tarde" 1h', set('Busy', HOUR, 'Reunião até tarde')),
  row('ocupado até 17h "Revisão do contrato"', set('Busy', 2 * HOUR, 'Revisão do contrato')),
  row('não incomodar 2h Escrevendo relatório', set('DoNotDisturb', 2 * HOUR, 'Escrevendo relatório')),
  row('não incomodar amanhã 9h-11h "Prova"', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z', 'Prova')),

  // Reset, status, help, with the words that may follow them.
  row('redefinir', is('reset')),
  row('redefinir meu status', is('reset')),
  row('limpar status', is('reset')),
  row('voltar ao normal', is('reset')),
  row('status', is('status')),
  row('estado', is('status')),
  row('qual é o meu status?', is('status')),
  row('status agora', is('status')),
  row('ajuda', is('help')),
  row('me ajuda', is('help')),

  // Reminders, forgetting, the schedule and cancel.
  row('lembrete', remind()),
  row('lembrete 5 min', remind(5 * MIN)),
  row('me lembre 15 minutos antes', remind(15 * MIN)),
  row('lembrete de 5 minutos', remind(5 * MIN)),
  row('lembrete desligado', remind(null)),
  row('desativar lembretes', remind(null)),
  row('lembrete ligado', remind(10 * MIN)),
  row('lembrete 2 horas', badReminder),
  row('lembrete até 17h', badReminder),
  row('apagar meus dados', is('forget')),
  row('me esqueça', is('forget')),
  row('agenda', is('listSchedule')),
  row('o que está planejado?', is('listSchedule')),
  row('cancelar', is('cancelScheduled')),
  row('cancelar o próximo', is('cancelScheduled')),
  row('cancelar por favor', is('cancelScheduled')),

  // Requests and politeness.
  row('estou ocupado', set('Busy')),
  row('estou em reunião até 17h', set('Busy', 2 * HOUR)),
  row('tô em call', set('InACall')),
  row('me coloca como ausente', set('Away')),
  row('mude meu status para não incomodar 2h', set('DoNotDisturb', 2 * HOUR)),
  row('ocupado 2h por favor', set('Busy', 2 * HOUR)),
  row('⛔ 30 min', set('DoNotDisturb', 30 * MIN)),

  // English commands still work for a Brazilian user: people copy them from help pages.
  row('dnd 8h', set('DoNotDisturb', 8 * HOUR)),
  row('busy until 5pm', set('Busy', 2 * HOUR)),
  row('dnd tomorrow 9-11', plan('DoNotDisturb', '2026-01-16T09:00Z', '2026-01-16T11:00Z')),
  row('set me to away', set('Away')),
  row('remind off', remind(null)),
  row('reset', is('reset')),
  row('help', is('help')),
  row('forget me', is('forget')),

  // Near misses suggest the canonical Portuguese word, with the rest when that parses; English ones the English word.
  row('ocupdo 2h', unknown('ocupado 2h')),
  row('nao incomodr', unknown('não incomodar')),
  row('disponivl 1h', unknown('disponível 1h')),
  row('ausnte', unknown('ausente')),
  row('redefinr', unknown('redefinir')),
  row('ajdua', unknown('ajuda')),
  row('dnf 8h', unknown('dnd 8h')),
  row('olá', unknown()),
  row('banana', unknown()),
  // An unquoted message is kept as typed, though "reunião" and "até" are words of the list.
  row('ocupado 1h reunião com cliente', set('Busy', HOUR, 'reunião com cliente')),
  row('não perturbe 2h trabalhando até tarde', set('DoNotDisturb', 2 * HOUR, 'trabalhando até tarde')),
  // What follows a quoted message is still read.
  row('ocupado "foco" 1 hora', set('Busy', HOUR, 'foco')),
  // A command word typed right with words that do not follow it: no "did you mean" (not even English's "cancel").
  row('cancelar tudo', unknown()),
  row('status ocupado', unknown()),
];

describe('parseCommand in Brazilian Portuguese', () => {
  it('has a table of at least 60 phrasings', () => {
    assert.ok(ROWS.length >= 60, `${ROWS.length} rows`);
  });

  for (const { text, want, now = NOW, timeZone } of ROWS) {
    const where = [now === NOW ? '' : `at ${now}`, timeZone === undefined ? '' : `in ${timeZone}`].filter(Boolean).join(' ');
    it(`${JSON.stringify(text)}${where ? ` ${where}` : ''}`, () => {
      assert.deepStrictEqual(parseCommand(text, { now: new Date(now), timeZone, language: 'pt-BR' }), want);
    });
  }
});

describe('the Brazilian Portuguese words', () => {
  it('parse each canonical command word (commands[key][0]) to its command', () => {
    for (const [key, words] of Object.entries(ptBR.commands) as [CommandKey, readonly string[]][]) {
      assert.deepStrictEqual(parseCommand(words[0] ?? '', { now: new Date(NOW), language: 'pt-BR' }), { ok: true, command: commandOf(key) }, words[0]);
    }
  });

  it('parse every command word, not only the canonical one, to its command', () => {
    for (const [key, words] of Object.entries(ptBR.commands) as [CommandKey, readonly string[]][]) {
      for (const word of words)
        assert.deepStrictEqual(parseCommand(word, { now: new Date(NOW), language: 'pt-BR' }), { ok: true, command: commandOf(key) }, word);
    }
  });

  it('hold no word twice (accents folded): a second entry would silently replace the first', () => {
    const all = [...Object.values(ptBR.commands).flat(), ...ptBR.words.map(([from]) => from)].map((w) => fold(w).replace(/\s+/g, ' '));
    const twice = all.filter((w, i) => all.indexOf(w) !== i);
    assert.deepStrictEqual(twice, []);
  });

  it("parse every command of the help card's examples", () => {
    for (const [typed] of messages.help.examples) {
      for (const text of typed.split(' · ')) {
        const parsed = parseCommand(text, { now: new Date(NOW), timeZone: 'America/Sao_Paulo', language: 'pt-BR' });
        assert.ok(parsed.ok, `${text}: ${JSON.stringify(parsed)}`);
      }
    }
  });
});

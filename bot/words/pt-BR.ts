import type { ParserWords } from './catalog';

/** Brazilian Portuguese: Teams' own words first (Ocupado, Não incomodar, Volto logo, Ausente, Aparecer offline). */
export const ptBR: ParserWords = {
  commands: {
    dnd: ['não incomodar', 'não perturbe', 'nao perturbe'],
    busy: ['ocupado', 'ocupada', 'em reunião'],
    available: ['disponível'],
    brb: ['volto logo', 'já volto'],
    away: ['ausente'],
    offline: ['aparecer offline', 'offline'],
    call: ['em chamada', 'em uma chamada', 'chamada'],
    conference: ['em conferência', 'conferência'],
    presenting: ['apresentando'],
    reset: ['redefinir', 'limpar'],
    status: ['status', 'estado'],
    remind: ['lembrar', 'lembrete', 'lembretes'],
    'forget me': ['esquecer-me', 'esqueça-me', 'apagar meus dados'],
    schedule: ['agenda', 'agendados', 'planejados'],
    cancel: ['cancelar'],
    help: ['ajuda'],
  },
  words: [
    ['horas', 'hours'],
    ['hora', 'hour'],
    ['minutos', 'minutes'],
    ['minuto', 'minute'],
    ['dias', 'days'],
    ['dia', 'day'],
    ['até', 'until'],
    ['amanhã', 'tomorrow'],
    ['hoje', 'today'],
    ['por', 'for'],
  ],
};

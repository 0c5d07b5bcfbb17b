import { parseCommand } from '../work/main/bot/parse';
const now = new Date('2026-11-25T10:00:00Z');
for (const t of ['ocupado 2h', 'não perturbe 8 horas', 'nao perturbe por 30 minutos', 'ocupdo 2h', 'dnd 8h', 'dnf 8h', 'ocupado 2h "reunião até tarde"', 'Disponível 1 hora', 'xyz'])
  console.log(t, JSON.stringify(parseCommand(t, { now, timeZone: 'America/Sao_Paulo', language: 'pt-BR' })));

import { listIn, type Labels } from './labels';
import { countOf } from './plural';

/** Brazilian Portuguese, with the labels Teams shows in pt-BR (Disponível, Ocupado, Não incomodar, Volto logo, Ausente, Aparecer offline). */
export const labels: Labels = {
  language: 'pt-BR',
  stateLabel: {
    Available: 'Disponível',
    Busy: 'Ocupado',
    DoNotDisturb: 'Não incomodar',
    BeRightBack: 'Volto logo',
    Away: 'Ausente',
    AppearOffline: 'Aparecer offline',
    InACall: 'Em uma chamada',
    InAConferenceCall: 'Em uma chamada em conferência',
    Presenting: 'Apresentando',
  },
  availability: {
    'Available/Available': 'Disponível',
    'Available/AvailableInactive': 'Disponível (inativo)',
    'AvailableIdle/Available': 'Disponível (ocioso)',
    'Busy/Busy': 'Ocupado',
    'Busy/InACall': 'Em uma chamada',
    'Busy/InAConferenceCall': 'Em uma chamada em conferência',
    'Busy/InAMeeting': 'Em uma reunião',
    'BusyIdle/Busy': 'Ocupado (ocioso)',
    'DoNotDisturb/DoNotDisturb': 'Não incomodar',
    'DoNotDisturb/Presenting': 'Apresentando',
    'DoNotDisturb/UrgentInterruptionsOnly': 'Somente interrupções urgentes',
    'BeRightBack/BeRightBack': 'Volto logo',
    'Away/Away': 'Ausente',
    'Away/OutOfOffice': 'Fora do escritório',
    'Offline/OffWork': 'Aparecer offline',
    'Offline/Offline': 'Offline',
    'Offline/OutOfOffice': 'Fora do escritório',
  },
  unknownAvailability: 'Desconhecido',
  durations: {
    minutes: (n) => countOf('pt-BR', n, { one: 'minuto', other: 'minutos' }),
    hours: (n) => countOf('pt-BR', n, { one: 'hora', other: 'horas' }),
    days: (n) => countOf('pt-BR', n, { one: 'dia', other: 'dias' }),
  },
  list: (items) => listIn('pt-BR', items),
};

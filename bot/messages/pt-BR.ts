import type { BotMessages } from './catalog';
import { en } from './en';

/** Placeholder until translated. */
export const ptBR: BotMessages = en;

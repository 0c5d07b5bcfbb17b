import type { BotMessages } from './catalog';
import { en } from './en';

/** Placeholder until translated. */
export const ru: BotMessages = en;

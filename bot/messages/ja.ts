import type { BotMessages } from './catalog';
import { en } from './en';

/** Placeholder until translated. */
export const ja: BotMessages = en;

import type { TabMessages } from './catalog';
import { en } from './en';

/** Placeholder until translated. */
export const ru: TabMessages = en;

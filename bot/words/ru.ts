import type { ParserWords } from './catalog';
import { ptBR } from './pt-BR';

/** Placeholder until written. */
export const ru: ParserWords = ptBR;

/** What is wrong with one part of a tab API request. The message catalog turns it into a sentence. */
export type Problem =
  | { readonly kind: 'required' }
  | { readonly kind: 'unknown'; readonly allowed: readonly string[] }
  | { readonly kind: 'type'; readonly expected: 'string' | 'wholeNumber' | 'object' }
  | { readonly kind: 'state' }
  | { readonly kind: 'conflict'; readonly with: string }
  | { readonly kind: 'format' }
  | { readonly kind: 'past' }
  | { readonly kind: 'range'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'tooLong'; readonly max: number }
  | { readonly kind: 'reminderLead'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'tooLarge'; readonly maxBytes: number }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'mediaType' }
  | { readonly kind: 'notAllowed' }
  | { readonly kind: 'value' };

/** A malformed request, found before the presence service is called: always `invalid_request`. */
export class RequestProblem extends Error {
  constructor(
    readonly field: string,
    readonly problem: Problem,
  ) {
    super(`invalid request: ${problem.kind}`);
    this.name = 'RequestProblem';
  }

  get status(): number {
    if (this.problem.kind === 'tooLarge') return 413;
    if (this.problem.kind === 'mediaType') return 415;
    return 400;
  }
}

/** In-process micro-benchmarks: the command parser, and the app's own token work on a cached versus an uncached turn. */
import { importJWK } from 'jose';
import { parseCommand } from '../bot/parse';
import type { Language } from '../i18n/languages';
import { GraphTokenBroker } from '../presence/tokens/broker';
import type { Identity } from '../presence/tokens/identity';
import { SsoTokenValidator } from '../presence/tokens/sso-validator';
import { SandboxIssuer } from '../sandbox/identity/issuer';
import { SANDBOX_APP_ID } from '../server/config';
import { benchTenantId, benchUserId } from './protocol';

/** What people type: every command form in the README, with durations, end times, messages, mentions, near misses and nonsense. */
const PHRASINGS: readonly string[] = [
  'dnd 8h',
  'do not disturb 2 hours',
  'DND 8H!',
  '<at>Presence</at> dnd 1h',
  'dnd 2h "deep work"',
  'dnd 90',
  'dnd for 2h',
  'busy 30m',
  'busy until 5pm',
  'busy till 5:30 pm',
  'busy until 17:00',
  'dnd until tomorrow 9am',
  'busy 1h 30m',
  'available 1h30m',
  'online 45 minutes',
  'free for 2h',
  'brb 15m',
  'be right back 10 min',
  'away 1.5h',
  'appear away 2 hours',
  'offline 4h',
  'appear offline',
  'call 1h',
  'in a call 30m',
  'conference 2h',
  'in a conference call 1h',
  'presenting 45m',
  'reset',
  'reset my status please',
  'clear',
  'status',
  'help',
  '?',
  'dnf 2h',
  'bussy',
  'hello there',
  'call 8h',
  'dnd -5m',
  // The phrasings people type that the parser reads since issue 11, and near misses that name what was not read.
  'set me to away',
  'out to lunch',
  'in a meeting',
  '🔴 dnd 1h',
  'busy 3:30pm',
  'brb in 10',
  'dnd until monday',
  'offline till tomorrow',
  'dnd 8h focus',
  "dnd 1h 'focus'",
  'busy for half a day',
  'busy till eod',
  'brb until lunch',
  "what's my status",
  'dnd 8 hous',
  'busy at 3pm',
];

/** The same kinds of command as their speakers type them, each read with its language's words first (bot/words). */
const LOCALIZED: readonly (readonly [Language, string])[] = [
  ['pt-BR', 'ocupado 2h'],
  ['pt-BR', 'não perturbe até 17h'],
  ['pt-BR', 'nao perturbe 8 horas'],
  ['pt-BR', 'volto logo 15 min "almoço"'],
  ['pt-BR', 'redefinir'],
  ['pt-BR', 'ocupdo 2h'],
  ['ja', '取り込み中 2時間'],
  ['ja', '応答不可 17時まで'],
  ['ja', '取り込み中２時間'],
  ['ja', 'dnd 8h'],
  ['ru', 'занят 2 часа'],
  ['ru', 'не беспокоить 8 часов'],
  ['ru', 'не беспокоить до 17:00'],
  ['ru', 'сброс'],
];

export interface Rate {
  readonly perSecond: number;
  readonly microsEach: number;
}

function rate(fn: (i: number) => void, durationMs: number): Rate {
  for (let i = 0; i < 2_000; i++) fn(i); // warm up the JIT
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (let j = 0; j < 256; j++) fn(n++);
    now = performance.now();
  }
  const seconds = (now - start) / 1000;
  return { perSecond: n / seconds, microsEach: (seconds * 1e6) / n };
}

async function rateAsync(fn: (i: number) => Promise<unknown>, durationMs: number): Promise<Rate> {
  for (let i = 0; i < 200; i++) await fn(i);
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) await fn(n++);
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: n / seconds, microsEach: (seconds * 1e6) / n };
}

export interface ParserResult {
  readonly phrasings: number;
  readonly overall: Rate;
  /** The three slowest phrasings, microseconds each. */
  readonly slowest: readonly { readonly text: string; readonly microsEach: number }[];
  /** Portuguese, Japanese and Russian phrasings, each in its speaker's language. */
  readonly localized: Rate & { readonly phrasings: number };
}

export function parserBench(durationMs: number): ParserResult {
  const context = { now: new Date('2025-06-02T16:00:00Z'), timeZone: 'America/Los_Angeles' };
  const overall = rate((i) => parseCommand(PHRASINGS[i % PHRASINGS.length] ?? '', context), durationMs);
  const each = PHRASINGS.map((text) => ({ text, microsEach: rate(() => parseCommand(text, context), Math.max(5, durationMs / PHRASINGS.length)).microsEach }));
  const localized = rate((i) => {
    const [language, text] = LOCALIZED[i % LOCALIZED.length] ?? ['en', ''];
    parseCommand(text, { ...context, language });
  }, durationMs);
  return {
    phrasings: PHRASINGS.length,
    overall,
    slowest: each.sort((a, b) => b.microsEach - a.microsEach).slice(0, 3),
    localized: { ...localized, phrasings: LOCALIZED.length },
  };
}

export interface TokenPathResult {
  /** A returning user: the cache lookup (LRU refresh and expiry check) in a full 10,000-user cache. */
  readonly cachedLookup: Rate;
  /** A new user, the app's own share: validating the SSO token (RS256 signature, audience, issuer, expiry, scope). */
  readonly ssoValidation: Rate;
}

export async function tokenPathBench(durationMs: number): Promise<TokenPathResult> {
  const authorityHost = 'http://127.0.0.1:9/sandbox/identity';
  const issuer = await SandboxIssuer.create({ authorityHost, clientId: SANDBOX_APP_ID, clientSecret: 'bench' });
  const jwk = issuer.jwks().keys[0];
  if (!jwk) throw new Error('sandbox issuer has no key');
  const key = await importJWK(jwk, 'RS256');
  const validator = new SsoTokenValidator({ clientId: SANDBOX_APP_ID, authorityHost, keys: () => key });
  const users: Identity[] = Array.from({ length: 10_000 }, (_, i) => ({ userId: benchUserId(i), tenantId: benchTenantId(i % 100) }));
  const graphToken = await issuer.issueSsoToken({ userId: 'x', tenantId: 'y' }); // a JWT of realistic length
  // The lookup is what is measured; filling the cache does not need real SSO tokens.
  const broker = new GraphTokenBroker({
    validator: { validate: (token) => Promise.resolve({ identity: users[Number(token)] as Identity, expiresAt: new Date(Date.now() + 3600_000) }) },
    exchanger: { exchange: () => Promise.resolve({ accessToken: graphToken, expiresAt: Date.now() + 3600_000 }) },
    cacheSize: users.length,
  });
  for (let i = 0; i < users.length; i++) await broker.fromSso(String(i));
  const ssoTokens = await Promise.all(users.slice(0, 100).map((u) => issuer.issueSsoToken(u)));
  const cachedLookup = rate((i) => {
    if (!broker.cached(users[(i * 7919) % users.length] as Identity)) throw new Error('expected a cached token');
  }, durationMs);
  const ssoValidation = await rateAsync((i) => validator.validate(ssoTokens[i % ssoTokens.length] ?? ''), durationMs);
  return { cachedLookup, ssoValidation };
}

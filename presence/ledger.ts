import type { StateName } from './model';
import { identityKey, type Identity } from './tokens/identity';
import { LruMap } from './tokens/lru';

/** What this app set for a user, and until when. Graph does not report expiry times, so the app remembers its own. */
export interface AppSetting {
  readonly state: StateName;
  readonly expiresAt: Date;
  readonly statusMessage?: string;
}

export interface LedgerEntry {
  readonly preferred?: AppSetting;
  readonly session?: AppSetting;
}

/** In-memory and bounded; with several instances it belongs in shared storage (see README, running at scale). */
export class PresenceLedger {
  private readonly entries: LruMap<LedgerEntry>;

  constructor(capacity: number, private readonly now: () => number) {
    this.entries = new LruMap(capacity);
  }

  get(identity: Identity): LedgerEntry {
    const entry = this.entries.get(identityKey(identity)) ?? {};
    const live = (s?: AppSetting) => (s && s.expiresAt.getTime() > this.now() ? s : undefined);
    return { preferred: live(entry.preferred), session: live(entry.session) };
  }

  update(identity: Identity, change: Partial<Record<keyof LedgerEntry, AppSetting | null>>): void {
    const next: { preferred?: AppSetting; session?: AppSetting } = { ...this.get(identity) };
    for (const key of ['preferred', 'session'] as const) {
      const value = change[key];
      if (value === null) delete next[key];
      else if (value) next[key] = value;
    }
    this.entries.set(identityKey(identity), next);
  }
}

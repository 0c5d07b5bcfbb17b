import { LruMap } from './tokens/lru';

/** Graph's presence limit is per app per tenant: 10,000 requests per 30 seconds (the seeds). */
export interface TenantLimits {
  readonly requests: number;
  readonly windowMs: number;
}

/**
 * This instance's view of each tenant's Graph budget: a sliding window of the calls it made, in ten slots.
 * A command that would take the tenant past its budget is refused here (throttled, with the seconds until
 * the window has room) instead of being sent to be refused by Graph; and once Graph answers a tenant's call
 * with 429, that tenant's commands wait out its Retry-After here, without reaching Graph at all.
 * With several instances, give each its share (`requests` divided by the instance count).
 */
export class TenantBudget {
  private readonly tenants = new LruMap<{ counts: number[]; slot: number; heldUntil: number }>(10_000);
  private readonly slotMs: number;

  constructor(
    private readonly limits: TenantLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.slotMs = limits.windowMs / SLOTS;
  }

  /** Counts `calls` for the tenant and returns 0, or returns the whole seconds to wait (nothing counted). */
  admit(tenantId: string, calls: number): number {
    const now = this.now();
    const tenant = this.advance(tenantId, now);
    if (tenant.heldUntil > now) return Math.max(1, Math.ceil((tenant.heldUntil - now) / 1000));
    const used = tenant.counts.reduce((sum, n) => sum + n, 0);
    if (used + calls > this.limits.requests) {
      // Room comes back when the oldest counted slot leaves the window.
      const oldest = tenant.counts.reduce((last, n, i) => (n > 0 ? i : last), 0);
      const leavesAt = (tenant.slot - oldest + SLOTS) * this.slotMs;
      return Math.max(1, Math.ceil((leavesAt - now) / 1000));
    }
    tenant.counts[0] = (tenant.counts[0] ?? 0) + calls;
    return 0;
  }

  /** Graph throttled this tenant: hold its commands for `retryAfterSeconds`. */
  throttled(tenantId: string, retryAfterSeconds: number): void {
    const now = this.now();
    const tenant = this.advance(tenantId, now);
    tenant.heldUntil = Math.max(tenant.heldUntil, now + retryAfterSeconds * 1000);
  }

  /** The calls counted for the tenant in the current window. */
  used(tenantId: string): number {
    return this.advance(tenantId, this.now()).counts.reduce((sum, n) => sum + n, 0);
  }

  /** Moves the tenant's window to `now`: slot 0 is the current slot, slot SLOTS-1 the oldest still counted. */
  private advance(tenantId: string, now: number): { counts: number[]; slot: number; heldUntil: number } {
    const slot = Math.floor(now / this.slotMs);
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { counts: new Array<number>(SLOTS).fill(0), slot, heldUntil: 0 };
      this.tenants.set(tenantId, tenant);
    }
    const moved = Math.min(SLOTS, Math.max(0, slot - tenant.slot));
    if (moved > 0) {
      tenant.counts = [...new Array<number>(moved).fill(0), ...tenant.counts.slice(0, SLOTS - moved)];
      tenant.slot = slot;
    }
    return tenant;
  }
}

const SLOTS = 10;

/** Graph's documented limit, less a tenth for what Graph counts that this instance cannot see. */
export const DEFAULT_TENANT_LIMITS: TenantLimits = { requests: 9_000, windowMs: 30_000 };

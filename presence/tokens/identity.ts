/** Who a request acts for, taken only from a validated token's `tid` and `oid` claims. */
export interface Identity {
  readonly tenantId: string;
  readonly userId: string;
}

export function identityKey(identity: Identity): string {
  return `${identity.tenantId}:${identity.userId}`;
}

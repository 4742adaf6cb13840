// The event log's vocabulary: every licence state change is one of these.

export const EVENT_TYPES = [
  'license.created',
  'license.revoked',
  'license.reinstated',
  'license.expired',
  'license.updated',
  /** A new key replaced the old one, which no longer exists (data: previousLicenseKey). */
  'license.regenerated',
  'activation.created',
  'activation.removed',
  'violation.flagged',
  /** A payment provider's event for no product Seatkey knows (data: provider, type, ids); licenseKey and productId empty. */
  'payment.unmatched',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** events/{id} */
export interface EventRecord {
  id: string;
  type: EventType;
  creatorId: string;
  productId: string;
  licenseKey: string;
  /** What changed: the licence as presented, the activation, the violation. */
  data: Record<string, unknown>;
  createdAt: Date;
}

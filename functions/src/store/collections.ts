// Every collection Seatkey uses. Nothing outside store/ names a collection.
export const COLLECTIONS = {
  creators: 'creators',
  apiKeys: 'apiKeys',
  products: 'products',
  /** Document id: the canonical licence key, so a key lookup is one read. */
  licenses: 'licenses',
  /** Document id: a hash of (creatorId, purchaseId); makes a purchase idempotent. */
  purchases: 'purchases',
  /** The event log: every licence state change, written in the same commit as the change. */
  events: 'events',
  rateLimits: 'rateLimits',
  /** Discount and trial codes. Document id: a hash of (creatorId, upper-cased code). */
  discountCodes: 'discountCodes',
  /** One per (product, email) that redeemed a trial code. Document id: a hash of both. */
  trialClaims: 'trialClaims',
} as const;

/** Sub-collections, under the document named in the comment. */
export const SUB = {
  /** products/{productId}/variants */
  variants: 'variants',
  /** licenses/{licenseKey}/activations, document id: the fingerprint hash */
  activations: 'activations',
  /** licenses/{licenseKey}/violations */
  violations: 'violations',
  /** discountCodes/{id}/counters/uses: the code's use slots (store/codes.ts) */
  counters: 'counters',
} as const;

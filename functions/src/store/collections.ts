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
  /** Events not yet handed to the webhook queue (document id: the event id). */
  eventOutbox: 'eventOutbox',
  /** Buyer emails in the Trigger Email extension's format (document id: the licence key). */
  mail: 'mail',
  /** The sales ledger: one document per purchase, renewal and reversal, with a deterministic id. */
  sales: 'sales',
  /** Money paid out to creators (recordPayout). Document id: a hash of (creatorId, payoutId). */
  payouts: 'payouts',
  /** Running sales totals per creator, product, currency and day, month and year. */
  salesTotals: 'salesTotals',
  /** Refunds, disputes and cancellations that arrived before their purchase. */
  pendingPayments: 'pendingPayments',
  /** Products' publishable keys (`pk_live_…`), sent by shipped apps. Document id: the key itself (not a secret). */
  publishableKeys: 'publishableKeys',
  /** Creators' payment-webhook secrets; document id: the secret's SHA-256. */
  webhookSecrets: 'webhookSecrets',
  /** Creators' payment provider connections (store/paymentConnections.ts); document id: the connection id. */
  paymentConnections: 'paymentConnections',
  /** Each connection's signing secret, apart from it so that only the webhook path reads it. */
  paymentConnectionSecrets: 'paymentConnectionSecrets',
  /** A provider's customers (email) and the purchases waiting for one. Document id: hash of (connection, customer). */
  providerCustomers: 'providerCustomers',
  /** A provider's other ids for a purchase (payment intent, order). Document id: hash of (connection, id). */
  providerRefs: 'providerRefs',
  /** Creators' outbound webhook endpoints. */
  webhooks: 'webhooks',
  /** One document per licence expiry already announced (license.expired). */
  expiryNotices: 'expiryNotices',
  /** Document id: a Firebase Auth uid. The creator that person belongs to, and their role. */
  members: 'members',
  /** Invitations to join a creator, accepted when that email signs in. Document id: hash of (creatorId, email). */
  invites: 'invites',
  /** Where scheduled jobs keep their progress. */
  jobs: 'jobs',
  /** Document id: a key's `kid`. Every session-token signing key ever used, for the JWKS. */
  signingKeys: 'signingKeys',
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
  /** webhooks/{id}/deliveries, document id: a slot of the ring of recent deliveries */
  deliveries: 'deliveries',
  /** licenses/{licenseKey}/activity, one document `activations`: what the threat detectors read */
  activity: 'activity',
  /** licenses/{licenseKey}/seats/{0…9}: a licence without a seat limit counts its seats here (store/seatCounts.ts) */
  seats: 'seats',
} as const;

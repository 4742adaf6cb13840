// The shapes of successful replies, as zod schemas: what present.ts returns and the endpoints
// add. They describe; nothing parses a reply with them at run time. The OpenAPI document is built
// from them (openapi/document.ts) and the emulator tests check every reply they receive against
// that document, so a schema here that drifts from the code fails the tests that call it.
// Objects are loose: a client must ignore fields it does not know, so adding one is no break.
import { z } from 'zod';
import { CODE_TYPES } from '../domain/code.js';
import { EVENT_TYPES } from '../domain/events.js';
import { WEBHOOK_FORMATS } from '../domain/outbound.js';
import { PROVIDERS } from '../domain/paymentConnection.js';
import { LICENSE_STATUSES, REVOKE_REASONS } from '../domain/license.js';
import { LICENSE_TYPES, PRODUCT_STATUSES } from '../domain/product.js';

export const time = () => z.iso.datetime({ offset: true });
export const when = () => time().nullable();
export const count = () => z.number().int();

export const licenseStatus = z.enum([...LICENSE_STATUSES, 'grace']).meta({ id: 'LicenseStatus' });
const licenseType = z.enum(LICENSE_TYPES).meta({ id: 'LicenseType' });
const durationReply = z.object({ value: count(), unit: z.enum(['days', 'months', 'years']) }).nullable();

/** A licence's seats as client replies carry them (`maxMachines` -1: unlimited). */
export const seats = { machinesUsed: count(), maxMachines: count() };

/** A licence in grace or degraded: what the app should tell its user. */
export const warning = { warning: z.string().optional(), graceEndsAt: time().optional() };

export const productReply = z
  .looseObject({
    productId: z.string(),
    slug: z.string(),
    name: z.string(),
    status: z.enum(PRODUCT_STATUSES),
    active: z.boolean(),
    creatorId: z.string(),
    licenseType,
    maxMachines: count(),
    maxConcurrent: count(),
    heartbeatIntervalSeconds: count(),
    tokenTtlDays: count(),
    graceDays: count().nullable(),
    reminderDays: count(),
    requirePublishableKey: z.boolean(),
    portalEnabled: z.boolean(),
    supportEmail: z.string().nullable(),
    durationDays: count().nullable(),
    duration: durationReply,
    emailSubject: z.string().nullable(),
    emailFromName: z.string().nullable(),
    emailReplyTo: z.string().nullable(),
    emailInstructions: z.string().nullable(),
    createdAt: when(),
    updatedAt: when(),
  })
  .meta({ id: 'Product' });

export const variantReply = z
  .looseObject({
    variantId: z.string(),
    productId: z.string(),
    name: z.string(),
    licenseType: licenseType.nullable(),
    maxMachines: count().nullable(),
    maxConcurrent: count().nullable(),
    durationDays: count().nullable(),
    duration: durationReply,
    active: z.boolean(),
    graceDays: count().nullable(),
    licensesEnabled: z.boolean(),
    createdAt: when(),
    updatedAt: when(),
  })
  .meta({ id: 'Variant' });

export const apiKeyReply = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    creatorId: z.string(),
    prefix: z.string(),
    createdAt: when(),
    lastUsedAt: when(),
    revoked: z.boolean(),
    scopes: z.array(z.string()).nullable().meta({ description: 'null: every scope' }),
    mode: z.enum(['live', 'test']),
  })
  .meta({ id: 'ApiKey' });

const shownOnce = (what: string) => z.string().meta({ description: `${what}: shown once, in this reply only; only its hash is kept` });

/** A new API key (createApiKey, rotateApiKey): the key itself, shown only here. */
export const issuedApiKeyReply = z.looseObject({
  apiKey: shownOnce('The key'),
  id: z.string(),
  name: z.string(),
  creatorId: z.string(),
  scopes: z.array(z.string()).nullable().meta({ description: 'null: every scope' }),
  mode: z.enum(['live', 'test']),
});

/** A new payment-webhook secret (createWebhookSecret, rotateWebhookSecret), shown only here. */
export const issuedWebhookSecretReply = z.looseObject({ webhookSecret: shownOnce('The secret'), id: z.string(), name: z.string(), creatorId: z.string() });

/** A payment-webhook secret as listed: an API key's listing shape, with no scopes and no test mode. */
export const webhookSecretReply = apiKeyReply
  .extend({ scopes: z.null().meta({ description: 'Always null: a webhook secret has no scopes' }), mode: z.literal('live') })
  .meta({ id: 'WebhookSecret' });

/** A product's publishable key, whole: it is not a secret. */
export const publishableKeyReply = z
  .looseObject({ key: z.string(), productId: z.string(), mode: z.enum(['live', 'test']), creatorId: z.string(), createdAt: time(), revoked: z.boolean(), revokedAt: when() })
  .meta({ id: 'PublishableKey' });

const role = z.enum(['owner', 'member']);

/** The creator a signed-in person belongs to, and their role in it. */
export const accountReply = z
  .looseObject({ creatorId: z.string(), name: z.string(), keyPrefix: z.string(), role, createdAt: time() })
  .meta({ id: 'Account' });

export const memberReply = z.looseObject({ uid: z.string(), email: z.string(), role, joinedAt: time() }).meta({ id: 'Member' });

export const inviteReply = z.looseObject({ email: z.string(), role, createdAt: time() }).meta({ id: 'Invite' });

/** A creator's payment connection: never its signing secret (nor Gumroad's URL token). */
export const connectionReply = z
  .looseObject({
    id: z.string(),
    creatorId: z.string(),
    provider: z.enum(PROVIDERS),
    name: z.string(),
    products: z.array(z.looseObject({ match: z.string(), productId: z.string(), variant: z.string().optional() })),
    sellerId: z.string().nullable().meta({ description: 'Gumroad only; null for the others' }),
    webhookUrl: z.string().meta({ description: 'Where the provider sends its events (Gumroad\'s without its token)' }),
    createdAt: time(),
    updatedAt: time(),
  })
  .meta({ id: 'PaymentConnection' });

const eventType = z.enum(EVENT_TYPES).meta({ id: 'EventType' });

/** A creator's outbound webhook: never its secret, only its first characters. */
export const webhookReply = z
  .looseObject({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(eventType).meta({ description: 'Empty: every event' }),
    productId: z.string().nullable().meta({ description: 'null: every product of the creator' }),
    status: z.enum(['active', 'paused']),
    format: z.enum(WEBHOOK_FORMATS),
    pausedReason: z.enum(['failures', 'manual', 'gone']).nullable(),
    consecutiveFailures: count(),
    lastDeliveryAt: when(),
    lastStatus: count().nullable().meta({ description: 'The receiver\'s last HTTP status; null before the first delivery or when none came' }),
    secretPrefix: z.string(),
    previousSecretExpiresAt: when().meta({ description: 'Until when the secret it replaced still signs beside it' }),
    creatorId: z.string(),
    createdAt: time(),
    updatedAt: time(),
  })
  .meta({ id: 'Webhook' });

export const deliveryReply = z
  .looseObject({
    eventId: z.string(),
    event: eventType,
    attempt: count().min(1),
    status: count().nullable().meta({ description: 'The receiver\'s HTTP status; null when none came (timeout, refused, blocked)' }),
    ok: z.boolean(),
    error: z.string().nullable(),
    durationMs: count().min(0),
    at: time(),
  })
  .meta({ id: 'WebhookDelivery' });

export const eventReply = z
  .looseObject({
    id: z.string(),
    type: eventType,
    createdAt: time(),
    productId: z.string().meta({ description: 'Empty on payment.unmatched' }),
    licenseKey: z.string().meta({ description: 'Empty on payment.unmatched' }),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Event' });

export const payoutReply = z
  .looseObject({ creatorId: z.string(), payoutId: z.string(), amountCents: count(), currency: z.string(), paidAt: time(), note: z.string().nullable(), createdAt: time() })
  .meta({ id: 'Payout' });

/** A buyer email as composed (domain/buyerMail.ts). */
export const mailReply = { subject: z.string(), text: z.string(), html: z.string() };

/** A reply that is only the flag: the call did what it says. */
export const done = z.looseObject({});

export const licenseReply = z
  .looseObject({
    licenseKey: z.string(),
    key: z.string().meta({ description: 'The same value as licenseKey (CG clients read `key`).' }),
    email: z.string().nullable(),
    productId: z.string(),
    variant: z.string().nullable(),
    licenseType,
    status: licenseStatus,
    threatLevel: count().min(0).max(4),
    maxMachines: count().meta({ description: '-1: unlimited' }),
    maxConcurrent: count().nullable(),
    machinesUsed: count(),
    maxTransfers: count().nullable(),
    graceDays: count(),
    transfersUsed: count(),
    unresolvedViolationsCount: count(),
    expiresAt: when().meta({ description: 'null: perpetual' }),
    purchaseId: z.string().nullable(),
    purchasedAt: when(),
    bundleId: z.string().nullable(),
    unlockedProducts: z.array(z.string()),
    discountCode: z.string().nullable(),
    disputeReason: z.string().nullable(),
    revokeReason: z.enum(REVOKE_REASONS).nullable(),
    deactivated: z.boolean(),
    deactivatedAt: when(),
    trial: z.boolean(),
    imported: z.boolean(),
    sandbox: z.boolean(),
    activatedAt: when(),
    keyMasked: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    creatorId: z.string(),
    createdAt: when(),
    updatedAt: when(),
  })
  .meta({ id: 'License' });

export const activationReply = z
  .looseObject({
    activationId: z.string(),
    fingerprint: z.string(),
    hostname: z.string(),
    firstSeen: when(),
    lastSeen: when(),
    sessionActive: z.boolean(),
    leaseExpiresAt: when(),
    countries: z.array(z.string()),
    lastCountry: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    blocked: z.boolean(),
    blockedAt: when(),
  })
  .meta({ id: 'Activation' });

export const violationReply = z
  .looseObject({ id: z.string(), type: z.string(), severity: count().min(1).max(3), detectedAt: when(), resolved: z.boolean(), resolvedAt: when(), details: z.unknown() })
  .meta({ id: 'Violation' });

export const codeReply = z
  .looseObject({
    code: z.string(),
    type: z.enum(CODE_TYPES),
    productId: z.string().nullable(),
    trialDays: count().nullable(),
    percentOff: z.number().nullable(),
    amountOffCents: count().nullable(),
    maxUses: count().meta({ description: '-1: unlimited' }),
    usedCount: count(),
    active: z.boolean(),
    expiresAt: when(),
    creatorId: z.string(),
    createdAt: when(),
    updatedAt: when(),
  })
  .meta({ id: 'Code' });

const salesCounts = {
  unitsSold: count(),
  renewals: count(),
  refunds: count(),
  grossCents: count(),
  refundedCents: count(),
  platformFeeCents: count(),
};
const money = { ...salesCounts, netCents: count() };

export const statsReply = z.looseObject({
  from: z.string(),
  to: z.string(),
  productId: z.string().nullable(),
  platformFeePercent: z.number(),
  currency: z.string().nullable(),
  totals: z.looseObject({ ...money, licensesIssued: count(), activeMachines: count() }),
  byCurrency: z.record(z.string(), z.looseObject(money)),
  byProduct: z.array(
    z.looseObject({ ...money, productId: z.string(), licensesIssued: count(), currency: z.string().nullable(), byCurrency: z.record(z.string(), z.looseObject(money)) }),
  ),
  pendingPayoutCents: z.record(z.string(), count()),
});

/** The JWKS: Ed25519 public keys that verify session tokens offline. */
export const jwksReply = z
  .looseObject({ keys: z.array(z.looseObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string() })) })
  .meta({ id: 'Jwks' });

/** A licence as the OpenAPI document's examples show it. */
export const licenseExample = {
  licenseKey: 'ACME-7K2M-9QXP-4TRB-W8',
  key: 'ACME-7K2M-9QXP-4TRB-W8',
  email: 'buyer@example.com',
  productId: 'photo-app',
  variant: null,
  licenseType: 'per-machine',
  status: 'active',
  threatLevel: 0,
  maxMachines: 3,
  maxConcurrent: null,
  machinesUsed: 0,
  maxTransfers: null,
  graceDays: 0,
  transfersUsed: 0,
  unresolvedViolationsCount: 0,
  expiresAt: null,
  purchaseId: 'order-1042',
  purchasedAt: '2026-11-30T09:00:00.000Z',
  bundleId: null,
  unlockedProducts: [],
  discountCode: null,
  disputeReason: null,
  revokeReason: null,
  deactivated: false,
  deactivatedAt: null,
  trial: false,
  imported: false,
  sandbox: false,
  activatedAt: null,
  keyMasked: 'ACME-****-****-****-W8',
  metadata: {},
  creatorId: 'acme-studio',
  createdAt: '2026-11-30T09:00:00.000Z',
  updatedAt: '2026-11-30T09:00:00.000Z',
};

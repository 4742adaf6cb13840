// What the portal's endpoints share: how a licence is named (its ref, never its key) and how a
// buyer's licence is shown to them (docs/portal.md).
import { z } from 'zod';
import type { ActivationRecord } from '../domain/activation.js';
import { statusAt } from '../domain/license.js';
import { maskLicenseKey } from '../domain/licenseKey.js';
import { licenseRefOf } from '../domain/portal.js';
import { transfersWithin } from '../domain/transfers.js';
import { iso } from '../http/present.js';
import { count, licenseStatus, when } from '../http/replies.js';
import type { BuyerLicense } from '../store/portal.js';

/** A licence as the portal names it (domain/portal.ts licenseRefOf). */
export const licenseRef = () => z.string().trim().regex(/^[0-9a-f]{32}$/, 'must be a licence reference from portalListLicenses');

/** The reply schema of presentBuyerLicense (the OpenAPI document's BuyerLicense). */
export const buyerLicenseReply = z
  .looseObject({
    licenseRef: z.string(),
    keyMasked: z.string(),
    licenseKey: z.string().optional(),
    product: z.looseObject({ productId: z.string(), name: z.string(), supportEmail: z.string().nullable() }),
    status: licenseStatus,
    licenseType: z.string(),
    expiresAt: when(),
    machinesUsed: count(),
    maxMachines: count().nullable(),
    maxConcurrent: count().nullable(),
    maxTransfers: count().nullable(),
    transfersUsed: count(),
    trial: z.boolean(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: when(),
    activations: z.array(
      z.looseObject({
        activationId: z.string(),
        label: z.string(),
        firstSeen: when(),
        lastSeen: when(),
        sessionActive: z.boolean(),
        blocked: z.boolean(),
        metadata: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'BuyerLicense' });

/** The buyer's view of a licence: the key masked unless `withKey`, and its machines. */
export function presentBuyerLicense({ license: l, product }: BuyerLicense, activations: readonly ActivationRecord[], now: Date, withKey: boolean) {
  return {
    licenseRef: licenseRefOf(l.licenseKey),
    keyMasked: maskLicenseKey(l.licenseKey),
    ...(withKey ? { licenseKey: l.licenseKey } : {}),
    product: { productId: product.productId, name: product.name, supportEmail: product.supportEmail ?? null },
    status: statusAt(l, now),
    licenseType: l.licenseType,
    expiresAt: iso(l.expiresAt),
    machinesUsed: l.machinesUsed,
    maxMachines: l.maxMachines,
    maxConcurrent: l.maxConcurrent,
    maxTransfers: l.maxTransfers ?? null,
    transfersUsed: transfersWithin(l, now).length,
    trial: l.trial,
    metadata: l.metadata,
    createdAt: iso(l.createdAt),
    activations: activations.map((a) => ({
      activationId: a.activationId,
      label: a.hostname ?? '',
      firstSeen: iso(a.firstSeen),
      lastSeen: iso(a.lastSeen),
      sessionActive: a.sessionActive,
      blocked: a.blocked === true,
      metadata: a.metadata ?? {},
    })),
  };
}

// createLicense: a licence for a buyer. Terms come from the request, else the variant, else the
// product. With a purchaseId it is idempotent: the same purchase always gets the first licence.
import { z } from 'zod';
import { invalidRequest, notFound } from '../domain/errors.js';
import { resolveTerms, type LicenseRecord } from '../domain/license.js';
import { adminEndpoint } from '../http/endpoint.js';
import {
  durationOf,
  email,
  identifier,
  isoDate,
  licenseType,
  maxConcurrent,
  maxMachines,
  metadata,
  ONE_DURATION,
  oneDuration,
  slug,
  durationFields,
  text,
} from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { getLicenseRecord, getPurchase, issueLicense } from '../store/licenses.js';
import { getVariant } from '../store/products.js';
import { visibleProduct } from './lookup.js';

export default adminEndpoint({
  schema: z
    .object({
      email: email(),
      productId: slug(),
      variant: slug().optional(),
      licenseType: licenseType().optional(),
      maxMachines: maxMachines().optional(),
      maxConcurrent: maxConcurrent().optional(),
      expiresAt: isoDate().nullable().optional(),
      ...durationFields,
      discountCode: identifier(64).optional(),
      purchaseId: identifier().optional(),
      purchasedAt: isoDate().optional(),
      bundleId: text(200).optional(),
      unlockedProducts: z.array(slug()).max(100).optional(),
      metadata: metadata().optional(),
    })
    .refine(oneDuration, ONE_DURATION)
    .refine((v) => v.expiresAt === undefined || (v.durationDays === undefined && v.duration === undefined), {
      message: 'give expiresAt or a duration, not both',
      path: ['expiresAt'],
    }),
  handle: async (input, { caller, now }) => {
    const product = await visibleProduct(caller, input.productId);
    if (input.purchaseId !== undefined) {
      // Fast path for a repeated purchase; the batch in issueLicense is what makes it race-free.
      const seen = await getPurchase(product.creatorId, input.purchaseId);
      const first = seen && (await getLicenseRecord(seen.licenseKey));
      if (first) return { licenseKey: first.licenseKey, license: presentLicense(first, now), created: false };
    }
    const variant = input.variant === undefined ? undefined : await getVariant(product.productId, input.variant);
    if (input.variant !== undefined && !variant) throw notFound('Variant');
    // An explicit expiry in the past is a mistake; one computed from an old purchase is not.
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw invalidRequest('Invalid request: expiresAt must be in the future');
    const start = input.purchasedAt ?? now;
    const terms = resolveTerms(product, variant, { ...input, duration: durationOf(input) }, start);
    const draft: Omit<LicenseRecord, 'licenseKey'> = {
      creatorId: product.creatorId,
      productId: product.productId,
      variant: variant?.variantId ?? null,
      email: input.email,
      ...terms,
      machinesUsed: 0,
      adminStatus: 'active',
      revoked: false,
      revokeReason: null,
      revokedAt: null,
      violationLevel: 0,
      unresolvedViolationsCount: 0,
      purchaseId: input.purchaseId ?? null,
      purchasedAt: input.purchaseId !== undefined || input.purchasedAt !== undefined ? start : null,
      bundleId: input.bundleId ?? null,
      unlockedProducts: input.unlockedProducts ?? [],
      discountCode: input.discountCode ?? null,
      disputeReason: null,
      trial: false,
      metadata: input.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    };
    const { license, created } = await issueLicense(draft);
    return { licenseKey: license.licenseKey, license: presentLicense(license, now), created };
  },
});

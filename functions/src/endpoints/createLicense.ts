// createLicense: a licence for a buyer. Terms come from the request, else the variant, else the
// product. With a purchaseId it is idempotent: the same purchase always gets the first licence.
import { z } from 'zod';
import { invalidRequest } from '../domain/errors.js';
import { newLicenseDraft, resolveTerms } from '../domain/license.js';
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
import { findPurchasedLicense, issueLicense } from '../store/licenses.js';
import { namedVariant, visibleProduct } from './lookup.js';

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
      const first = await findPurchasedLicense(product.creatorId, input.purchaseId);
      if (first) return { licenseKey: first.licenseKey, license: presentLicense(first, now), created: false };
    }
    const variant = await namedVariant(product.productId, input.variant);
    // An explicit expiry in the past is a mistake; one computed from an old purchase is not.
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw invalidRequest('Invalid request: expiresAt must be in the future');
    const start = input.purchasedAt ?? now;
    const terms = resolveTerms(product, variant, { ...input, duration: durationOf(input) }, start);
    const draft = newLicenseDraft(
      {
        product,
        variant,
        email: input.email,
        terms,
        purchaseId: input.purchaseId ?? null,
        purchasedAt: input.purchaseId !== undefined || input.purchasedAt !== undefined ? start : null,
        bundleId: input.bundleId ?? null,
        unlockedProducts: input.unlockedProducts ?? [],
        discountCode: input.discountCode ?? null,
        metadata: input.metadata ?? {},
      },
      now,
    );
    const { license, created } = await issueLicense(draft);
    return { licenseKey: license.licenseKey, license: presentLicense(license, now), created };
  },
});

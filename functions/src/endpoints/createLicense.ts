// createLicense: a licence for a buyer. Terms come from the request, else the variant, else the
// product. With a purchaseId it is idempotent: the same purchase always gets the first licence.
// A discountCode is recorded on the licence and counts one use of the code.
import { z } from 'zod';
import { invalidRequest, notFound } from '../domain/errors.js';
import { appliesTo } from '../domain/code.js';
import { licenseDraft, resolveTerms } from '../domain/license.js';
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
import { getCode, issueWithCode, takeUse } from '../store/codes.js';
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
    // The purchase already happened, so a code is recorded and counted whatever its limit, state
    // or expiry (those are for the checkout to check); it must only exist for this product.
    const code = input.discountCode === undefined ? undefined : await getCode(product.creatorId, input.discountCode);
    if (input.discountCode !== undefined && (!code || !appliesTo(code, product.productId))) throw notFound('Discount code');
    const draft = licenseDraft(
      {
        creatorId: product.creatorId,
        productId: product.productId,
        variant: variant?.variantId ?? null,
        email: input.email,
        ...terms,
        purchaseId: input.purchaseId,
        purchasedAt: input.purchaseId !== undefined || input.purchasedAt !== undefined ? start : null,
        bundleId: input.bundleId,
        unlockedProducts: input.unlockedProducts,
        discountCode: code?.code,
        metadata: input.metadata,
      },
      now,
    );
    const { license, created } = code ? await issueWithCode(draft, code, await takeUse(code)) : await issueLicense(draft);
    return { licenseKey: license.licenseKey, license: presentLicense(license, now), created };
  },
});

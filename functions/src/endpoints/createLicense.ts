// createLicense: a licence for a buyer. Terms come from the request, else the variant, else the
// product. With a purchaseId it is idempotent: the same purchase always gets the first licence.
// A discountCode is recorded on the licence and counts one use of the code.
import { z } from 'zod';
import { invalidRequest } from '../domain/errors.js';
import { adminEndpoint } from '../http/endpoint.js';
import {
  durationOf,
  email,
  identifier,
  isoDate,
  licenseType,
  maxConcurrent,
  maxMachines,
  maxTransfers,
  metadata,
  ONE_DURATION,
  oneDuration,
  slug,
  durationFields,
  text,
} from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { issue } from '../licensing/issue.js';

export default adminEndpoint({
  schema: z
    .object({
      email: email(),
      productId: slug(),
      variant: slug().optional(),
      licenseType: licenseType().optional(),
      maxMachines: maxMachines().optional(),
      maxConcurrent: maxConcurrent().optional(),
      maxTransfers: maxTransfers().optional(),
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
    // An explicit expiry in the past is a mistake; one computed from an old purchase is not.
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw invalidRequest('Invalid request: expiresAt must be in the future');
    const { license, created } = await issue(
      {
        ...input,
        scope: caller,
        duration: durationOf(input),
        // The purchase already happened, so a code is recorded and counted whatever its limit,
        // state or expiry (those are for the checkout to check); it must only be this product's.
        code: input.discountCode === undefined ? undefined : { code: input.discountCode, use: 'sold' },
      },
      now,
    );
    return { licenseKey: license.licenseKey, license: presentLicense(license, now), created };
  },
});

// createLicense: a licence for a buyer. Terms come from the request, else the variant, else the
// product. With a purchaseId it is idempotent: the same purchase always gets the first licence.
// A discountCode is recorded on the licence and counts one use of the code.
import { z } from 'zod';
import { invalidRequest } from '../domain/errors.js';
import { modeOf } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { durationFields, durationOf, identifier, isoDate, metadata, ONE_DURATION, oneDuration, slug, text } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { issue } from '../licensing/issue.js';
import { licenseOrderFields } from './licenseFields.js';
import { licenseExample, licenseReply } from '../http/replies.js';

export default adminEndpoint({
  example: {
    request: { productId: 'photo-app', email: 'buyer@example.com', purchaseId: 'order-1042' },
    response: { success: true, licenseKey: licenseExample.licenseKey, license: licenseExample, created: true },
  },
  response: z.looseObject({ licenseKey: z.string(), license: licenseReply, created: z.boolean() }),
  schema: z
    .object({
      ...licenseOrderFields,
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
        sandbox: modeOf(caller) === 'test',
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

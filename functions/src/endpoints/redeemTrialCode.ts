// redeemTrialCode: a trial licence (trial: true) for `email`, expiring after the code's trialDays,
// and its buyer email (store/mail.ts) in the same batch.
//   404 unknown code or product (or another creator's)
//   400 not a trial code, inactive, expired, not for this product, or productId missing for a
//       code that applies to all of its creator's products
//   409 the code is used up, or this email has already had a trial of this product
// maxUses holds under any concurrency (store/codes.ts); one trial per email and product holds
// because the trial claim is a create() in the licence's own batch.
import { z } from 'zod';
import { notAllowed } from '../domain/errors.js';
import { actingCreator, modeOf } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, email, identifier, slug } from '../http/fields.js';
import { iso, presentLicense } from '../http/present.js';
import { issue } from '../licensing/issue.js';
import { licenseReply, when } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ licenseKey: z.string(), expiresAt: when(), license: licenseReply }),
  schema: z.object({
    code: identifier(64),
    email: email(),
    productId: slug().optional(),
    creatorId: creatorId().optional(),
  }),
  handle: async (input, { caller, now }) => {
    // A redemption uses the code and the buyer's one trial, which are live: a test key would spend them.
    if (modeOf(caller) === 'test') throw notAllowed('Trial codes are redeemed in live mode only; a test key cannot spend their uses');
    const { license } = await issue(
      {
        scope: caller,
        creatorId: actingCreator(caller, input.creatorId),
        productId: input.productId,
        email: input.email,
        code: { code: input.code, use: 'redeem' },
        notifyBuyer: true,
      },
      now,
    );
    return { licenseKey: license.licenseKey, expiresAt: iso(license.expiresAt), license: presentLicense(license, now) };
  },
});

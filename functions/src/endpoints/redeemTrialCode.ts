// redeemTrialCode: a trial licence (trial: true) for `email`, expiring after the code's trialDays,
// and its buyer email (store/mail.ts) in the same batch.
//   404 unknown code or product (or another creator's)
//   400 not a trial code, inactive, expired, not for this product, or productId missing for a
//       code that applies to all of its creator's products
//   409 the code is used up, or this email has already had a trial of this product
// maxUses holds under any concurrency (store/codes.ts); one trial per email and product holds
// because the trial claim is a create() in the licence's own batch.
import { z } from 'zod';
import { beyondLimit, DEFAULT_TRIAL_DAYS, trialProductOf } from '../domain/code.js';
import { conflict, notFound } from '../domain/errors.js';
import { licenseDraft, resolveTerms } from '../domain/license.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, email, identifier, slug } from '../http/fields.js';
import { iso, presentLicense } from '../http/present.js';
import { claimTrial, getCode, hasTrialClaim, issueWithCode, takeUse } from '../store/codes.js';
import { isAlreadyExists } from '../store/firestore.js';
import { queueBuyerMail } from '../store/mail.js';
import { codeOwner } from './codes.js';
import { visibleProduct } from './lookup.js';

export default adminEndpoint({
  schema: z.object({
    code: identifier(64),
    email: email(),
    productId: slug().optional(),
    creatorId: creatorId().optional(),
  }),
  handle: async (input, { caller, now }) => {
    const code = await getCode(await codeOwner(caller, input.creatorId, input.productId), input.code);
    if (!code) throw notFound('Code');
    const productId = trialProductOf(code, input.productId, now);
    const product = await visibleProduct(caller, productId);
    if (product.creatorId !== code.creatorId) throw notFound('Product');
    const alreadyHad = () => conflict(`${input.email} has already had a trial of ${productId}`);
    if (await hasTrialClaim(productId, input.email)) throw alreadyHad();

    const slot = await takeUse(code);
    if (beyondLimit(code, slot.number)) {
      await slot.release();
      throw conflict(`Code ${code.code} has been used up`);
    }
    const terms = resolveTerms(product, undefined, { duration: { value: code.trialDays ?? DEFAULT_TRIAL_DAYS, unit: 'days' } }, now);
    const draft = licenseDraft(
      { creatorId: product.creatorId, productId, variant: null, email: input.email, ...terms, discountCode: code.code, trial: true },
      now,
    );
    try {
      const { license } = await issueWithCode(draft, code, slot, async (batch, issued) => {
        await claimTrial(batch, { productId, email: input.email, code: code.code, createdAt: now });
        await queueBuyerMail(batch, issued, product);
      });
      return { licenseKey: license.licenseKey, expiresAt: iso(license.expiresAt), license: presentLicense(license, now) };
    } catch (e) {
      if (isAlreadyExists(e)) throw alreadyHad();
      throw e;
    }
  },
});

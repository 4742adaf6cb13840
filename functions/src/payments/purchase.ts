// purchase.completed: exactly one licence, one buyer email and one sale per purchase id, however
// often or concurrently the event is delivered. issueLicense commits the licence, its purchase
// record (a create), its event, the email and the sale in one batch, so only one delivery's
// batch can commit; every other delivery answers with that licence. A discount or trial code
// counts its use in the same batch. Refunds, disputes and cancellations that arrived first are
// applied as soon as the licence exists.
import { appliesTo, DEFAULT_TRIAL_DAYS } from '../domain/code.js';
import { licenseDraft, resolveTerms } from '../domain/license.js';
import type { LicenseType } from '../domain/product.js';
import { purchaseDuration } from '../domain/payment.js';
import { namedVariant } from '../endpoints/lookup.js';
import { getCode, issueWithCode, takeUse } from '../store/codes.js';
import { findPurchasedLicense, getLicenseRecord, issueLicense, type IssueOptions, type Issued } from '../store/licenses.js';
import { queueBuyerMail } from '../store/mail.js';
import type { Product } from '../store/products.js';
import { recordSale } from '../store/sales.js';
import { applyDeferredEvents } from './deferred.js';
import { DEFAULT_CURRENCY, saleEntry, type PurchaseRef } from './ledger.js';

export interface PurchaseInput {
  email: string;
  purchaseId: string;
  variant?: string | undefined;
  licenseType?: LicenseType | undefined;
  maxMachines?: number | undefined;
  maxConcurrent?: number | undefined;
  discountCode?: string | undefined;
  trialDays?: number | undefined;
  durationDays?: number | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
}

async function issue(input: PurchaseInput, product: Product, ref: PurchaseRef, now: Date): Promise<Issued> {
  const variant = await namedVariant(product.productId, input.variant);
  // A code the creator has for this product counts a use (the sale happened, so whatever its
  // limit, as createLicense does); one it does not know is only recorded on the licence.
  const found = input.discountCode === undefined ? undefined : await getCode(product.creatorId, input.discountCode);
  const code = found && appliesTo(found, product.productId) ? found : undefined;
  const { duration, trial } = purchaseDuration(input, code?.type === 'trial' ? (code.trialDays ?? DEFAULT_TRIAL_DAYS) : undefined);
  const terms = resolveTerms(product, variant, { ...input, duration }, now);
  const draft = licenseDraft(
    {
      creatorId: product.creatorId,
      productId: product.productId,
      variant: variant?.variantId ?? null,
      email: input.email,
      ...terms,
      purchaseId: input.purchaseId,
      purchasedAt: now,
      discountCode: code?.code ?? input.discountCode,
      trial,
      metadata: input.metadata,
    },
    now,
  );
  const money = { amountCents: input.amount ?? 0, currency: input.currency ?? DEFAULT_CURRENCY };
  const also: IssueOptions['also'] = async (batch, license) => {
    await queueBuyerMail(batch, license, product);
    await recordSale(batch, saleEntry('purchase', 'purchase', { ...ref, licenseKey: license.licenseKey }, money, now));
  };
  return code ? issueWithCode(draft, code, await takeUse(code), also) : issueLicense(draft, { also });
}

export async function completePurchase(input: PurchaseInput, product: Product, now: Date) {
  // A repeated delivery is answered from one read; the batch is what makes it race-free.
  const ref = { creatorId: product.creatorId, productId: product.productId, purchaseId: input.purchaseId };
  const seen = await findPurchasedLicense(ref.creatorId, ref.purchaseId);
  const { license, created } = seen ? { license: seen, created: false } : await issue(input, product, ref, now);
  const applied = await applyDeferredEvents(ref, now);
  const current = applied > 0 ? ((await getLicenseRecord(license.licenseKey)) ?? license) : license;
  return { license: current, created };
}

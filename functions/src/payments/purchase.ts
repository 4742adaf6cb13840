// purchase.completed: exactly one licence, one buyer email and one sale per purchase id, however
// often or concurrently the event is delivered. issueLicense commits the licence, its purchase
// record (a create), its event, the email and the sale in one batch, so only one delivery's
// batch can commit; every other delivery answers with that licence. A discount or trial code
// counts its use in the same batch. Refunds, disputes and cancellations that arrived first are
// applied as soon as the licence exists. A plan (variant) whose licences are switched off
// (`licensesEnabled: false`) issues no licence and sends no email: the sale alone is recorded,
// once per purchase id.
import type { LicenseType } from '../domain/product.js';
import type { Scope } from '../domain/scope.js';
import { issue } from '../licensing/issue.js';
import { namedVariant, visibleProduct } from '../licensing/lookup.js';
import { getLicenseRecord } from '../store/licenses.js';
import { recordSale, recordSaleOnly } from '../store/sales.js';
import { applyDeferredEvents } from './deferred.js';
import { DEFAULT_CURRENCY, saleEntry } from './ledger.js';

export interface PurchaseInput {
  productId: string;
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

/** A sale of a plan that issues no licence: recorded once per purchase id; `created` false on a repeat. */
export async function completeUnlicensedPurchase(input: PurchaseInput, scope: Scope, now: Date): Promise<{ created: boolean } | undefined> {
  if (input.variant === undefined) return undefined;
  const product = await visibleProduct(scope, input.productId);
  const variant = await namedVariant(product.productId, input.variant);
  if (variant?.licensesEnabled !== false) return undefined;
  const money = { amountCents: input.amount ?? 0, currency: input.currency ?? DEFAULT_CURRENCY };
  const ref = { creatorId: product.creatorId, productId: product.productId, purchaseId: input.purchaseId, licenseKey: null };
  return { created: await recordSaleOnly(saleEntry('purchase', 'purchase', ref, money, now)) };
}

/** Issues the purchase's licence (once per purchase id) and applies events that came before it. */
export async function completePurchase(input: PurchaseInput, scope: Scope, now: Date) {
  const money = { amountCents: input.amount ?? 0, currency: input.currency ?? DEFAULT_CURRENCY };
  const { license, created, product } = await issue(
    {
      ...input,
      scope,
      duration: input.durationDays === undefined ? undefined : { value: input.durationDays, unit: 'days' },
      purchasedAt: now,
      code: input.discountCode === undefined ? undefined : { code: input.discountCode, use: 'checkout' },
      notifyBuyer: true,
      paid: { currency: money.currency, paidCents: money.amountCents, refundedCents: 0 },
      also: (batch, issued, product) =>
        recordSale(batch, saleEntry('purchase', 'purchase', { creatorId: product.creatorId, productId: product.productId, purchaseId: input.purchaseId, licenseKey: issued.licenseKey }, money, now)),
    },
    now,
  );
  const ref = { creatorId: product.creatorId, productId: product.productId, purchaseId: input.purchaseId };
  const applied = await applyDeferredEvents(ref, now);
  const current = applied > 0 ? ((await getLicenseRecord(license.licenseKey)) ?? license) : license;
  return { license: current, created, product };
}

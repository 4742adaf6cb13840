// purchase.completed: exactly one licence, one buyer email and one sale per purchase id, however
// often or concurrently the event is delivered. issueLicense commits the licence, its purchase
// record (a create), its event, the email and the sale in one batch, so only one delivery's
// batch can commit; every other delivery answers with that licence. A discount or trial code
// counts its use in the same batch. Refunds, disputes and cancellations that arrived first are
// applied as soon as the licence exists.
import type { LicenseType } from '../domain/product.js';
import type { Scope } from '../domain/scope.js';
import { issue } from '../licensing/issue.js';
import { getLicenseRecord } from '../store/licenses.js';
import { recordSale } from '../store/sales.js';
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

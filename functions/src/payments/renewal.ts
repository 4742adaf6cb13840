// subscription.renewed: the expiry moves on by `durationDays` (else the licence's variant's or
// product's duration) from the later of now and the current expiry, and the renewal is a sale.
// Each renewal is recorded once: per `renewalId` when the event gives one (the provider's
// invoice or order id), else per purchase and UTC day. A renewal before its purchase is a 404,
// which providers retry.
import type { Duration } from '../domain/duration.js';
import { invalidRequest, notFound } from '../domain/errors.js';
import type { LicenseRecord } from '../domain/license.js';
import { renewedExpiry } from '../domain/payment.js';
import { dayOf } from '../domain/sales.js';
import { recordLicenseEvent } from '../store/events.js';
import { transaction } from '../store/firestore.js';
import { findPurchasedLicense, readLicense, writeLicense } from '../store/licenses.js';
import { readPurchase } from '../store/payments.js';
import { getVariant, type Product } from '../store/products.js';
import { readSale, recordSale, saleId } from '../store/sales.js';
import { DEFAULT_CURRENCY, saleEntry } from './ledger.js';

export interface RenewalInput {
  purchaseId: string;
  durationDays?: number | undefined;
  renewalId?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
}

/** The duration the licence was sold with: its variant's, else its product's; null if none. */
async function soldDuration(product: Product, purchaseId: string): Promise<Duration | null> {
  const license = await findPurchasedLicense(product.creatorId, purchaseId);
  if (!license) throw notFound('Purchase');
  const variant = license.variant === null ? undefined : await getVariant(product.productId, license.variant);
  return variant?.duration ?? product.duration;
}

export async function renewSubscription(input: RenewalInput, product: Product, now: Date): Promise<{ license: LicenseRecord; duplicate: boolean }> {
  const ref = { creatorId: product.creatorId, productId: product.productId, purchaseId: input.purchaseId };
  const duration: Duration | null = input.durationDays !== undefined ? { value: input.durationDays, unit: 'days' } : await soldDuration(product, input.purchaseId);
  const entry = `renewal:${input.renewalId ?? dayOf(now)}`;
  return transaction(async (tx) => {
    const purchase = await readPurchase(tx, ref.creatorId, ref.purchaseId);
    if (!purchase) throw notFound('Purchase');
    const [license, done] = await Promise.all([readLicense(tx, purchase.licenseKey), readSale(tx, saleId(ref.creatorId, ref.purchaseId, entry))]);
    if (!license) throw notFound('Licence');
    if (done) return { license, duplicate: true };
    let next = license;
    if (license.expiresAt !== null) {
      if (!duration) throw invalidRequest('Invalid request: durationDays is required (the product sets no duration)');
      next = { ...license, expiresAt: renewedExpiry(license.expiresAt, now, duration), updatedAt: now };
      await writeLicense(tx, next);
      const data = { purchaseId: ref.purchaseId, cause: 'subscription.renewed', previousExpiresAt: license.expiresAt.toISOString(), expiresAt: next.expiresAt?.toISOString() ?? null };
      await recordLicenseEvent(tx, 'license.updated', license, data, now);
    }
    const money = { amountCents: input.amount ?? 0, currency: input.currency ?? DEFAULT_CURRENCY };
    await recordSale(tx, saleEntry('renewal', entry, { ...ref, licenseKey: license.licenseKey }, money, now));
    return { license: next, duplicate: false };
  });
}

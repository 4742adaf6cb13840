// subscription.renewed: the expiry moves on by `durationDays` (else the licence's variant's or
// product's duration) from the later of now and the current expiry, and the renewal is a sale in
// the purchase's currency (another is 400). Each renewal is recorded once: per `renewalId` when the
// event gives one (the provider's invoice or order id), else per the billing period it pays for
// (domain/payment.ts: a retry days later is the same period), which needs a duration. A renewal
// before its purchase is a 404, which providers retry.
import type { Duration } from '../domain/duration.js';
import { storable } from '../domain/duration.js';
import { invalidRequest, notFound } from '../domain/errors.js';
import type { LicenseRecord } from '../domain/license.js';
import { renewalPeriod, type Period } from '../domain/payment.js';
import { recordLicenseEvent } from '../store/events.js';
import { transaction } from '../store/firestore.js';
import { findPurchasedLicense, readLicense, writeLicense } from '../store/licenses.js';
import { readPurchase, recordPaid } from '../store/payments.js';
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
  if (input.renewalId === undefined && !duration) {
    throw invalidRequest('Invalid request: renewalId is required: without a duration (durationDays, or the product\'s) nothing tells which period this renewal pays for');
  }
  return transaction(async (tx) => {
    const purchase = await readPurchase(tx, ref.creatorId, ref.purchaseId);
    if (!purchase) throw notFound('Purchase');
    const license = await readLicense(tx, purchase.licenseKey);
    if (!license) throw notFound('Licence');
    const paidUntil = license.expiresAt ?? purchase.lastPeriod?.end ?? null;
    let period: Period | undefined;
    let entry: string;
    if (input.renewalId !== undefined) {
      entry = `renewal:${input.renewalId}`;
      period = duration ? renewalPeriod(undefined, paidUntil, now, duration).period : undefined;
    } else {
      const paying = renewalPeriod(purchase.lastPeriod, paidUntil, now, duration!);
      if (paying.repeat) return { license, duplicate: true };
      period = paying.period;
      entry = `renewal:period:${period.start.toISOString()}`;
    }
    if (await readSale(tx, saleId(ref.creatorId, ref.purchaseId, entry))) return { license, duplicate: true };
    const currency = input.currency ?? purchase.paid?.currency ?? DEFAULT_CURRENCY;
    if (purchase.paid && currency !== purchase.paid.currency) throw invalidRequest(`Invalid request: currency: must be the purchase's currency, ${purchase.paid.currency}`);
    if (period && !storable(period.end)) throw invalidRequest('Invalid request: durationDays: the licence would expire after 9999-12-31');

    let next = license;
    if (license.expiresAt !== null) {
      if (!period) throw invalidRequest('Invalid request: durationDays is required (the product sets no duration)');
      next = { ...license, expiresAt: period.end, updatedAt: now };
      await writeLicense(tx, next);
      const data = { purchaseId: ref.purchaseId, cause: 'subscription.renewed', previousExpiresAt: license.expiresAt.toISOString(), expiresAt: period.end.toISOString() };
      await recordLicenseEvent(tx, 'license.updated', license, data, now);
    }
    const money = { amountCents: input.amount ?? 0, currency };
    await recordSale(tx, { ...saleEntry('renewal', entry, { ...ref, licenseKey: license.licenseKey }, money, now), ...(period ? { period } : {}) });
    const paid = purchase.paid && { ...purchase.paid, paidCents: purchase.paid.paidCents + money.amountCents };
    await recordPaid(tx, ref.creatorId, ref.purchaseId, { ...(paid ? { paid } : {}), ...(period ? { lastPeriod: period } : {}) });
    return { license: next, duplicate: false };
  });
}

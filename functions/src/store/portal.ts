// The buyer portal's reads and its one write of its own (docs/portal.md): the licences sold to a
// buyer's address that the buyer may see (domain/portal.ts), and "Email me my key". Freeing a
// seat goes through the core's deactivation (store/seats.ts releaseSeat).
import { notFound } from '../domain/errors.js';
import type { LicenseRecord } from '../domain/license.js';
import { buyerMaySee, licenseRefOf, PORTAL_MAX_LICENSES, type Buyer } from '../domain/portal.js';
import { transaction } from './firestore.js';
import { licensesCollection, readLicense } from './licenses.js';
import { countSeats } from './seatCounts.js';
import { queueBuyerMail } from './mail.js';
import { getProducts, type Product } from './products.js';

export interface BuyerLicense {
  license: LicenseRecord;
  product: Product;
}

/** Every licence the buyer of `email` may see, newest first: one query by address, one batched product read. */
export async function buyerLicenses(email: string): Promise<BuyerLicense[]> {
  const snap = await (await licensesCollection()).where('email', '==', email).limit(PORTAL_MAX_LICENSES).get();
  const licenses = await Promise.all(snap.docs.map((d) => countSeats(d.data())));
  const productIds = [...new Set(licenses.map((l) => l.productId))];
  const products = new Map((await getProducts(productIds)).flatMap((p) => (p ? [[p.productId, p] as const] : [])));
  return licenses
    .flatMap((license) => {
      const product = products.get(license.productId);
      return product && buyerMaySee(email, license, product) ? [{ license, product }] : [];
    })
    .sort((a, b) => b.license.createdAt.getTime() - a.license.createdAt.getTime());
}

/** The buyer's licence the portal names `ref`; 404 for anything the buyer may not see. */
export async function buyerLicense(buyer: Buyer, ref: string): Promise<BuyerLicense> {
  const found = (await buyerLicenses(buyer.email)).find((b) => licenseRefOf(b.license.licenseKey) === ref);
  if (!found) throw notFound('Licence');
  return found;
}

/**
 * "Email me my key": queues the licence's email again, to the address it was sold to, in a
 * transaction that reads the licence again (revoked or moved meanwhile: 404).
 */
export async function resendKey(buyer: Buyer, { license: listed, product }: BuyerLicense, now: Date): Promise<LicenseRecord> {
  return transaction(async (tx) => {
    const license = await readLicense(tx, listed.licenseKey);
    if (!license || !buyerMaySee(buyer.email, license, product)) throw notFound('Licence');
    await queueBuyerMail(tx, license, product, 'resent', now);
    return license;
  });
}

// mail/{id}: buyer emails, in the format of the Trigger Email extension
// (firebase/firestore-send-email), which sends each new document and records its delivery on it.
// A new licence's email has the licence key as its id (a regenerated key's is its new key), and an
// expiry reminder's id is made of the key and the expiry; every write is a create in the commit of
// what caused it, so each is sent exactly once however often its cause is delivered.
import { MAIL_FROM_ADDRESS } from '../config.js';
import { composeBuyerMail, type BuyerMail, type MailKind } from '../domain/buyerMail.js';
import { compoundId } from '../domain/crypto.js';
import type { LicenseRecord } from '../domain/license.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, type Writer } from './firestore.js';
import type { Product } from './products.js';

export interface MailDocument {
  to: string[];
  from?: string;
  replyTo?: string;
  message: BuyerMail;
  licenseKey: string;
  creatorId: string;
  productId: string;
  /** Absent on older documents: `issued`. */
  kind?: MailKind;
  createdAt: Date;
}

const mail = async () => (await db()).collection(COLLECTIONS.mail).withConverter(converter<MailDocument>());

export const mailRef = async (licenseKey: string) => (await mail()).doc(licenseKey);

/** The reminder for one expiry of one licence: a renewed licence expiring again gets another. */
export const reminderRef = async (licenseKey: string, expiresAt: Date) => (await mail()).doc(compoundId('reminder', licenseKey, expiresAt.toISOString()));

/** `"From Name" <address>` when both are known, the address alone, or nothing (the extension's default). */
function sender(fromName: string | null | undefined): string | undefined {
  const address = MAIL_FROM_ADDRESS.value().trim();
  if (!address) return undefined;
  return fromName ? `"${fromName.replace(/["\\\r\n]/g, '')}" <${address}>` : address;
}

/**
 * Queues the buyer's email in `writer`: for a new licence (use it in issueLicense's `also`), a
 * regenerated key, or an expiry reminder (kind). A create: a second one for the same id fails the
 * commit, so the caller checks first where a repeat is expected.
 */
export async function queueBuyerMail(writer: Writer, license: LicenseRecord, product: Product, kind: MailKind = 'issued', at = license.createdAt): Promise<void> {
  const from = sender(product.emailFromName);
  const doc: MailDocument = {
    to: [license.email],
    ...(from ? { from } : {}),
    ...(product.emailReplyTo ? { replyTo: product.emailReplyTo } : {}),
    message: composeBuyerMail(license, product, kind),
    licenseKey: license.licenseKey,
    creatorId: license.creatorId,
    productId: license.productId,
    ...(kind === 'issued' ? {} : { kind }),
    createdAt: at,
  };
  const ref = kind === 'reminder' && license.expiresAt ? await reminderRef(license.licenseKey, license.expiresAt) : await mailRef(license.licenseKey);
  writer.create(ref, doc);
}

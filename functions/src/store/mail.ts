// mail/{licenseKey}: buyer emails, in the format of the Trigger Email extension
// (firebase/firestore-send-email), which sends each new document and records its delivery on it.
// The document id is the licence key and the write is a create in the licence's own commit, so
// a licence gets exactly one email however often its purchase is delivered.
import { MAIL_FROM_ADDRESS } from '../config.js';
import { composeBuyerMail, type BuyerMail } from '../domain/buyerMail.js';
import type { LicenseRecord } from '../domain/license.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, type Writer } from './firestore.js';
import type { Product } from './products.js';

export interface MailDocument {
  /** Absent on a test (sandbox) licence's mail: nobody is emailed. */
  to?: string[];
  /** A sandbox licence's mail: kept for inspection, addressed to nobody (`intendedTo` says who it was for). */
  test?: true;
  intendedTo?: string[];
  from?: string;
  replyTo?: string;
  message: BuyerMail;
  licenseKey: string;
  creatorId: string;
  productId: string;
  createdAt: Date;
}

const mail = async () => (await db()).collection(COLLECTIONS.mail).withConverter(converter<MailDocument>());

export const mailRef = async (licenseKey: string) => (await mail()).doc(licenseKey);

/** `"From Name" <address>` when both are known, the address alone, or nothing (the extension's default). */
function sender(fromName: string | null | undefined): string | undefined {
  const address = MAIL_FROM_ADDRESS.value().trim();
  if (!address) return undefined;
  return fromName ? `"${fromName.replace(/["\\\r\n]/g, '')}" <${address}>` : address;
}

/** Queues the buyer's email for a new licence in `writer`; use it in issueLicense's `also`. */
export async function queueBuyerMail(writer: Writer, license: LicenseRecord, product: Product): Promise<void> {
  const from = sender(product.emailFromName);
  const doc: MailDocument = {
    // A sandbox licence emails nobody: the extension sends nothing to a document without recipients.
    ...(license.sandbox ? { test: true as const, intendedTo: [license.email] } : { to: [license.email] }),
    ...(from ? { from } : {}),
    ...(product.emailReplyTo ? { replyTo: product.emailReplyTo } : {}),
    message: composeBuyerMail(license, product),
    licenseKey: license.licenseKey,
    creatorId: license.creatorId,
    productId: license.productId,
    createdAt: license.createdAt,
  };
  writer.create(await mailRef(license.licenseKey), doc);
}

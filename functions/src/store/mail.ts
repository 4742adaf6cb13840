// mail/{id}: buyer emails, in the format of the Trigger Email extension
// (firebase/firestore-send-email), which sends each new document and records its delivery on it.
// A new licence's email has the licence key as its id (a regenerated key's is its new key), and an
// expiry reminder's id is made of the key and the expiry; every write is a create in the commit of
// what caused it, so each is sent exactly once however often its cause is delivered.
import { MAIL_FROM_ADDRESS } from '../config.js';
import { composeBuyerMail, type BuyerMail, type MailKind } from '../domain/buyerMail.js';
import { compoundId, randomToken } from '../domain/crypto.js';
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
  /** Absent on older documents: `issued`. */
  kind?: MailKind;
  createdAt: Date;
}

/** The portal's sign-in email (docs/portal.md): to an address, about no licence or creator. */
export interface PortalLinkMailDocument {
  to: string[];
  from?: string;
  message: BuyerMail;
  kind: 'portal-link';
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
    // A sandbox licence emails nobody: the extension sends nothing to a document without recipients.
    ...(license.sandbox ? { test: true as const, intendedTo: [license.email] } : { to: [license.email] }),
    ...(from ? { from } : {}),
    ...(product.emailReplyTo ? { replyTo: product.emailReplyTo } : {}),
    message: composeBuyerMail(license, product, kind),
    licenseKey: license.licenseKey,
    creatorId: license.creatorId,
    productId: license.productId,
    ...(kind === 'issued' ? {} : { kind }),
    createdAt: at,
  };
  const ref =
    kind === 'reminder' && license.expiresAt
      ? await reminderRef(license.licenseKey, license.expiresAt)
      : kind === 'resent'
        ? (await mail()).doc(compoundId('resent', license.licenseKey, at.toISOString(), randomToken(9)))
        : await mailRef(license.licenseKey);
  writer.create(ref, doc);
}

/**
 * Queues the portal's sign-in email. Its link signs the buyer in, so it is no creator's mail:
 * no outbox lists it (listMail skips it).
 */
export async function queuePortalLinkMail(to: string, message: BuyerMail, at: Date): Promise<void> {
  const from = sender(undefined);
  const doc: PortalLinkMailDocument = { to: [to], ...(from ? { from } : {}), message, kind: 'portal-link', createdAt: at };
  await (await db()).collection(COLLECTIONS.mail).add(doc);
}

/** What the Trigger Email extension writes back on a mail document once it has tried to send it. */
export interface MailDelivery {
  state: string | null;
  error: string | null;
  endTime: Date | null;
}

export interface MailEntry extends MailDocument {
  delivery: MailDelivery | null;
}

const asDate = (v: unknown): Date | null =>
  v instanceof Date ? v : v && typeof (v as { toDate?: unknown }).toDate === 'function' ? (v as { toDate: () => Date }).toDate() : null;

function entry(data: MailDocument & { delivery?: Record<string, unknown> }): MailEntry {
  const d = data.delivery;
  return {
    ...data,
    delivery: d
      ? { state: typeof d.state === 'string' ? d.state : null, error: typeof d.error === 'string' ? d.error : null, endTime: asDate(d.endTime) }
      : null,
  };
}

/** A creator's queued buyer emails (all creators' when `creatorId` is undefined), newest first. */
export async function listMail(filter: { creatorId: string | undefined; licenseKey?: string | undefined; limit: number }): Promise<MailEntry[]> {
  const col = await mail();
  if (filter.licenseKey !== undefined) {
    const one = (await col.doc(filter.licenseKey).get()).data();
    return one && (filter.creatorId === undefined || one.creatorId === filter.creatorId) ? [entry(one)] : [];
  }
  let q = col.orderBy('createdAt', 'desc');
  if (filter.creatorId !== undefined) q = q.where('creatorId', '==', filter.creatorId);
  const snap = await q.limit(filter.limit).get();
  // The portal's sign-in emails carry a credential and belong to no creator (queuePortalLinkMail).
  return snap.docs.filter((d) => (d.data().kind as string | undefined) !== 'portal-link').map((d) => entry(d.data()));
}

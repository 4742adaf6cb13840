// Announcing licence expiries: expiryNotices/{hash of key and expiry} marks an expiry already
// announced (a licence renewed and expiring again gets a new one), and jobs/expireLicenses keeps
// how far the job has got through licences ordered by expiry. Reminding buyers of an expiry to
// come: its mail document's id (store/mail.ts) marks it sent, once per expiry date.
import { compoundId } from '../domain/crypto.js';
import { DEFAULT_REMINDER_DAYS, dueForReminder, statusAt } from '../domain/license.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, firestoreModule, transaction } from './firestore.js';
import { recordLicenseEvent } from './events.js';
import { getLicenseRecord, lapsesAtOf, licensesCollection, readLicense } from './licenses.js';
import { queueBuyerMail, reminderRef } from './mail.js';
import type { Product } from './products.js';

export interface ExpiryCursor {
  expiresAt: Date;
  licenseKey: string;
}

/** The job's progress: `jobs/expireLicenses`, or a scoped run's own document beside it. */
const cursorRef = async (scope?: string) =>
  (await db())
    .collection(COLLECTIONS.jobs)
    .doc(scope === undefined ? 'expireLicenses' : `expireLicenses_${compoundId('scope', scope)}`)
    .withConverter(converter<ExpiryCursor>());
const noticeRef = async (licenseKey: string, expiresAt: Date) =>
  (await db()).collection(COLLECTIONS.expiryNotices).doc(compoundId(licenseKey, expiresAt.toISOString()));

export async function readExpiryCursor(scope?: string): Promise<ExpiryCursor | undefined> {
  return (await (await cursorRef(scope)).get()).data();
}

export async function saveExpiryCursor(cursor: ExpiryCursor, scope?: string): Promise<void> {
  await (await cursorRef(scope)).set(cursor);
}

/**
 * Licences that stopped working (their expiry plus any grace, `lapsesAt`) after `cursor` and not
 * after `now`, in that order (then by key). The cursor's `expiresAt` is that moment.
 */
export async function expiringAfter(cursor: ExpiryCursor, now: Date, limit: number): Promise<ExpiryCursor[]> {
  const { FieldPath } = await firestoreModule();
  const ordered = (await licensesCollection()).where('lapsesAt', '<=', now).orderBy('lapsesAt').orderBy(FieldPath.documentId());
  // An empty key (the first run's cursor) means: from that instant on.
  const page = cursor.licenseKey ? ordered.startAfter(cursor.expiresAt, cursor.licenseKey) : ordered.startAt(cursor.expiresAt);
  const snap = await page.limit(limit).get();
  return snap.docs.flatMap((d) => {
    const l = d.data();
    return l.expiresAt ? [{ expiresAt: lapsesAtOf(l), licenseKey: l.licenseKey }] : [];
  });
}

/** Licences that expire after `from` and no later than `until`, in expiry (then key) order, after `after`. */
export async function expiringBetween(from: Date, until: Date, limit: number, after?: ExpiryCursor): Promise<ExpiryCursor[]> {
  const { FieldPath } = await firestoreModule();
  let q = (await licensesCollection()).where('expiresAt', '>', from).where('expiresAt', '<=', until).orderBy('expiresAt').orderBy(FieldPath.documentId());
  if (after) q = q.startAfter(after.expiresAt, after.licenseKey);
  const snap = await q.limit(limit).get();
  return snap.docs.flatMap((d) => {
    const l = d.data();
    return l.expiresAt ? [{ expiresAt: l.expiresAt, licenseKey: l.licenseKey }] : [];
  });
}

/**
 * Queues the buyer's reminder that the licence expires soon, once per expiry date, if right now
 * it is in force (not revoked, suspended or expired), expires within `reminderDays` of `now`, and
 * has an email. True if it did.
 */
export async function remindExpiry(licenseKey: string, now: Date, productOf: (productId: string) => Promise<Product | undefined>): Promise<boolean> {
  const stored = await getLicenseRecord(licenseKey);
  const product = stored && (await productOf(stored.productId));
  if (!product) return false;
  const days = product.reminderDays ?? DEFAULT_REMINDER_DAYS;
  return transaction(async (tx) => {
    const license = await readLicense(tx, licenseKey);
    if (!license?.expiresAt || !license.email || !dueForReminder(license, days, now)) return false;
    const ref = await reminderRef(licenseKey, license.expiresAt);
    if ((await tx.get(ref)).exists) return false;
    await queueBuyerMail(tx, license, product, 'reminder', now);
    return true;
  });
}

/**
 * Records license.expired for the licence if, right now, it is expired (not revoked or
 * suspended, not renewed meanwhile) and this expiry has not been announced yet. True if it did.
 */
export async function announceExpiry(licenseKey: string, now: Date): Promise<boolean> {
  return transaction(async (tx) => {
    const license = await readLicense(tx, licenseKey);
    if (!license?.expiresAt || statusAt(license, now) !== 'expired') return false;
    const notice = await noticeRef(licenseKey, license.expiresAt);
    if ((await tx.get(notice)).exists) return false;
    tx.create(notice, { licenseKey, expiresAt: license.expiresAt, announcedAt: now });
    await recordLicenseEvent(tx, 'license.expired', license, { email: license.email, expiresAt: license.expiresAt.toISOString() }, now);
    return true;
  });
}

// licenses/{licenseKey}/violations/{id}: what a licence was flagged for.
import type { ViolationRecord } from '../domain/violation.js';
import { SUB } from './collections.js';
import type { QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { converter, put, type Transaction, type Writer } from './firestore.js';
import { licenseRef } from './licenses.js';

export const violationsCollection = async (licenseKey: string) =>
  (await licenseRef(licenseKey)).collection(SUB.violations).withConverter(converter<ViolationRecord>());

/** The licence's violations, newest first. */
export async function listViolations(licenseKey: string, limit = 100): Promise<ViolationRecord[]> {
  const snap = await (await violationsCollection(licenseKey)).orderBy('detectedAt', 'desc').limit(limit).get();
  return snap.docs.map((d) => d.data());
}

// ---- Licence management (admin operations: resolveLicense, regenerate) ----

/** Every violation of a licence, read in `tx`. */
export async function readViolations(tx: Transaction, licenseKey: string): Promise<QueryDocumentSnapshot<ViolationRecord>[]> {
  return (await tx.get(await violationsCollection(licenseKey))).docs;
}

/** Adds the violation to `writer` (not yet committed). */
export async function putViolation(writer: Writer, licenseKey: string, violation: ViolationRecord): Promise<void> {
  put(writer, (await violationsCollection(licenseKey)).doc(violation.id), violation);
}

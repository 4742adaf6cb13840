// licenses/{licenseKey}/violations/{id}: what a licence was flagged for.
import type { ViolationRecord } from '../domain/violation.js';
import { SUB } from './collections.js';
import { converter, put, type Writer } from './firestore.js';
import { licenseRef } from './licenses.js';

export const violationsCollection = async (licenseKey: string) =>
  (await licenseRef(licenseKey)).collection(SUB.violations).withConverter(converter<ViolationRecord>());

/** The licence's violations, newest first. */
export async function listViolations(licenseKey: string, limit = 100): Promise<ViolationRecord[]> {
  const snap = await (await violationsCollection(licenseKey)).orderBy('detectedAt', 'desc').limit(limit).get();
  return snap.docs.map((d) => d.data());
}

/** Adds the violation to `writer` (not yet committed). */
export async function putViolation(writer: Writer, licenseKey: string, violation: ViolationRecord): Promise<void> {
  put(writer, (await violationsCollection(licenseKey)).doc(violation.id), violation);
}

// licenses/{licenseKey}/activations/{fingerprint hash}: the machines bound to a licence.
import { importedActivation, type ActivationRecord, type ImportedMachine } from '../domain/activation.js';
import { randomToken } from '../domain/crypto.js';
import type { LicenseRecord } from '../domain/license.js';
import { SUB } from './collections.js';
import type { QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { converter, db, put, type Query, type Transaction, type WriteBatch } from './firestore.js';
import { licenseRef } from './licenses.js';

export const activationsCollection = async (licenseKey: string) =>
  (await licenseRef(licenseKey)).collection(SUB.activations).withConverter(converter<ActivationRecord>());

export const activationRef = async (licenseKey: string, fingerprint: string) => (await activationsCollection(licenseKey)).doc(fingerprint);

/** Every activation of a licence, oldest first. */
export async function listActivations(licenseKey: string): Promise<ActivationRecord[]> {
  const snap = await (await activationsCollection(licenseKey)).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime());
}

// ---- Licence management (admin operations: removeActivation, resetActivations, regenerate) ----

/** Every activation of a licence, read in `tx` (so a concurrent activation serialises with it). */
export async function readActivations(tx: Transaction, licenseKey: string): Promise<QueryDocumentSnapshot<ActivationRecord>[]> {
  return (await tx.get(await activationsCollection(licenseKey))).docs;
}

const byId = async (licenseKey: string, activationId: string) => (await activationsCollection(licenseKey)).where('activationId', '==', activationId).limit(1);

/** The activation with this id, read in `tx`. */
export async function findActivation(tx: Transaction, licenseKey: string, activationId: string): Promise<QueryDocumentSnapshot<ActivationRecord> | undefined> {
  return (await tx.get(await byId(licenseKey, activationId))).docs[0];
}

/** The activation with this id, read outside a transaction (verify). */
export async function getActivationById(licenseKey: string, activationId: string): Promise<ActivationRecord | undefined> {
  return (await (await byId(licenseKey, activationId)).get()).docs[0]?.data();
}

// Only a held floating lease has a leaseExpiresAt (ending a lease clears it), so these single-field
// range queries find exactly the lapsed leases still holding a seat.

/** Up to `limit` of the licence's lapsed leases that still hold a seat. */
export async function lapsedLeasesOf(licenseKey: string, now: Date, limit: number): Promise<Query<ActivationRecord>> {
  return (await activationsCollection(licenseKey)).where('leaseExpiresAt', '<=', now).limit(limit);
}

/** A page of lapsed leases across all licences, oldest first, after `cursor`. */
export async function lapsedLeasesPage(now: Date, limit: number, cursor?: QueryDocumentSnapshot<ActivationRecord>) {
  let query = (await db()).collectionGroup(SUB.activations).withConverter(converter<ActivationRecord>()).where('leaseExpiresAt', '<=', now).orderBy('leaseExpiresAt');
  if (cursor) query = query.startAfter(cursor);
  return (await query.limit(limit).get()).docs;
}

/** Writes an imported licence's machines with it, in the licence's own batch. */
export async function writeImportedMachines(batch: WriteBatch, license: LicenseRecord, machines: readonly ImportedMachine[]): Promise<void> {
  const floating = license.licenseType === 'floating';
  for (const m of machines) put(batch, await activationRef(license.licenseKey, m.fingerprint), importedActivation(license.licenseKey, m, floating, `act_${randomToken(12)}`));
}

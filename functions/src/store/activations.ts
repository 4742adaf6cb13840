// licenses/{licenseKey}/activations/{fingerprint hash}: the machines bound to a licence.
import type { ActivationRecord } from '../domain/activation.js';
import { SUB } from './collections.js';
import { converter } from './firestore.js';
import { licenseRef } from './licenses.js';

export const activationsCollection = async (licenseKey: string) =>
  (await licenseRef(licenseKey)).collection(SUB.activations).withConverter(converter<ActivationRecord>());

export const activationRef = async (licenseKey: string, fingerprint: string) => (await activationsCollection(licenseKey)).doc(fingerprint);

/** Every activation of a licence, oldest first. */
export async function listActivations(licenseKey: string): Promise<ActivationRecord[]> {
  const snap = await (await activationsCollection(licenseKey)).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime());
}

// The default machine fingerprint: the operating system's machine id (the registry's
// MachineGuid, IOPlatformUUID, /etc/machine-id), hashed with the product id, so the server never
// sees the raw hardware id and two products cannot correlate their machines.
import { createHash } from 'node:crypto';
import nodeMachineId from 'node-machine-id';
import { FingerprintUnavailableError } from './errors.js';

export async function defaultFingerprint(productId: string): Promise<string> {
  let id: string;
  try {
    id = await nodeMachineId.machineId(true);
  } catch (e) {
    throw new FingerprintUnavailableError('fingerprint_unavailable', 'Could not read this machine\'s id; pass a `fingerprint` option', { cause: e });
  }
  if (!id) throw new FingerprintUnavailableError('fingerprint_unavailable', 'This machine has no machine id; pass a `fingerprint` option');
  return createHash('sha256').update(`${productId}:${id}`, 'utf8').digest('hex');
}

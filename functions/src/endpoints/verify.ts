// verify: a licence's state without machine binding; with a `machineFingerprint` or an
// `activationId` (the plan guide's "instance ID") also whether that machine is activated
// (`isActivated`, and its activationId), recording it as seen (`lastSeen`, at most once per
// touch interval). Otherwise read-only.
import { z } from 'zod';
import { refusalOf, seatsOf, warningOf } from '../domain/access.js';
import { fingerprintHash, type ActivationRecord } from '../domain/activation.js';
import { notFound } from '../domain/errors.js';
import { statusAt, type LicenseRecord } from '../domain/license.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey, slug } from '../http/fields.js';
import { iso } from '../http/present.js';
import { getActivationById } from '../store/activations.js';
import { getLicenseRecord } from '../store/licenses.js';
import { peekSeat, touchLastSeen } from '../store/seats.js';
import { activationId, machineFingerprint } from './clientFields.js';
import { licenseStatus, seats, time, warning, when } from '../http/replies.js';

/** The licence and, when the request names a machine, its activation (undefined: none). */
async function read(input: { licenseKey: string; machineFingerprint?: string | undefined; activationId?: string | undefined }): Promise<{ license: LicenseRecord | undefined; activation: ActivationRecord | undefined }> {
  if (input.machineFingerprint !== undefined) return peekSeat(input.licenseKey, fingerprintHash(input.machineFingerprint));
  const [license, activation] = await Promise.all([
    getLicenseRecord(input.licenseKey),
    input.activationId === undefined ? undefined : getActivationById(input.licenseKey, input.activationId),
  ]);
  return { license, activation };
}

export default clientEndpoint({
  response: z.looseObject({
    status: licenseStatus,
    licenseType: z.string(),
    productId: z.string(),
    variant: z.string().nullable(),
    expiresAt: when(),
    ...seats,
    isActivated: z.boolean().optional(),
    activationId: z.string().optional(),
    deviceBlocked: z.boolean().optional(),
    ...warning,
    serverTime: time(),
  }),
  shape: 'valid',
  limitsAlongside: true,
  schema: z
    .object({ licenseKey: licenseKey(), productId: slug().optional(), machineFingerprint: machineFingerprint().optional(), activationId: activationId().optional() })
    .refine((v) => v.machineFingerprint === undefined || v.activationId === undefined, { message: 'give machineFingerprint or activationId, not both', path: ['activationId'] }),
  handle: async (input, { now }) => {
    const named = input.machineFingerprint !== undefined || input.activationId !== undefined;
    const { license, activation } = await read(input);
    if (!license) throw notFound('Licence');
    const refusal = refusalOf(license, now, input.productId);
    if (refusal) throw refusal;
    const isActivated = activation?.sessionActive === true && !activation.blocked;
    if (activation && isActivated) await touchLastSeen(activation, now);
    return {
      status: statusAt(license, now),
      licenseType: license.licenseType,
      productId: license.productId,
      variant: license.variant,
      expiresAt: iso(license.expiresAt),
      ...seatsOf(license),
      // What the creator attached to the licence (the plan guide's and Paperkey's validate show it).
      metadata: license.metadata,
      ...(named ? { isActivated, ...(isActivated ? { activationId: activation?.activationId } : {}), ...(activation?.blocked ? { deviceBlocked: true } : {}) } : {}),
      ...warningOf(license, now),
      serverTime: iso(now),
    };
  },
});

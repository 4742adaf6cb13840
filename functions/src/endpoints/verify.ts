// verify: a licence's state without machine binding; with a `machineFingerprint` also whether that
// machine is activated (`isActivated`, and its activationId), recording it as seen (`lastSeen`, at
// most once per touch interval). Otherwise read-only: one batched read.
import { z } from 'zod';
import { refusalOf, seatsOf, warningOf } from '../domain/access.js';
import { fingerprintHash } from '../domain/activation.js';
import { notFound } from '../domain/errors.js';
import { statusAt } from '../domain/license.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey, slug } from '../http/fields.js';
import { iso } from '../http/present.js';
import { getLicenseRecord } from '../store/licenses.js';
import { peekSeat, touchLastSeen } from '../store/seats.js';
import { machineFingerprint } from './clientFields.js';

export default clientEndpoint({
  shape: 'valid',
  limitsAlongside: true,
  schema: z.object({ licenseKey: licenseKey(), productId: slug().optional(), machineFingerprint: machineFingerprint().optional() }),
  handle: async (input, { now }) => {
    const machine = input.machineFingerprint === undefined ? undefined : fingerprintHash(input.machineFingerprint);
    const { license, activation } = machine === undefined ? { license: await getLicenseRecord(input.licenseKey), activation: undefined } : await peekSeat(input.licenseKey, machine);
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
      ...(machine === undefined ? {} : { isActivated, ...(isActivated ? { activationId: activation?.activationId } : {}), ...(activation?.blocked ? { deviceBlocked: true } : {}) }),
      ...warningOf(license, now),
      serverTime: iso(now),
    };
  },
});

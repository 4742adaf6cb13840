// deactivate: frees the machine's seat (on uninstall, or to move to another machine), named by its
// fingerprint or by its activationId (the plan guide's "instance ID"). A freed seat is a transfer:
// past the licence's maxTransfers it is refused with 429 transfer_limit.
import { z } from 'zod';
import { seatsOf } from '../domain/access.js';
import { fingerprintHash } from '../domain/activation.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { iso } from '../http/present.js';
import { releaseSeat } from '../store/seats.js';
import { activationId, machineFingerprint } from './clientFields.js';
import { seats, time } from '../http/replies.js';

export default clientEndpoint({
  response: z.looseObject({ ...seats, serverTime: time() }),
  limitsAlongside: true,
  schema: z
    .object({ licenseKey: licenseKey(), machineFingerprint: machineFingerprint().optional(), activationId: activationId().optional() })
    .refine((v) => (v.machineFingerprint === undefined) !== (v.activationId === undefined), { message: 'give machineFingerprint or activationId (one of them)', path: ['machineFingerprint'] }),
  handle: async (input, ctx) => {
    const { now } = ctx;
    // Counted per key now, judged against the licence's own limit once the transaction read it.
    const limits = ctx.perLicense('deactivate', input.licenseKey);
    const machine = input.activationId !== undefined ? { activationId: input.activationId } : { fingerprint: fingerprintHash(input.machineFingerprint as string) };
    const license = await releaseSeat(input.licenseKey, machine, now, (stored) => limits.admit(stored));
    return { ...seatsOf(license), serverTime: iso(now) };
  },
});

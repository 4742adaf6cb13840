// getLicense: a licence with its activations and violations, and `machinesUsed` beside them (CG's
// creator tool reads it there).
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { assertVisible } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { licenseKey } from '../http/fields.js';
import { presentActivation, presentLicense, presentViolation } from '../http/present.js';
import { listActivations } from '../store/activations.js';
import { getLicenseRecord } from '../store/licenses.js';
import { listViolations } from '../store/violations.js';

export default adminEndpoint({
  get: true,
  schema: z.object({ licenseKey: licenseKey() }),
  handle: async (input, { caller, now }) => {
    const [license, activations, violations] = await Promise.all([
      getLicenseRecord(input.licenseKey),
      listActivations(input.licenseKey),
      listViolations(input.licenseKey),
    ]);
    if (!license) throw notFound('Licence');
    assertVisible(caller, license.creatorId, 'Licence');
    return {
      license: presentLicense(license, now),
      activations: activations.map(presentActivation),
      violations: violations.map(presentViolation),
      machinesUsed: license.machinesUsed,
    };
  },
});

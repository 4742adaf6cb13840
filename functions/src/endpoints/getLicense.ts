// getLicense: a licence with its activations and violations, and `machinesUsed` beside them (CG's
// creator tool reads it there). `facts: true` adds what support asks about a key (presentKeyFacts).
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { assertLicenseVisible } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { bool, licenseKey } from '../http/fields.js';
import { presentActivation, presentKeyFacts, presentLicense, presentViolation } from '../http/present.js';
import { getProduct } from '../store/products.js';
import { listActivations } from '../store/activations.js';
import { getLicenseRecord } from '../store/licenses.js';
import { listViolations } from '../store/violations.js';
import { activationReply, count, licenseReply, violationReply } from '../http/replies.js';

export default adminEndpoint({
  example: { request: { licenseKey: 'ACME-7K2M-9QXP-4TRB-W8' } },
  response: z.looseObject({
    facts: z.looseObject({}).optional(),
    license: licenseReply,
    activations: z.array(activationReply),
    violations: z.array(violationReply),
    machinesUsed: count(),
  }),
  get: true,
  schema: z.object({ licenseKey: licenseKey(), facts: bool().optional() }),
  handle: async (input, { caller, now }) => {
    const [license, activations, violations] = await Promise.all([
      getLicenseRecord(input.licenseKey),
      listActivations(input.licenseKey),
      listViolations(input.licenseKey),
    ]);
    if (!license) throw notFound('Licence');
    assertLicenseVisible(caller, license);
    const product = input.facts ? await getProduct(license.productId) : undefined;
    return {
      ...(product ? { facts: presentKeyFacts(license, product, activations) } : {}),
      license: presentLicense(license, now),
      activations: activations.map(presentActivation),
      violations: violations.map(presentViolation),
      machinesUsed: license.machinesUsed,
    };
  },
});

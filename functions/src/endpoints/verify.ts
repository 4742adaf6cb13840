// verify: a licence's state without machine binding. Read-only: one document read.
import { z } from 'zod';
import { refusalOf, seatsOf, warningOf } from '../domain/access.js';
import { notFound } from '../domain/errors.js';
import { statusAt } from '../domain/license.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey, slug } from '../http/fields.js';
import { iso } from '../http/present.js';
import { getLicenseRecord } from '../store/licenses.js';

export default clientEndpoint({
  shape: 'valid',
  limitsAlongside: true,
  schema: z.object({ licenseKey: licenseKey(), productId: slug().optional() }),
  handle: async (input, { now }) => {
    const license = await getLicenseRecord(input.licenseKey);
    if (!license) throw notFound('Licence');
    const refusal = refusalOf(license, now, input.productId);
    if (refusal) throw refusal;
    return {
      status: statusAt(license, now),
      licenseType: license.licenseType,
      productId: license.productId,
      variant: license.variant,
      expiresAt: iso(license.expiresAt),
      ...seatsOf(license),
      ...warningOf(license, now),
      serverTime: iso(now),
    };
  },
});

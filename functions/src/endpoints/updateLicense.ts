// updateLicense: an admin's edit of one licence's terms, status, expiry, email or metadata.
// It takes effect at once: activation reads the licence in its own transaction, so a raised
// maxMachines admits the next machine immediately.
import { z } from 'zod';
import { invalidRequest, notFound } from '../domain/errors.js';
import { ADMIN_STATUSES } from '../domain/license.js';
import { editLicense } from '../domain/licenseChanges.js';
import { PRODUCT_DEFAULTS } from '../domain/product.js';
import { adminEndpoint } from '../http/endpoint.js';
import { email, isoDate, licenseKey, licenseType, maxConcurrent, maxMachines, maxTransfers, metadata, slug, graceDays } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { changeLicense } from '../store/licenseChanges.js';
import { getProduct, getVariant } from '../store/products.js';
import { licenseReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ license: licenseReply }),
  schema: z.object({
    licenseKey: licenseKey(),
    variant: slug().nullable().optional(),
    licenseType: licenseType().optional(),
    maxMachines: maxMachines().optional(),
    maxConcurrent: maxConcurrent().optional(),
    maxTransfers: maxTransfers().optional(),
    graceDays: graceDays().optional(),
    status: z.enum(ADMIN_STATUSES).optional(),
    expiresAt: isoDate().nullable().optional(),
    email: email().optional(),
    metadata: metadata().optional(),
  }),
  handle: async (input, { caller, now }) => {
    const { licenseKey: key, ...edit } = input;
    if (Object.values(edit).every((v) => v === undefined)) throw invalidRequest('Invalid request: give at least one field to update');
    const license = await changeLicense(caller, key, now, async (current) => {
      if (edit.variant && !(await getVariant(current.productId, edit.variant))) throw notFound('Variant');
      const needsDefault = edit.licenseType === 'floating' && edit.maxConcurrent === undefined && current.maxConcurrent === null;
      const floatingDefault = (needsDefault && (await getProduct(current.productId))?.maxConcurrent) || PRODUCT_DEFAULTS.maxConcurrent;
      const { license: next, changed } = editLicense(current, edit, now, floatingDefault);
      if (changed.length === 0) return undefined;
      return { license: next, event: 'license.updated', data: { changed, license: presentLicense(next, now) } };
    });
    return { license: presentLicense(license, now) };
  },
});

// listLicenses: a creator's licences (the super admin's: everyone's, or one creator's), filtered
// by product, status and email, a page at a time with an opaque cursor (store/licenseList.ts).
// Live licences unless `sandbox: true` asks for the test-mode ones; a test key lists only those,
// a live key never sees them (404 when it asks).
import { z } from 'zod';
import { LICENSE_STATUSES } from '../domain/license.js';
import { notFound } from '../domain/errors.js';
import { actingCreator, canSeeLicense, modeOf } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { bool, creatorId, email, identifier, int, slug } from '../http/fields.js';
import { presentLicense } from '../http/present.js';
import { listLicensePage } from '../store/licenseList.js';
import { findPurchasedLicense } from '../store/licenses.js';
import { visibleProduct } from '../licensing/lookup.js';
import { licenseReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ licenses: z.array(licenseReply), nextCursor: z.string().nullable() }),
  get: true,
  schema: z.object({
    productId: slug().optional(),
    status: z.enum(LICENSE_STATUSES).optional(),
    email: email().optional(),
    /** The order id the licence was issued for: at most one licence matches. */
    purchaseId: identifier().optional(),
    limit: int(1, 500).default(50),
    cursor: z.string().min(1).max(500).optional(),
    creatorId: creatorId().optional(),
    sandbox: bool().optional(),
  }),
  handle: async (input, { caller, now }) => {
    const creator = actingCreator(caller, input.creatorId);
    const sandbox = modeOf(caller) === 'test' || input.sandbox === true;
    if (!canSeeLicense(caller, { creatorId: creator ?? '', sandbox }) && caller.kind === 'creator') throw notFound('Licences');
    const inMode = (l: { sandbox?: boolean | undefined }) => (l.sandbox === true) === sandbox;
    if (input.productId !== undefined) {
      const product = await visibleProduct(caller, input.productId);
      if (creator !== undefined && product.creatorId !== creator) return { licenses: [], nextCursor: null };
    }
    if (input.purchaseId !== undefined) {
      const owner = actingCreator(caller, input.creatorId, true);
      const found = await findPurchasedLicense(owner, input.purchaseId);
      const license = found ? presentLicense(found, now) : undefined;
      const matches =
        license !== undefined &&
        found !== undefined &&
        inMode(found) &&
        (input.productId === undefined || license.productId === input.productId) &&
        (input.status === undefined || license.status === input.status) &&
        (input.email === undefined || license.email === input.email);
      return { licenses: matches ? [license] : [], nextCursor: null };
    }
    const page = await listLicensePage({ ...input, creatorId: creator, sandbox }, now, input.limit, input.cursor);
    return { licenses: page.licenses.map((l) => presentLicense(l, now)), nextCursor: page.nextCursor };
  },
});

// listTrialCodes: CG's name for listDiscountCodes, trial codes only.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, slug } from '../http/fields.js';
import { listCodesOf } from './codes.js';

export default adminEndpoint({
  get: true,
  schema: z.object({ productId: slug().optional(), creatorId: creatorId().optional() }),
  handle: (input, { caller }) => listCodesOf(input, caller, true),
});

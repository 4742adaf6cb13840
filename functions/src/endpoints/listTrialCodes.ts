// listTrialCodes: CG's name for listDiscountCodes, trial codes only.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, slug } from '../http/fields.js';
import { listCodesOf } from './codes.js';
import { codeReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ codes: z.array(codeReply) }),
  get: true,
  schema: z.object({ productId: slug().optional(), creatorId: creatorId().optional() }),
  handle: (input, { caller }) => listCodesOf(input, caller, true),
});

// listDiscountCodes: the creator's codes; with productId, those that apply to it (its own and
// those for all products).
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, slug } from '../http/fields.js';
import { listCodesOf } from './codes.js';
import { codeReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ codes: z.array(codeReply) }),
  get: true,
  schema: z.object({ productId: slug().optional(), creatorId: creatorId().optional() }),
  handle: (input, { caller }) => listCodesOf(input, caller),
});

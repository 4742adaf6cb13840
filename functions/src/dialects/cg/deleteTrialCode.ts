// CG Lounge `deleteTrialCode`: the core's deleteDiscountCode on a trial code (any other is not found).
import { z } from 'zod';
import { adminEndpoint, dialectRoute } from '../../http/endpoint.js';
import { done } from '../../http/replies.js';
import { codeFields, removeCode } from '../../endpoints/codes.js';

export default dialectRoute({
  endpoint: adminEndpoint({
    response: done, schema: z.object({ code: codeFields.code, creatorId: codeFields.creatorId }), handle: (input, { caller }) => removeCode(input, caller, 'trial') }),
});

// CG Lounge `listTrialCodes`: the core's listDiscountCodes, trial codes only.
import { z } from 'zod';
import { adminEndpoint, dialectRoute } from '../../http/endpoint.js';
import { codeReply } from '../../http/replies.js';
import { creatorId, slug } from '../../http/fields.js';
import { listCodesOf } from '../../endpoints/codes.js';

export default dialectRoute({
  endpoint: adminEndpoint({
    response: z.looseObject({ codes: z.array(codeReply) }),
    get: true,
    schema: z.object({ productId: slug().optional(), creatorId: creatorId().optional() }),
    handle: (input, { caller }) => listCodesOf(input, caller, 'trial'),
  }),
});

// CG Lounge `createTrialCode`: the core's createDiscountCode for a code whose type is always trial.
import { z } from 'zod';
import { adminEndpoint, dialectRoute } from '../../http/endpoint.js';
import { codeReply } from '../../http/replies.js';
import { codeFields, createCode } from '../../endpoints/codes.js';

export default dialectRoute({
  endpoint: adminEndpoint({
    response: z.looseObject({ code: codeReply }), schema: z.object(codeFields), handle: (input, ctx) => createCode(input, ctx, 'trial') }),
});

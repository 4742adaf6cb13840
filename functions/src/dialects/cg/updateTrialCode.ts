// CG Lounge `updateTrialCode`: the core's updateDiscountCode on a trial code (any other is not found).
import { z } from 'zod';
import { adminEndpoint, dialectRoute } from '../../http/endpoint.js';
import { codeReply } from '../../http/replies.js';
import { codeFields, updateCode } from '../../endpoints/codes.js';

export default dialectRoute({
  endpoint: adminEndpoint({
    response: z.looseObject({ code: codeReply }), schema: z.object(codeFields), handle: (input, ctx) => updateCode(input, ctx, 'trial') }),
});

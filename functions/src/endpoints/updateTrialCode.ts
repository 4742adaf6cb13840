// updateTrialCode: CG's name for updateDiscountCode on a trial code.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { codeFields, updateCode } from './codes.js';
import { codeReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ code: codeReply }),
  schema: z.object(codeFields),
  handle: (input, ctx) => updateCode(input, ctx, true),
});

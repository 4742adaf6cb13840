// createTrialCode: CG's name for createDiscountCode with type trial.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { codeFields, createCode } from './codes.js';
import { codeReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ code: codeReply }),
  schema: z.object(codeFields),
  handle: (input, ctx) => createCode(input, ctx, true),
});

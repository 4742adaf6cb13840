// createTrialCode: CG's name for createDiscountCode with type trial.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { codeFields, createCode } from './codes.js';

export default adminEndpoint({
  schema: z.object(codeFields),
  handle: (input, ctx) => createCode(input, ctx, true),
});

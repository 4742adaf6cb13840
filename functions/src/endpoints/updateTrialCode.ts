// updateTrialCode: CG's name for updateDiscountCode on a trial code.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { codeFields, updateCode } from './codes.js';

export default adminEndpoint({
  schema: z.object(codeFields),
  handle: (input, ctx) => updateCode(input, ctx, true),
});

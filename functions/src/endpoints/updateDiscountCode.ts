// updateDiscountCode: any of a code's settings, `active` included; `usedCount` only counts uses.
import { z } from 'zod';
import { CODE_TYPES } from '../domain/code.js';
import { adminEndpoint } from '../http/endpoint.js';
import { amountFields, codeFields, updateCode } from './codes.js';
import { codeReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ code: codeReply }),
  schema: z.object({ ...codeFields, type: z.enum(CODE_TYPES).optional(), ...amountFields }),
  handle: (input, ctx) => updateCode(input, ctx),
});

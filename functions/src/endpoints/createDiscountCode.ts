// createDiscountCode: a trial, percent or fixed-amount code, unique within the creator (409).
import { z } from 'zod';
import { CODE_TYPES } from '../domain/code.js';
import { adminEndpoint } from '../http/endpoint.js';
import { amountFields, codeFields, createCode } from './codes.js';
import { codeReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ code: codeReply }),
  schema: z.object({ ...codeFields, type: z.enum(CODE_TYPES), ...amountFields }),
  handle: (input, ctx) => createCode(input, ctx),
});

// deleteDiscountCode: the code can no longer be used; licences that used it keep it on record.
import { z } from 'zod';
import { adminEndpoint } from '../http/endpoint.js';
import { codeFields, removeCode } from './codes.js';
import { done } from '../http/replies.js';

export default adminEndpoint({
  response: done,
  schema: z.object({ code: codeFields.code, creatorId: codeFields.creatorId }),
  handle: (input, { caller }) => removeCode(input, caller),
});

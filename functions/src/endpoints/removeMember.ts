// removeMember: the owner removes a teammate, whose ID token is refused from the next request on;
// or, given `email`, withdraws an invitation not yet accepted.
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, email, text } from '../http/fields.js';
import { deleteInvite, removeMember } from '../store/members.js';
import { done } from '../http/replies.js';

export default adminEndpoint({
  response: done,
  example: { request: { email: 'dev@acme.example' }, response: { success: true } },
  who: 'owner',
  schema: z
    .object({ uid: text(128).optional(), email: email().optional(), creatorId: creatorId().optional() })
    .refine((v) => (v.uid === undefined) !== (v.email === undefined), { message: 'give exactly one of uid (a member) or email (an invitation)', path: ['uid'] }),
  handle: async (input, { caller }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    if (input.uid !== undefined) await removeMember(owner, input.uid);
    else await deleteInvite(owner, input.email!);
    return {};
  },
});

// inviteMember: the owner invites a teammate by email; the invitation is accepted when a person
// with that verified email signs in (store/members.ts). Inviting again keeps the first invitation.
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, email } from '../http/fields.js';
import { presentInvite } from '../http/present.js';
import { createInvite } from '../store/members.js';
import { inviteReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ invite: inviteReply }),
  example: { request: { email: 'dev@acme.example' }, response: { success: true, invite: { email: 'dev@acme.example', role: 'member', createdAt: '2026-11-30T09:00:00.000Z' } } },
  who: 'owner',
  schema: z.object({ email: email(), creatorId: creatorId().optional() }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    const invitedBy = caller.kind === 'creator' ? caller.member?.email ?? '' : 'super admin';
    const invite = await createInvite({ creatorId: owner, email: input.email, invitedBy, now });
    return { invite: presentInvite(invite) };
  },
});

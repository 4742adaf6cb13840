// listMembers: the creator's people and the invitations not yet accepted.
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { presentInvite, presentMember } from '../http/present.js';
import { listInvites, listMembers } from '../store/members.js';

export default adminEndpoint({
  who: 'person',
  get: true,
  schema: z.object({ creatorId: creatorId().optional() }),
  handle: async (input, { caller }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    const [members, invites] = await Promise.all([listMembers(owner), listInvites(owner)]);
    return { members: members.map(presentMember), invites: invites.map(presentInvite) };
  },
});

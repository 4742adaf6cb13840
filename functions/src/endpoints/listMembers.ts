// listMembers: the creator's people and the invitations not yet accepted.
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { presentInvite, presentMember } from '../http/present.js';
import { listInvites, listMembers } from '../store/members.js';
import { inviteReply, memberReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ members: z.array(memberReply), invites: z.array(inviteReply).meta({ description: 'Invitations not yet accepted' }) }),
  example: {
    request: {},
    response: {
      success: true,
      members: [{ uid: 'x7Qm2fLw9bT1', email: 'owner@acme.example', role: 'owner', joinedAt: '2026-11-30T09:00:00.000Z' }],
      invites: [{ email: 'dev@acme.example', role: 'member', createdAt: '2026-11-30T09:00:00.000Z' }],
    },
  },
  who: 'person',
  get: true,
  schema: z.object({ creatorId: creatorId().optional() }),
  handle: async (input, { caller }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    const [members, invites] = await Promise.all([listMembers(owner), listInvites(owner)]);
    return { members: members.map(presentMember), invites: invites.map(presentInvite) };
  },
});

// createAccount: sign-up. The signed-in person creates their creator under an id they choose (its
// licence-key prefix is fixed from it now) and becomes its owner. 409 if the id is taken or the
// person already belongs to a creator.
import { z } from 'zod';
import { invalidRequest } from '../domain/errors.js';
import { accountEndpoint } from '../http/endpoint.js';
import { creatorId, text } from '../http/fields.js';
import { presentAccount } from '../http/present.js';
import { createCreatorWithOwner } from '../store/members.js';
import { accountReply } from '../http/replies.js';

export default accountEndpoint({
  response: z.looseObject({ account: accountReply }),
  example: {
    request: { creatorId: 'acme-studio', name: 'Acme Studio' },
    response: { success: true, account: { creatorId: 'acme-studio', name: 'Acme Studio', keyPrefix: 'ACME', role: 'owner', createdAt: '2026-11-30T09:00:00.000Z' } },
  },
  schema: z.object({ creatorId: creatorId(), name: text(100).optional() }),
  handle: async (input, { user, now }) => {
    if (!user.email) throw invalidRequest('The signed-in user has no email address');
    const { creator, member } = await createCreatorWithOwner({ creatorId: input.creatorId, name: input.name ?? input.creatorId, uid: user.uid, email: user.email, now });
    return { account: presentAccount(creator, member.role) };
  },
});

// getAccount: who the signed-in person is and the creator they belong to (null before sign-up).
// A person invited by email joins the inviting creator here, on first sign-in with that address
// verified.
import { z } from 'zod';
import { accountEndpoint } from '../http/endpoint.js';
import { presentAccount } from '../http/present.js';
import { getCreator } from '../store/creators.js';
import { membershipOf } from '../store/members.js';
import { accountReply } from '../http/replies.js';

export default accountEndpoint({
  response: z.looseObject({
    user: z.looseObject({ uid: z.string(), email: z.string().nullable(), emailVerified: z.boolean() }),
    account: accountReply.nullable().meta({ description: 'null before sign-up (createAccount)' }),
  }),
  example: {
    request: {},
    response: {
      success: true,
      user: { uid: 'x7Qm2fLw9bT1', email: 'owner@acme.example', emailVerified: true },
      account: { creatorId: 'acme-studio', name: 'Acme Studio', keyPrefix: 'ACME', role: 'owner', createdAt: '2026-11-30T09:00:00.000Z' },
    },
  },
  get: true,
  schema: z.object({}),
  handle: async (_input, { user, now }) => {
    const member = await membershipOf(user, now);
    const creator = member ? await getCreator(member.creatorId) : undefined;
    return {
      user: { uid: user.uid, email: user.email ?? null, emailVerified: user.emailVerified },
      account: member && creator ? presentAccount(creator, member.role) : null,
    };
  },
});

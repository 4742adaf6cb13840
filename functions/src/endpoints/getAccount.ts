// getAccount: who the signed-in person is and the creator they belong to (null before sign-up).
// A person invited by email joins the inviting creator here, on first sign-in with that address
// verified.
import { z } from 'zod';
import { accountEndpoint } from '../http/endpoint.js';
import { presentAccount } from '../http/present.js';
import { getCreator } from '../store/creators.js';
import { membershipOf } from '../store/members.js';

export default accountEndpoint({
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

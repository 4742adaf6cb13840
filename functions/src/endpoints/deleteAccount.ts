// deleteAccount: the owner closes the account for good. Everything it owns is deleted — API keys,
// webhook secrets and endpoints, people and invitations, licences (no key of it works again),
// purchases, codes, emails, events, sales and products — and its id and key prefix are never
// given out again. `confirm` must repeat the account id. The request deletes up to a budget and
// answers `purged: true` when nothing is left; a larger account is finished by the scheduled
// purgeClosedAccounts job within minutes. Owners only (a teammate gets 403, an API key 401).
import { z } from 'zod';
import { ACCOUNTS } from '../config.js';
import { invalidRequest, notFound } from '../domain/errors.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, text } from '../http/fields.js';
import { closeCreator, purgeCreator } from '../store/accounts.js';
import { count, time } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({
    closed: z.literal(true),
    creatorId: z.string(),
    closedAt: time(),
    purged: z.boolean().meta({ description: 'false: more was left than one request deletes; purgeClosedAccounts finishes it' }),
    deleted: count().meta({ description: 'Documents this request deleted' }),
  }),
  example: { request: { confirm: 'acme-studio' }, response: { success: true, closed: true, creatorId: 'acme-studio', closedAt: '2026-11-30T09:00:00.000Z', purged: true, deleted: 214 } },
  who: 'owner',
  schema: z.object({ confirm: text(63), creatorId: creatorId().optional() }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    if (input.confirm !== owner) throw invalidRequest(`confirm must be the account id (${owner}) to close it for good`);
    const closed = await closeCreator(owner, now);
    if (!closed) throw notFound('Creator');
    const { deleted, done } = closed.purgedAt ? { deleted: 0, done: true } : await purgeCreator(owner, ACCOUNTS.purgeBudget, now);
    return { closed: true, creatorId: owner, closedAt: closed.closedAt!.toISOString(), purged: done, deleted };
  },
});

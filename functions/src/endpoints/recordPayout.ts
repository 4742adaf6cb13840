// recordPayout (super admin): money the platform paid out to a creator. Once per `payoutId`:
// the same id again returns the first record and counts nothing twice. getStats subtracts
// payouts from the creator's net to show `pendingPayoutCents` per currency.
import { z } from 'zod';
import { conflict, notFound } from '../domain/errors.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, currency, identifier, int, isoDate, text } from '../http/fields.js';
import { presentPayout } from '../http/present.js';
import { getCreator } from '../store/creators.js';
import { recordPayoutOnce } from '../store/payouts.js';
import { payoutReply } from '../http/replies.js';

export default adminEndpoint({
  response: z.looseObject({ payout: payoutReply, created: z.boolean().meta({ description: 'false: this payoutId was already recorded (the first record is returned)' }) }),
  example: {
    request: { creatorId: 'acme-studio', payoutId: 'po-2026-11', amountCents: 125000, currency: 'USD' },
    response: { success: true, payout: { creatorId: 'acme-studio', payoutId: 'po-2026-11', amountCents: 125000, currency: 'USD', paidAt: '2026-11-30T09:00:00.000Z', note: null, createdAt: '2026-11-30T09:00:00.000Z' }, created: true },
  },
  superOnly: true,
  schema: z.object({
    creatorId: creatorId(),
    payoutId: identifier(),
    amountCents: int(1, 100_000_000_000),
    currency: currency(),
    paidAt: isoDate().optional(),
    note: text(500).optional(),
  }),
  handle: async (input, { now }) => {
    if (!(await getCreator(input.creatorId))) throw notFound('Creator');
    const { payout, created } = await recordPayoutOnce({
      creatorId: input.creatorId,
      payoutId: input.payoutId,
      amountCents: input.amountCents,
      currency: input.currency,
      paidAt: input.paidAt ?? now,
      note: input.note ?? null,
      createdAt: now,
    });
    if (!created && (payout.amountCents !== input.amountCents || payout.currency !== input.currency)) {
      throw conflict(`Payout ${input.payoutId} was recorded with another amount`);
    }
    return { payout: presentPayout(payout), created };
  },
});

// portalDeactivate: the buyer frees one of their machines' seats ("Deactivate" in the portal)
// through the core's deactivation: the licence's transfer limit (429 transfer_limit) and the
// per-key deactivate limit hold as for the app's own call, and the event records the buyer.
import { z } from 'zod';
import { seatsOf } from '../domain/access.js';
import { notFound } from '../domain/errors.js';
import { buyerMaySee } from '../domain/portal.js';
import { buyerEndpoint } from '../http/endpoint.js';
import { buyerLicense } from '../store/portal.js';
import { releaseSeat } from '../store/seats.js';
import { seats } from '../http/replies.js';
import { activationId } from './clientFields.js';
import { licenseRef } from './portalFields.js';

export default buyerEndpoint({
  schema: z.object({ licenseRef: licenseRef(), activationId: activationId() }),
  response: z.looseObject({ ...seats }),
  handle: async (input, ctx) => {
    const { buyer, now } = ctx;
    const { license: listed, product } = await buyerLicense(buyer, input.licenseRef);
    const limits = ctx.perLicense('deactivate', listed.licenseKey);
    // The transaction reads the licence again: revoked or re-sold meanwhile is a 404, nothing freed.
    const license = await releaseSeat(
      listed.licenseKey,
      { activationId: input.activationId },
      now,
      async (stored) => {
        if (!stored || !buyerMaySee(buyer.email, stored, product)) throw notFound('Licence');
        await limits.admit(stored);
      },
      { kind: 'buyer', email: buyer.email },
    );
    return seatsOf(license);
  },
});

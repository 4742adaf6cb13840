// portalResendKey: "Email me my key": the licence's email again, to the address it was sold to
// (never another), through the outbox; at most a few times an hour per licence.
import { z } from 'zod';
import { buyerEndpoint } from '../http/endpoint.js';
import { buyerLicense, resendKey } from '../store/portal.js';
import { licenseRef } from './portalFields.js';

export default buyerEndpoint({
  schema: z.object({ licenseRef: licenseRef() }),
  response: z.looseObject({ sent: z.literal(true), to: z.string() }),
  handle: async (input, { buyer, now, limit }) => {
    const found = await buyerLicense(buyer, input.licenseRef);
    await limit('portalResend', found.license.licenseKey);
    const sent = await resendKey(buyer, found, now);
    return { sent: true, to: sent.email };
  },
});

// portalListLicenses: every licence sold to the signed-in buyer's address, of products whose
// creator turned the portal on; never a revoked or test (sandbox) one. Keys come masked; naming one
// licence (`licenseRef`) answers that licence alone with its full key ("Show" in the portal).
import { z } from 'zod';
import { buyerEndpoint } from '../http/endpoint.js';
import { listActivations } from '../store/activations.js';
import { buyerLicense, buyerLicenses } from '../store/portal.js';
import { buyerLicenseReply, licenseRef, presentBuyerLicense } from './portalFields.js';

export default buyerEndpoint({
  get: true,
  schema: z.object({ licenseRef: licenseRef().optional() }),
  response: z.looseObject({ email: z.string(), licenses: z.array(buyerLicenseReply) }),
  handle: async (input, { buyer, now }) => {
    const chosen = input.licenseRef !== undefined ? [await buyerLicense(buyer, input.licenseRef)] : await buyerLicenses(buyer.email);
    const activations = await Promise.all(chosen.map((b) => listActivations(b.license.licenseKey)));
    return { email: buyer.email, licenses: chosen.map((b, i) => presentBuyerLicense(b, activations[i]!, now, input.licenseRef !== undefined)) };
  },
});

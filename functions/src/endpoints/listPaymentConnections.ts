// listPaymentConnections: a creator's payment connections with their webhook URLs (never a
// secret; Gumroad's URL without its token, which was shown once).
import { z } from 'zod';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { listConnectionRecords } from '../store/paymentConnections.js';
import { functionsBase, presentConnection } from './connectionFields.js';

export default adminEndpoint({
  get: true,
  schema: z.object({ creatorId: creatorId().optional() }),
  handle: async (input, { caller, header }) => {
    const records = await listConnectionRecords(actingCreator(caller, input.creatorId));
    const base = functionsBase(header('host'));
    return { connections: records.map((c) => presentConnection(c, base)) };
  },
});

// deletePaymentConnection: the connection and its secret; its webhook URL answers 404 from now on.
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId } from '../http/fields.js';
import { deleteConnectionRecord } from '../store/paymentConnections.js';
import { connectionId, visibleConnection } from './connectionFields.js';

export default adminEndpoint({
  response: z.looseObject({ deleted: z.literal(true), id: z.string() }),
  example: { request: { id: 'pc_5Jx2Qm8Tz' }, response: { success: true, deleted: true, id: 'pc_5Jx2Qm8Tz' } },
  schema: z.object({ id: connectionId(), creatorId: creatorId().optional() }),
  handle: async (input, { caller }) => {
    const current = await visibleConnection(caller, input.id, actingCreator(caller, input.creatorId));
    if (!(await deleteConnectionRecord(current.id, (c) => c.creatorId === current.creatorId))) throw notFound('Connection');
    return { deleted: true, id: current.id };
  },
});

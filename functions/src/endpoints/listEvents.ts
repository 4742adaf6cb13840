// listEvents: the creator's event log, newest first, filterable by licence and event type,
// paginated with an opaque cursor (the last event's time and id, so pages are stable).
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { EVENT_TYPES } from '../domain/events.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, csv, int, licenseKey } from '../http/fields.js';
import { presentEvent } from '../http/present.js';
import { listEventRecords } from '../store/events.js';
import { eventReply } from '../http/replies.js';

/** A position in the log: the last event's time (epoch ms) and id. */
type Position = [number, string];
const isPosition = (p: unknown): p is Position =>
  Array.isArray(p) && p.length === 2 && Number.isSafeInteger(p[0]) && typeof p[1] === 'string' && /^evt_[\w-]+$/.test(p[1]);

const positionOf = (e: { createdAt: Date; id: string }): Position => [e.createdAt.getTime(), e.id];
const afterPosition = ([ms, id]: Position) => ({ createdAt: new Date(ms), id });

export default adminEndpoint({
  response: z.looseObject({
    events: z.array(eventReply),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
  }),
  example: {
    request: { licenseKey: 'ACME-7K2M-9QXP-4TRB-W8', limit: 1 },
    response: {
      success: true,
      events: [{ id: 'evt_2nV8kQ', type: 'license.created', createdAt: '2026-11-30T09:00:00.000Z', productId: 'photo-app', licenseKey: 'ACME-7K2M-9QXP-4TRB-W8', data: { email: 'buyer@example.com' } }],
      nextCursor: null,
    },
  },
  get: true,
  schema: z.object({
    licenseKey: licenseKey().optional(),
    type: csv(EVENT_TYPES).optional(),
    creatorId: creatorId().optional(),
    limit: int(1, 500).optional(),
    cursor: z.string().max(200).optional(),
  }),
  handle: async (input, { caller }) => {
    const limit = input.limit ?? 50;
    const events = await listEventRecords({
      creatorId: actingCreator(caller, input.creatorId),
      licenseKey: input.licenseKey,
      types: input.type,
      after: input.cursor === undefined ? undefined : afterPosition(decodeCursor(input.cursor, isPosition)),
      limit: limit + 1,
    });
    const page = events.slice(0, limit);
    return { events: page.map(presentEvent), nextCursor: events.length > limit ? encodeCursor(positionOf(page[page.length - 1]!)) : null };
  },
});

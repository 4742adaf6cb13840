// listEvents: the creator's event log, newest first, filterable by licence and event type,
// paginated with an opaque cursor (the last event's time and id, so pages are stable).
import { z } from 'zod';
import { invalidRequest } from '../domain/errors.js';
import { EVENT_TYPES } from '../domain/events.js';
import { actingCreator } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, csv, int, licenseKey } from '../http/fields.js';
import { presentEvent } from '../http/present.js';
import { listEventRecords } from '../store/events.js';

const encodeCursor = (e: { createdAt: Date; id: string }): string => Buffer.from(JSON.stringify([e.createdAt.getTime(), e.id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [ms, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof ms === 'number' && Number.isSafeInteger(ms) && typeof id === 'string' && /^evt_[\w-]+$/.test(id)) return { createdAt: new Date(ms), id };
  } catch {
    // falls through to the error below
  }
  throw invalidRequest('Invalid request: cursor is not one this endpoint returned');
}

export default adminEndpoint({
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
      after: input.cursor === undefined ? undefined : decodeCursor(input.cursor),
      limit: limit + 1,
    });
    const page = events.slice(0, limit);
    return { events: page.map(presentEvent), nextCursor: events.length > limit ? encodeCursor(page[page.length - 1]!) : null };
  },
});

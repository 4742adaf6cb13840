// From the event log's outbox to the delivery queue: each committed event goes to every active
// webhook of its creator that subscribes to it, then leaves the outbox. Called right after the
// request (or job) that recorded the events, and by the scheduled sweep for anything left over.
import { WEBHOOKS } from '../config.js';
import { subscribes } from '../domain/outbound.js';
import { clearOutbox, getEvents, staleOutbox, type NotedEvent } from '../store/events.js';
import { activeWebhooksOf } from '../store/webhooks.js';
import { enqueueDelivery } from './queue.js';

/** Returns the ids of the events found and dispatched. */
export async function dispatchEvents(noted: readonly NotedEvent[]): Promise<string[]> {
  const creatorIds = [...new Set(noted.map((e) => e.creatorId))];
  // Events that did not commit (a retried transaction's earlier attempts) are simply not found.
  const [events, hooks] = await Promise.all([getEvents(noted.map((e) => e.id)), activeWebhooksOf(creatorIds)]);
  const tasks = events.flatMap((event) =>
    hooks.filter((h) => h.creatorId === event.creatorId && subscribes(h, event)).map((h) => ({ eventId: event.id, webhookId: h.id })),
  );
  await Promise.all(tasks.map(enqueueDelivery));
  const ids = events.map((e) => e.id);
  await clearOutbox(ids);
  return ids;
}

/**
 * Dispatches outbox entries older than WEBHOOKS.sweepAfterMs; returns how many it handled. The
 * scheduled job sweeps every creator's; `creatorId` keeps a run to one creator's entries, so
 * tests running side by side sweep only their own (a query the emulator serves without an index).
 */
export async function sweepOutbox(now: Date, options: { creatorId?: string; batchSize?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 200;
  let handled = 0;
  for (;;) {
    const stale = await staleOutbox(new Date(now.getTime() - WEBHOOKS.sweepAfterMs), batchSize, options.creatorId);
    if (stale.length === 0) return handled;
    const sent = new Set(await dispatchEvents(stale.map((e) => ({ id: e.eventId, creatorId: e.creatorId }))));
    // An entry whose event is gone has nothing to send.
    await clearOutbox(stale.map((e) => e.eventId).filter((id) => !sent.has(id)));
    handled += stale.length;
    if (stale.length < batchSize) return handled;
  }
}

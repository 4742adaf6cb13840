// The request-scoped hook between the event log and creators' webhooks: whatever events `fn`
// records (through store/events.ts, in any module) are handed to the webhook queue right after
// `fn` succeeds. A failure here never fails the caller: its change has committed, and the
// events stay in the outbox for the scheduled sweep.
import * as logger from 'firebase-functions/logger';
import { loggable } from '../domain/redact.js';
import { collectEvents, type NotedEvent } from '../store/events.js';

/** How long an instance trusts what it last saw of a creator's webhooks (leaveUnwatched). */
const WATCHED_TTL_MS = 30_000;
const watched = new Map<string, { until: number; hooked: boolean }>();

/** The noted events whose creators have an active webhook, as this instance last looked. */
async function ofWatchedCreators(noted: NotedEvent[]): Promise<NotedEvent[]> {
  const now = Date.now();
  const unknown = [...new Set(noted.map((e) => e.creatorId))].filter((c) => (watched.get(c)?.until ?? 0) <= now);
  if (unknown.length > 0) {
    const hooks = await (await import('../store/webhooks.js')).activeWebhooksOf(unknown);
    if (watched.size > 10_000) watched.clear();
    for (const c of unknown) watched.set(c, { until: now + WATCHED_TTL_MS, hooked: hooks.some((h) => h.creatorId === c) });
  }
  return noted.filter((e) => watched.get(e.creatorId)?.hooked);
}

/**
 * With `leaveUnwatched` (the client endpoints: the hot path apps call), events of creators with
 * no active webhook are not handed over here but left in the outbox, whose sweep clears them (or
 * delivers them, should a webhook have appeared since): nothing is lost, and an activation does
 * not pay two more round trips for webhooks nobody set up.
 */
export async function dispatchingEvents<T>(fn: () => Promise<T>, opts: { leaveUnwatched?: boolean } = {}): Promise<T> {
  const { value, noted } = await collectEvents(fn);
  if (noted.length > 0) {
    try {
      const handed = opts.leaveUnwatched ? await ofWatchedCreators(noted) : noted;
      if (handed.length > 0) await (await import('./dispatch.js')).dispatchEvents(handed);
    } catch (e) {
      logger.warn('event dispatch deferred to the sweep', { events: noted.length, error: loggable(e) });
    }
  }
  return value;
}

// The request-scoped hook between the event log and creators' webhooks: whatever events `fn`
// records (through store/events.ts, in any module) are handed to the webhook queue right after
// `fn` succeeds. A failure here never fails the caller: its change has committed, and the
// events stay in the outbox for the scheduled sweep.
import * as logger from 'firebase-functions/logger';
import { collectEvents } from '../store/events.js';

export async function dispatchingEvents<T>(fn: () => Promise<T>): Promise<T> {
  const { value, noted } = await collectEvents(fn);
  if (noted.length > 0) {
    try {
      await (await import('./dispatch.js')).dispatchEvents(noted);
    } catch (e) {
      logger.warn('event dispatch deferred to the sweep', { events: noted.length, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return value;
}

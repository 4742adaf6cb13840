// Hands one delivery attempt (an event for one webhook) to the Cloud Tasks queue of the
// deliverWebhook function. The task's name is derived from the event, the webhook and the
// attempt, so the request that recorded the event and the sweep can both enqueue its first
// attempt, and a retried task its next one, and each is still made once (Cloud Tasks refuses a
// name it has seen; the emulator does the same).
import { REGION, WEBHOOKS } from '../config.js';
import { sha256Hex } from '../domain/crypto.js';
import { db } from '../store/firestore.js';

export interface DeliveryTask {
  eventId: string;
  webhookId: string;
  /** Which attempt this task makes; absent: the first. */
  attempt?: number;
}

const isTaskExists = (e: unknown): boolean => (e as { code?: unknown })?.code === 'functions/task-already-exists';

/** Enqueues the task, to run `delaySeconds` from now (the emulator runs it at once). */
export async function enqueueDelivery(task: DeliveryTask, delaySeconds = 0): Promise<void> {
  await db(); // initialises the Admin SDK's default app
  const { getFunctions } = await import('firebase-admin/functions');
  const queue = getFunctions().taskQueue<DeliveryTask>(`locations/${REGION}/functions/${WEBHOOKS.deliveryFunction}`);
  const attempt = task.attempt ?? 1;
  // A hashed name spreads tasks over Cloud Tasks' key space (sequential names are slower).
  const id = sha256Hex(attempt === 1 ? `${task.eventId}/${task.webhookId}` : `${task.eventId}/${task.webhookId}/${attempt}`);
  try {
    await queue.enqueue(task, { id, dispatchDeadlineSeconds: 30, ...(delaySeconds > 0 ? { scheduleDelaySeconds: delaySeconds } : {}) });
  } catch (e) {
    if (!isTaskExists(e)) throw e;
  }
}

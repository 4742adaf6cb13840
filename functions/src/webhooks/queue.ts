// Hands one delivery (an event for one webhook) to the Cloud Tasks queue of the deliverWebhook
// function. The task's name is derived from the pair, so the request that recorded the event and
// the sweep can both enqueue it and it is still delivered once (Cloud Tasks refuses a name it
// has seen; the emulator does the same).
import { REGION, WEBHOOKS } from '../config.js';
import { sha256Hex } from '../domain/crypto.js';
import { db } from '../store/firestore.js';

export interface DeliveryTask {
  eventId: string;
  webhookId: string;
}

const isTaskExists = (e: unknown): boolean => (e as { code?: unknown })?.code === 'functions/task-already-exists';

export async function enqueueDelivery(task: DeliveryTask): Promise<void> {
  await db(); // initialises the Admin SDK's default app
  const { getFunctions } = await import('firebase-admin/functions');
  const queue = getFunctions().taskQueue<DeliveryTask>(`locations/${REGION}/functions/${WEBHOOKS.deliveryFunction}`);
  try {
    // A hashed name spreads tasks over Cloud Tasks' key space (sequential names are slower).
    await queue.enqueue(task, { id: sha256Hex(`${task.eventId}/${task.webhookId}`), dispatchDeadlineSeconds: 30 });
  } catch (e) {
    if (!isTaskExists(e)) throw e;
  }
}

// The wrappers index.ts uses for what is not an HTTP endpoint: scheduled jobs and the webhook
// delivery task queue. As with endpoints, each one's module is loaded on its first run.
import { onSchedule, type ScheduleFunction } from 'firebase-functions/v2/scheduler';
import { onTaskDispatched, type TaskQueueFunction } from 'firebase-functions/v2/tasks';
import { REGION, WEBHOOKS } from '../config.js';
import type { DeliveryTask } from '../webhooks/queue.js';

export const scheduledJob = (schedule: string, load: () => Promise<{ run(now: Date): Promise<unknown> }>): ScheduleFunction =>
  onSchedule({ schedule, region: REGION, timeZone: 'Etc/UTC' }, async () => {
    await (await load()).run(new Date());
  });

/** deliverWebhook: Cloud Tasks calls it once per delivery attempt; a failed attempt enqueues the next. */
export const webhookDelivery = (): TaskQueueFunction<DeliveryTask> =>
  onTaskDispatched<DeliveryTask>(
    { region: REGION, retryConfig: { ...WEBHOOKS.taskRetry }, rateLimits: { maxConcurrentDispatches: 100 }, timeoutSeconds: 30 },
    async (req) => {
      const [{ deliver }, paperkey] = await Promise.all([import('../webhooks/deliver.js'), import('../dialects/paperkey/webhook.js')]);
      await deliver(req.data, { paperkey: paperkey.paperkeyDelivery });
    },
  );

// The onSchedule wrapper index.ts uses: the job's own module loads on its first run.
import * as logger from 'firebase-functions/logger';
import { onSchedule, type ScheduleFunction } from 'firebase-functions/v2/scheduler';
import { REGION } from '../config.js';

export type Job = (now: Date) => Promise<Record<string, number>>;

export function scheduledJob(name: string, schedule: string, load: () => Promise<{ default: Job }>): ScheduleFunction {
  return onSchedule({ schedule, region: REGION, timeZone: 'Etc/UTC' }, async () => {
    const started = performance.now();
    const report = await (await load()).default(new Date());
    logger.info('job', { job: name, ...report, ms: Math.round(performance.now() - started) });
  });
}

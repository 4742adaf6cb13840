// Finishes closing accounts: deletes what is left of each closed creator whose purge the
// deleteAccount request could not finish within its budget. Bounded per run; the next run goes on.
import * as logger from 'firebase-functions/logger';
import { ACCOUNTS } from '../config.js';
import { loggable } from '../domain/redact.js';
import { purgeCreator, unpurgedCreators } from '../store/accounts.js';

/** `only` and `budget` (tests, in-process) limit a run to some accounts and fewer documents a step. */
export async function run(now: Date, only?: string[], budget: number = ACCOUNTS.purgeBudget): Promise<{ accounts: number; deleted: number; finished: number; failures: number }> {
  const report = { accounts: 0, deleted: 0, finished: 0, failures: 0 };
  const pending = only ?? (await unpurgedCreators(ACCOUNTS.purgeAccountsPerRun));
  for (const creatorId of pending) {
    report.accounts++;
    try {
      const { deleted, done } = await purgeCreator(creatorId, budget, now);
      report.deleted += deleted;
      if (done) report.finished++;
    } catch (e) {
      report.failures++;
      logger.warn('purgeClosedAccounts: could not purge', { creatorId, error: loggable(e) });
    }
  }
  logger.info('purgeClosedAccounts', report);
  return report;
}

// The licence-default fields products take on create and update.
import { z } from 'zod';
import { MAX_REMINDER_DAYS } from '../domain/license.js';
import { TOKEN_TTL_DAYS_MAX } from '../domain/product.js';
import { THRESHOLD_COUNT_MAX, THRESHOLD_WINDOW_MAX_MINUTES } from '../domain/threats.js';
import { bool, durationFields, email, graceDays, int, licenseType, maxConcurrent, maxMachines, productStatus, text } from '../http/fields.js';

/** One detector's threshold (domain/threats.ts); null switches it off. */
const thresholdRule = () =>
  z
    .object({ count: int(1, THRESHOLD_COUNT_MAX), windowMinutes: int(1, THRESHOLD_WINDOW_MAX_MINUTES), severity: z.literal([1, 2, 3]) })
    .nullable()
    .optional();

export const productSettings = {
  name: text(200),
  status: productStatus(),
  licenseType: licenseType(),
  maxMachines: maxMachines(),
  maxConcurrent: maxConcurrent(),
  heartbeatIntervalSeconds: int(30, 86_400),
  tokenTtlDays: int(1, TOKEN_TTL_DAYS_MAX),
  graceDays: graceDays().nullable(),
  reminderDays: int(0, MAX_REMINDER_DAYS),
  // The buyer email (null restores the default).
  emailSubject: text(200).nullable(),
  emailFromName: text(100).nullable(),
  emailReplyTo: email().nullable(),
  emailInstructions: text(2000).nullable(),
  requirePublishableKey: bool(),
  // The buyer portal (docs/portal.md): on for this product's licences, and whom buyers write to.
  portalEnabled: bool(),
  supportEmail: email().nullable(),
  violationThresholds: z.object({ overLimitAttempts: thresholdRule(), machineChurn: thresholdRule(), rapidActivations: thresholdRule() }).nullable(),
};

export const productSettingsSchema = z.object({
  ...productSettings,
  ...durationFields,
});

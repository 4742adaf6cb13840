// The licence-default fields products take on create and update.
import { z } from 'zod';
import { durationFields, email, int, licenseType, maxConcurrent, maxMachines, productStatus, text } from '../http/fields.js';

export const productSettings = {
  name: text(200),
  status: productStatus(),
  licenseType: licenseType(),
  maxMachines: maxMachines(),
  maxConcurrent: maxConcurrent(),
  heartbeatIntervalSeconds: int(30, 86_400),
  tokenTtlDays: int(1, 365),
  // The buyer email (null restores the default).
  emailSubject: text(200).nullable(),
  emailFromName: text(100).nullable(),
  emailReplyTo: email().nullable(),
  emailInstructions: text(2000).nullable(),
};

export const productSettingsSchema = z.object({
  ...productSettings,
  ...durationFields,
});

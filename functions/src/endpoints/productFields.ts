// The licence-default fields products take on create and update.
import { z } from 'zod';
import { durationFields, int, licenseType, maxConcurrent, maxMachines, productStatus, text } from '../http/fields.js';

export const productSettings = {
  name: text(200),
  status: productStatus(),
  licenseType: licenseType(),
  maxMachines: maxMachines(),
  maxConcurrent: maxConcurrent(),
  heartbeatIntervalSeconds: int(30, 86_400),
  tokenTtlDays: int(1, 365),
};

export const productSettingsSchema = z.object({
  ...productSettings,
  ...durationFields,
});

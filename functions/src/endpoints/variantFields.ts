// The fields variants take on create and update; absent or null inherits the product's.
import { z } from 'zod';
import { bool, durationFields, graceDays, licenseType, maxConcurrent, maxMachines, text } from '../http/fields.js';

export const variantSettingsSchema = z.object({
  name: text(200),
  licenseType: licenseType().nullable(),
  maxMachines: maxMachines().nullable(),
  maxConcurrent: maxConcurrent().nullable(),
  active: bool(),
  graceDays: graceDays().nullable(),
  /** false: a purchase of this plan issues no licence (the sale is still recorded). */
  licensesEnabled: bool(),
  ...durationFields,
});

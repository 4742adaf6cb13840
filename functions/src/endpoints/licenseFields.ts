// The fields that describe a licence being issued, shared by createLicense and importLicenses:
// who it is for, the product and plan, and its terms (else the variant's, else the product's).
import { email, isoDate, licenseType, maxConcurrent, maxMachines, maxTransfers, slug } from '../http/fields.js';

export const licenseOrderFields = {
  email: email(),
  productId: slug(),
  variant: slug().optional(),
  licenseType: licenseType().optional(),
  maxMachines: maxMachines().optional(),
  maxConcurrent: maxConcurrent().optional(),
  maxTransfers: maxTransfers().optional(),
  /** null: perpetual. */
  expiresAt: isoDate().nullable().optional(),
};

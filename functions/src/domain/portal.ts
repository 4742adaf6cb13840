// The buyer portal's rules (docs/portal.md): which licences a signed-in buyer sees, and how the
// portal names a licence without sending its key. Pure.
import { sha256Hex } from './crypto.js';
import { baseStatusOf, type LicenseRecord } from './license.js';

/** A buyer signed in to the portal: a Firebase user whose (verified) email is the licences' address. */
export interface Buyer {
  uid: string;
  /** Lower-case, as licences store it. */
  email: string;
}

/**
 * Whether the buyer of `email` may see and act on the licence: sold to that address, live (never a test
 * key's sandbox licence), not revoked (nor permanently deactivated), of a product whose creator
 * turned the portal on.
 */
export const buyerMaySee = (email: string, license: LicenseRecord, product: { portalEnabled?: boolean | undefined } | undefined): boolean =>
  license.email === email && license.sandbox !== true && baseStatusOf(license) !== 'revoked' && license.deactivatedAt == null && product?.portalEnabled === true;

/**
 * The name the portal gives a licence: a digest of its key, so the page can act on a licence
 * while the key itself crosses the wire only when the buyer asks to see it.
 */
export const licenseRefOf = (licenseKey: string): string => sha256Hex(`portal\u0000${licenseKey}`).slice(0, 32);

/** The buyer's own licences are few: a bound on one listing, far above any real buyer's count. */
export const PORTAL_MAX_LICENSES = 200;

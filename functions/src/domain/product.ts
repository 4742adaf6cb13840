// Products, variants and the licence defaults they carry.
import type { Duration } from './duration.js';

export const LICENSE_TYPES = ['per-machine', 'floating', 'site'] as const;
export type LicenseType = (typeof LICENSE_TYPES)[number];

export const PRODUCT_STATUSES = ['live', 'unlisted', 'archived'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** -1 means unlimited machines, as in the CG Lounge API. */
export const UNLIMITED = -1;

export const PRODUCT_DEFAULTS = {
  status: 'live' as ProductStatus,
  licenseType: 'per-machine' as LicenseType,
  maxMachines: 1,
  maxConcurrent: 1,
  heartbeatIntervalSeconds: 300,
  tokenTtlDays: 30,
};

/** The longest session-token lifetime a product may set. */
export const TOKEN_TTL_DAYS_MAX = 365;

/** The licence defaults a product gives its licences, each overridable by a variant. */
export interface LicenseDefaults {
  licenseType: LicenseType;
  maxMachines: number;
  maxConcurrent: number;
  /** null: perpetual. */
  duration: Duration | null;
}

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A variant id from its name: `Pro (3 seats)` → `pro-3-seats`. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/g, '');
}

// Records as the contract shows them: ISO 8601 times, CG's names, no internal fields.
import { durationDaysOf } from '../domain/duration.js';
import type { ApiKeyRecord } from '../store/apiKeys.js';
import type { Product, Variant } from '../store/products.js';

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export function presentApiKey(k: ApiKeyRecord) {
  return {
    id: k.id,
    name: k.name,
    creatorId: k.creatorId,
    prefix: k.prefix,
    createdAt: iso(k.createdAt),
    lastUsedAt: iso(k.lastUsedAt),
    revoked: k.revoked,
  };
}

export function presentProduct(p: Product) {
  return {
    productId: p.productId,
    slug: p.slug,
    name: p.name,
    status: p.status,
    active: p.status !== 'archived',
    creatorId: p.creatorId,
    licenseType: p.licenseType,
    maxMachines: p.maxMachines,
    maxConcurrent: p.maxConcurrent,
    heartbeatIntervalSeconds: p.heartbeatIntervalSeconds,
    tokenTtlDays: p.tokenTtlDays,
    durationDays: durationDaysOf(p.duration),
    duration: p.duration,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}

export function presentVariant(v: Variant) {
  return {
    variantId: v.variantId,
    productId: v.productId,
    name: v.name,
    licenseType: v.licenseType,
    maxMachines: v.maxMachines,
    maxConcurrent: v.maxConcurrent,
    durationDays: durationDaysOf(v.duration),
    duration: v.duration,
    active: v.active,
    createdAt: iso(v.createdAt),
    updatedAt: iso(v.updatedAt),
  };
}

// The product settings the client endpoints need, cached per instance for a minute: they change
// rarely, and activate and validate are the hot paths (an admin's change applies within a minute).
import { PRODUCT_DEFAULTS } from '../domain/product.js';
import { thresholdsOf, type ViolationThresholds } from '../domain/threats.js';
import { getProduct } from './products.js';

export interface ClientSettings {
  tokenTtlDays: number;
  heartbeatIntervalSeconds: number;
  thresholds: ViolationThresholds;
  /** Client calls must carry one of the product's publishable keys. */
  requirePublishableKey: boolean;
  /** Whose product it is (null: no such product): dialects name the publisher in client replies. */
  creatorId: string | null;
}

const TTL_MS = 60_000;
const cache = new Map<string, { until: number; settings: Promise<ClientSettings> }>();

async function load(productId: string): Promise<ClientSettings> {
  const p = await getProduct(productId);
  return {
    tokenTtlDays: p?.tokenTtlDays ?? PRODUCT_DEFAULTS.tokenTtlDays,
    heartbeatIntervalSeconds: p?.heartbeatIntervalSeconds ?? PRODUCT_DEFAULTS.heartbeatIntervalSeconds,
    thresholds: thresholdsOf(p?.violationThresholds),
    requirePublishableKey: p?.requirePublishableKey ?? false,
    creatorId: p?.creatorId ?? null,
  };
}

/** The product's client settings (its defaults if it does not exist). */
export function clientSettings(productId: string, now = Date.now()): Promise<ClientSettings> {
  const hit = cache.get(productId);
  if (hit && hit.until > now) return hit.settings;
  if (cache.size > 1000) cache.clear();
  const settings = load(productId);
  cache.set(productId, { until: now + TTL_MS, settings });
  settings.catch(() => cache.delete(productId));
  return settings;
}

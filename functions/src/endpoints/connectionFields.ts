// What the payment-connection endpoints share: the product mapping's fields and its scope check
// (every product and variant named must be the connection's creator's, else 404), the connection
// as presented (never its secret) and its webhook URL.
import { z } from 'zod';
import { PUBLIC_BASE_URL, REGION, inEmulator } from '../config.js';
import { invalidRequest, notFound } from '../domain/errors.js';
import { PROVIDER_FUNCTIONS, type PaymentConnection, type ProductMapping } from '../domain/paymentConnection.js';
import { assertVisible, type Caller } from '../domain/scope.js';
import { identifier, slug, text } from '../http/fields.js';
import { iso } from '../http/present.js';
import { namedVariant, visibleProduct } from '../licensing/lookup.js';
import { projectId } from '../store/firestore.js';
import { getConnection } from '../store/paymentConnections.js';

export const connectionFields = {
  name: text(100),
  /** The provider's webhook signing secret; write-only. */
  signingSecret: z.string().trim().min(8).max(1000),
  products: z
    .array(z.object({ match: identifier(200), productId: slug(), variant: slug().optional() }))
    .max(500)
    .refine((ps) => new Set(ps.map((p) => p.match)).size === ps.length, 'each match may appear once'),
  /** Gumroad: the seller id its pings carry. */
  sellerId: identifier(100),
};

export const connectionId = () => identifier(80);

/** Every product and variant the mapping names exists and is `owner`'s (else 404). */
export async function checkedProducts(caller: Caller, owner: string, products: readonly ProductMapping[]): Promise<ProductMapping[]> {
  for (const p of new Set(products.map((m) => m.productId))) await visibleProduct(caller, p, owner);
  for (const m of products) if (m.variant !== undefined) await namedVariant(m.productId, m.variant);
  return products.map((m) => (m.variant === undefined ? { match: m.match, productId: m.productId } : { ...m }));
}

export async function visibleConnection(caller: Caller, id: string, owner?: string): Promise<PaymentConnection> {
  const c = await getConnection(id);
  if (!c || (owner !== undefined && c.creatorId !== owner)) throw notFound('Connection');
  assertVisible(caller, c.creatorId, 'Connection');
  return c;
}

/** Gumroad takes a seller id and no secret; every other provider a secret (required on create) and no seller id. */
export function assertProviderFields(provider: string, sellerId: string | undefined | null, secret: string | undefined, creating: boolean): void {
  if (provider !== 'gumroad' && creating && secret === undefined) throw invalidRequest('Invalid request: signingSecret is required');
  if (provider === 'gumroad' && secret !== undefined) throw invalidRequest('Invalid request: signingSecret: Gumroad signs nothing; its webhook URL carries a token Seatkey makes');
  if (provider === 'gumroad' && !sellerId) throw invalidRequest('Invalid request: sellerId is required for gumroad');
  if (provider !== 'gumroad' && sellerId) throw invalidRequest('Invalid request: sellerId applies to gumroad only');
}

/** Where the functions are reached: PUBLIC_BASE_URL, else the emulator's or Cloud Functions' address. */
export function functionsBase(host: string | undefined): string {
  const configured = PUBLIC_BASE_URL.value().trim().replace(/\/+$/, '');
  if (configured) return configured;
  if (inEmulator() && host) return `http://${host}/${projectId()}/${REGION}`;
  return `https://${REGION}-${projectId()}.cloudfunctions.net`;
}

/** The URL to paste into the provider's dashboard; Gumroad's carries its token when given. */
export function webhookUrl(c: Pick<PaymentConnection, 'id' | 'provider'>, base: string, token?: string): string {
  const url = `${base}/${PROVIDER_FUNCTIONS[c.provider]}/${c.id}`;
  return token === undefined ? url : `${url}?token=${encodeURIComponent(token)}`;
}

export function presentConnection(c: PaymentConnection, base: string) {
  return {
    id: c.id,
    creatorId: c.creatorId,
    provider: c.provider,
    name: c.name,
    products: c.products,
    sellerId: c.sellerId,
    webhookUrl: webhookUrl(c, base),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

// Scope-checked reads: a resource a request names must exist and be the caller's (its scope's),
// else it is a 404, never a 403, so another creator's resources cannot even be confirmed.
import { notFound } from '../domain/errors.js';
import { assertVisible, type Scope } from '../domain/scope.js';
import { getProduct, getProducts, getVariant, type Product, type Variant } from '../store/products.js';

/**
 * The product, if the scope may see it and (when `owner` is given) it belongs to that creator:
 * a super admin acting for one creator names only that creator's products.
 */
export async function visibleProduct(scope: Scope, productId: string, owner?: string): Promise<Product> {
  const product = await getProduct(productId);
  if (!product || (owner !== undefined && product.creatorId !== owner)) throw notFound('Product');
  assertVisible(scope, product.creatorId, 'Product');
  return product;
}

export async function visibleVariant(scope: Scope, productId: string, variantId: string): Promise<{ product: Product; variant: Variant }> {
  const product = await visibleProduct(scope, productId);
  const variant = await getVariant(productId, variantId);
  if (!variant) throw notFound('Variant');
  return { product, variant };
}

/** The variant a request names (404 if it does not exist), or undefined when it names none. */
export async function namedVariant(productId: string, variantId: string | undefined): Promise<Variant | undefined> {
  if (variantId === undefined) return undefined;
  const variant = await getVariant(productId, variantId);
  if (!variant) throw notFound('Variant');
  return variant;
}

/**
 * The products a bundle licence unlocks, each an existing product of `creatorId` (one batched
 * read); the first that is not is a 404 naming it, whoever owns it.
 */
export async function ownedProducts(creatorId: string, productIds: readonly string[]): Promise<string[]> {
  const ids = [...new Set(productIds)];
  const found = await getProducts(ids);
  const missing = ids.find((id, i) => found[i]?.creatorId !== creatorId);
  if (missing !== undefined) throw notFound(`Product ${missing}`);
  return ids;
}

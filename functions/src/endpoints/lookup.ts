// Scope-checked reads shared by endpoints: anything outside the caller's scope is a 404.
import { notFound } from '../domain/errors.js';
import { assertVisible, type Caller } from '../domain/scope.js';
import { getProduct, getVariant, type Product, type Variant } from '../store/products.js';

export async function visibleProduct(caller: Caller, productId: string): Promise<Product> {
  const product = await getProduct(productId);
  if (!product) throw notFound('Product');
  assertVisible(caller, product.creatorId, 'Product');
  return product;
}

export async function visibleVariant(caller: Caller, productId: string, variantId: string): Promise<{ product: Product; variant: Variant }> {
  const product = await visibleProduct(caller, productId);
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

// products/{slug} and products/{slug}/variants/{variantId}.
import type { Duration } from '../domain/duration.js';
import type { LicenseType, ProductStatus } from '../domain/product.js';
import type { ViolationThresholds } from '../domain/threats.js';
import { COLLECTIONS, SUB } from './collections.js';
import { converter, createIfAbsent, db, patchDocument, type Query } from './firestore.js';

export interface Product {
  productId: string;
  slug: string;
  name: string;
  status: ProductStatus;
  creatorId: string;
  licenseType: LicenseType;
  maxMachines: number;
  maxConcurrent: number;
  heartbeatIntervalSeconds: number;
  tokenTtlDays: number;
  /** Days a licence keeps working after it expires (status `grace`); null or absent: none. */
  graceDays?: number | null;
  /** Days before expiry the buyer is reminded by email (0: never); absent: 7. */
  reminderDays?: number;
  /** null: perpetual. */
  duration: Duration | null;
  /** The buyer email's subject (`{product}` is replaced), sender name, reply-to and how-to text; null: the default. */
  emailSubject?: string | null;
  emailFromName?: string | null;
  emailReplyTo?: string | null;
  emailInstructions?: string | null;
  /** The product's own threat-detection thresholds (domain/threats.ts); absent ones default. */
  violationThresholds?: Partial<ViolationThresholds> | null;
  /** Client calls for its licences must carry one of its publishable keys (else 401). */
  requirePublishableKey?: boolean;
  /** Buyers see and manage this product's licences in the portal (docs/portal.md); absent: off. */
  portalEnabled?: boolean;
  /** The support address the portal shows buyers; null or absent: none. */
  supportEmail?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A variant's own settings; null inherits the product's. */
export interface Variant {
  variantId: string;
  productId: string;
  creatorId: string;
  name: string;
  licenseType: LicenseType | null;
  maxMachines: number | null;
  maxConcurrent: number | null;
  duration: Duration | null;
  active: boolean;
  /** null or absent: the product's. */
  graceDays?: number | null;
  /** false: a purchase of this plan issues no licence; absent: true. */
  licensesEnabled?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const products = async () => (await db()).collection(COLLECTIONS.products).withConverter(converter<Product>());
const variants = async (productId: string) =>
  (await products()).doc(productId).collection(SUB.variants).withConverter(converter<Variant>());

/** Creates the product; false if the slug is taken (by anyone: slugs are global ids). */
export async function insertProduct(product: Product): Promise<boolean> {
  return createIfAbsent((await products()).doc(product.productId), product);
}

export async function getProduct(productId: string): Promise<Product | undefined> {
  return (await (await products()).doc(productId).get()).data();
}

/** Several products in one batched read, in the order asked (undefined where there is none). */
export async function getProducts(productIds: readonly string[]): Promise<(Product | undefined)[]> {
  if (productIds.length === 0) return [];
  const [firestore, col] = await Promise.all([db(), products()]);
  const snaps = await firestore.getAll(...productIds.map((id) => col.doc(id)));
  return snaps.map((s) => s.data() as Product | undefined);
}

export async function listProductRecords(filter: { creatorId?: string; statuses?: readonly ProductStatus[] }): Promise<Product[]> {
  let query: Query<Product> = await products();
  if (filter.creatorId !== undefined) query = query.where('creatorId', '==', filter.creatorId);
  if (filter.statuses !== undefined) query = query.where('status', 'in', [...filter.statuses]);
  const snap = await query.get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.productId.localeCompare(b.productId));
}

/** Applies `patch` and returns the updated product (undefined if it does not exist). */
export async function patchProduct(productId: string, patch: Partial<Product>): Promise<Product | undefined> {
  return patchDocument((await products()).doc(productId), () => patch);
}

/** Creates the variant; false if its id is taken within the product. */
export async function insertVariant(variant: Variant): Promise<boolean> {
  return createIfAbsent((await variants(variant.productId)).doc(variant.variantId), variant);
}

export async function getVariant(productId: string, variantId: string): Promise<Variant | undefined> {
  return (await (await variants(productId)).doc(variantId).get()).data();
}

export async function listVariantRecords(productId: string): Promise<Variant[]> {
  const snap = await (await variants(productId)).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function patchVariant(productId: string, variantId: string, patch: Partial<Variant>): Promise<Variant | undefined> {
  return patchDocument((await variants(productId)).doc(variantId), () => patch);
}

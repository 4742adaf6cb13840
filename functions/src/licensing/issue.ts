// The one door every new licence goes through: createLicense, a payment's purchase, a redeemed
// trial code, and whatever issues licences next (imports, provider adapters). It resolves what
// the order names — product, variant, unlocked products, code — each within the order's scope
// (404 for anything that is not the caller's, never a hint that it exists), works out the terms,
// and commits the licence with everything that must happen exactly once with it (the code's use,
// the trial claim, the buyer email, the caller's own writes) in one batch.
import { appliesTo, beyondLimit, DEFAULT_TRIAL_DAYS, trialProductOf, type CodeRecord } from '../domain/code.js';
import { storable, type Duration } from '../domain/duration.js';
import { conflict, invalidRequest, notFound } from '../domain/errors.js';
import { licenseDraft, orderTerm, resolveTerms, type LicenseRecord } from '../domain/license.js';
import type { PaidMoney } from '../domain/payment.js';
import type { LicenseType } from '../domain/product.js';
import type { ImportedMachine } from '../domain/activation.js';
import { writeImportedMachines } from '../store/activations.js';
import type { Scope } from '../domain/scope.js';
import { claimTrial, getCode, hasTrialClaim, issueWithCode, takeUse, type UseSlot } from '../store/codes.js';
import { isAlreadyExists, type WriteBatch } from '../store/firestore.js';
import { findPurchasedLicense, getLicenseRecord, issueLicense, type Issued } from '../store/licenses.js';
import { queueBuyerMail } from '../store/mail.js';
import type { Product } from '../store/products.js';
import { namedVariant, ownedProducts, visibleProduct } from './lookup.js';

/**
 * What naming a code means for the licence:
 * - `sold`: the sale happened elsewhere (createLicense, an import): the code must be the
 *   creator's and apply to the product (else 404); it counts a use whatever its limit, state
 *   or expiry, which were the checkout's to check.
 * - `checkout`: a payment provider's checkout named it: a code the product's creator has counts a
 *   use (and a trial code's days set the term when the event gives none); any other name, which
 *   may be the provider's own code, is only recorded on the licence, never looked up elsewhere.
 * - `redeem`: a trial code redeemed for a trial licence: it must be an active, unexpired trial
 *   code for the product, within its maxUses (409), once per email and product (409).
 */
export type CodeUse = 'sold' | 'checkout' | 'redeem';

export interface LicenseOrder {
  /** Who asks: every resource the order names must be visible to this scope. */
  scope: Scope;
  /** The creator a super admin acts for; narrows `scope` to that creator's resources. */
  creatorId?: string | undefined;
  /** May be left out only when redeeming a code that names its product. */
  productId?: string | undefined;
  email: string;
  variant?: string | undefined;
  licenseType?: LicenseType | undefined;
  maxMachines?: number | undefined;
  maxConcurrent?: number | undefined;
  /** Seat-freeing transfers allowed per 30 days (domain/transfers.ts); null or absent: no limit. */
  maxTransfers?: number | null | undefined;
  /** An explicit expiry (null: perpetual); wins over any duration. */
  expiresAt?: Date | null | undefined;
  /** The term counted from the purchase (null: perpetual); wins over trialDays and the code. */
  duration?: Duration | null | undefined;
  /** A trial of this many days: the licence is marked `trial`. */
  trialDays?: number | undefined;
  purchaseId?: string | undefined;
  /** When the sale happened (default now): the term counts from it, and it is recorded. */
  purchasedAt?: Date | undefined;
  bundleId?: string | undefined;
  unlockedProducts?: readonly string[] | undefined;
  metadata?: Record<string, unknown> | undefined;
  code?: { code: string; use: CodeUse } | undefined;
  /** What the purchase paid (a sale through a payment provider), kept on its purchase record. */
  paid?: PaidMoney | undefined;
  /** Queue the buyer email (store/mail.ts) with the licence. */
  notifyBuyer?: boolean | undefined;
  /**
   * An existing key brought from another system (importLicenses), in its stored form: the licence
   * gets this key, and if a licence with it exists nothing is written and that one is returned
   * (`created: false`), whoever's it is: the importer tells its own from another creator's.
   */
  licenseKey?: string | undefined;
  /** A test key's licence (sandbox): its buyer email is marked as a test and goes to nobody. */
  sandbox?: boolean | undefined;
  /** An imported licence's machines (fingerprints hashed), written with it; they take its seats. */
  machines?: readonly ImportedMachine[] | undefined;
  /** The issuer's own writes that must commit with the licence, exactly once (a sale, say). */
  also?: ((batch: WriteBatch, license: LicenseRecord, product: Product) => Promise<void> | void) | undefined;
}

export interface IssuedLicense extends Issued {
  product: Product;
}

/** The order's product; for a redeemed code that names none, the code's. */
async function productOf(order: LicenseOrder, now: Date): Promise<Product> {
  if (order.productId !== undefined) return visibleProduct(order.scope, order.productId, order.creatorId);
  if (order.code?.use !== 'redeem') throw invalidRequest('Invalid request: productId is required');
  const owner = order.scope.kind === 'creator' ? order.scope.creatorId : order.creatorId;
  if (owner === undefined) throw invalidRequest('Invalid request: creatorId is required with adminSecret');
  const code = await getCode(owner, order.code.code);
  if (!code) throw notFound('Code');
  return visibleProduct(order.scope, trialProductOf(code, undefined, now), owner);
}

/** The code the order names, resolved for its use; undefined when it counts no use. */
async function codeOf(order: LicenseOrder, product: Product, now: Date): Promise<CodeRecord | undefined> {
  if (!order.code) return undefined;
  const code = await getCode(product.creatorId, order.code.code);
  const applies = code !== undefined && appliesTo(code, product.productId);
  switch (order.code.use) {
    case 'sold':
      if (!applies) throw notFound('Discount code');
      return code;
    case 'checkout':
      return applies ? code : undefined;
    case 'redeem':
      if (!code) throw notFound('Code');
      trialProductOf(code, product.productId, now);
      return code;
  }
}

/**
 * Issues the licence an order describes, or, for a `purchaseId` already issued, returns that
 * first licence (`created: false`) and writes nothing.
 */
export async function issue(order: LicenseOrder, now: Date): Promise<IssuedLicense> {
  const product = await productOf(order, now);
  if (order.purchaseId !== undefined) {
    // Fast path for a repeated purchase; the batch in issueLicense is what makes it race-free.
    const first = await findPurchasedLicense(product.creatorId, order.purchaseId);
    if (first) return { license: first, created: false, product };
  }
  if (order.licenseKey !== undefined) {
    // Fast path for a key imported before; create() in issueLicense is what makes it race-free.
    const existing = await getLicenseRecord(order.licenseKey);
    if (existing) return { license: existing, created: false, product };
  }
  const [variant, unlockedProducts, code] = await Promise.all([
    namedVariant(product.productId, order.variant),
    ownedProducts(product.creatorId, order.unlockedProducts ?? []),
    codeOf(order, product, now),
  ]);
  const redeeming = order.code?.use === 'redeem';
  if (redeeming && (await hasTrialClaim(product.productId, order.email))) throw conflict(`${order.email} has already had a trial of ${product.productId}`);

  const start = order.purchasedAt ?? now;
  const codeTrialDays = code?.type === 'trial' && order.code?.use !== 'sold' ? (code.trialDays ?? DEFAULT_TRIAL_DAYS) : undefined;
  const { duration, trial } = orderTerm(order, codeTrialDays);
  const terms = resolveTerms(product, variant, { ...order, duration }, start);
  if (terms.expiresAt && !storable(terms.expiresAt)) throw invalidRequest('Invalid request: duration: the licence would expire after 9999-12-31');
  const draft = licenseDraft(
    {
      creatorId: product.creatorId,
      productId: product.productId,
      variant: variant?.variantId ?? null,
      email: order.email,
      ...terms,
      purchaseId: order.purchaseId,
      purchasedAt: order.purchaseId !== undefined || order.purchasedAt !== undefined ? start : null,
      bundleId: order.bundleId,
      unlockedProducts,
      discountCode: code?.code ?? order.code?.code,
      trial,
      metadata: order.metadata,
      maxTransfers: order.maxTransfers,
      graceDays: variant?.graceDays ?? product.graceDays ?? undefined,
      imported: order.licenseKey !== undefined,
      sandbox: order.sandbox,
    },
    now,
  );
  const machines = order.machines ?? [];
  if (machines.length > 0) {
    draft.machinesUsed = terms.licenseType === 'floating' ? 0 : machines.length;
    draft.activatedAt = new Date(Math.min(...machines.map((m) => m.firstSeen.getTime())));
  }
  const also = async (batch: WriteBatch, license: LicenseRecord) => {
    if (redeeming) await claimTrial(batch, { productId: product.productId, email: order.email, code: code!.code, createdAt: now });
    if (order.notifyBuyer) await queueBuyerMail(batch, license, product);
    if (machines.length > 0) await writeImportedMachines(batch, license, machines);
    await order.also?.(batch, license, product);
  };
  const options = { also, paid: order.paid, key: order.licenseKey };
  if (!code) return { ...(await issueLicense(draft, options)), product };

  const slot = await takeUse(code);
  if (redeeming) await refuseBeyondLimit(code, slot);
  try {
    return { ...(await issueWithCode(draft, code, slot, options)), product };
  } catch (e) {
    // The trial claim is a create(): of two redemptions racing for one email, one commits.
    if (redeeming && isAlreadyExists(e)) throw conflict(`${order.email} has already had a trial of ${product.productId}`);
    throw e;
  }
}

/** A redemption past the code's maxUses hands its slot back and is refused. */
async function refuseBeyondLimit(code: CodeRecord, slot: UseSlot): Promise<void> {
  if (!beyondLimit(code, slot.number)) return;
  await slot.release();
  throw conflict(`Code ${code.code} has been used up`);
}

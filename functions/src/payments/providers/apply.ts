// The one apply step under every provider: a translated provider event (domain/paymentConnection)
// goes to the same payment handlers paymentWebhook uses, on behalf of the connection's creator,
// so a provider's purchase is exactly one licence, email and sale per purchase id, refunds and
// disputes are recorded once per provider id, and events before their purchase wait for it.
// A purchase for no product the connection maps (nor its metadata names, of the creator's own)
// is recorded once in the event log as `payment.unmatched` and answered 200: providers retry
// errors for days. A purchase that names only a customer (Paddle) is held until that
// customer's email arrives in the provider's own customer event.
import { notFound, SeatkeyError } from '../../domain/errors.js';
import { resolveProduct, type PaymentConnection, type ProviderEvent } from '../../domain/paymentConnection.js';
import type { Scope } from '../../domain/scope.js';
import { visibleProduct } from '../../licensing/lookup.js';
import { recordEventOnce } from '../../store/events.js';
import { getPurchase } from '../../store/licenses.js';
import { emailOrHold, learnEmail, purchaseIdOf, releaseHeld, rememberRefs, type HeldPurchase } from '../../store/paymentConnections.js';
import { cancelSubscription } from '../cancellation.js';
import { completePurchase } from '../purchase.js';
import { renewSubscription } from '../renewal.js';
import { reversePurchase } from '../reversal.js';
import { endSubscription, reinstateAfterDispute } from '../standing.js';
import type { Translated } from './provider.js';

type Outcome = Record<string, unknown>;

const scopeOf = (c: PaymentConnection): Scope => ({ kind: 'creator', creatorId: c.creatorId });

async function unmatched(c: PaymentConnection, source: Translated, purchaseId: string, why: string, match: readonly unknown[], now: Date): Promise<Outcome> {
  const data = { provider: c.provider, connectionId: c.id, providerEvent: source.type, providerEventId: source.id, purchaseId, reason: why, match: match.filter((m) => m != null).map(String) };
  await recordEventOnce({ type: 'payment.unmatched', creatorId: c.creatorId, productId: '', licenseKey: '', data, createdAt: now }, `${c.id}:${source.type}:${purchaseId}`);
  return { unmatched: true, purchaseId, reason: why };
}

/** The creator's product this purchase is for, or null (another creator's counts as none). */
async function productFor(c: PaymentConnection, event: HeldPurchase) {
  const named = resolveProduct(c.products, event.product);
  if (!named) return null;
  try {
    await visibleProduct(scopeOf(c), named.productId, c.creatorId);
    return named;
  } catch (e) {
    if (e instanceof SeatkeyError && e.code === 'not_found') return null;
    throw e;
  }
}

async function purchase(c: PaymentConnection, source: Translated, event: HeldPurchase, now: Date, email: string | null = event.email): Promise<Outcome> {
  const product = await productFor(c, event);
  if (!product) return unmatched(c, source, event.purchaseId, 'no product mapped', [...event.product.match], now);
  if (email === null) {
    if (event.customerId === undefined) return unmatched(c, source, event.purchaseId, 'no buyer email', [], now);
    const known = await emailOrHold(c.id, event.customerId, event);
    if (known === null) return { pending: true, purchaseId: event.purchaseId, waitingFor: 'customer email' };
    email = known;
  }
  const { license, created } = await completePurchase(
    { productId: product.productId, variant: product.variant, email, purchaseId: event.purchaseId, amount: event.money?.amount, currency: event.money?.currency },
    scopeOf(c),
    now,
  );
  if (event.refs) await rememberRefs(c.id, event.purchaseId, event.refs);
  return { licenseKey: license.licenseKey, created, purchaseId: event.purchaseId };
}

/** The purchase an event names, and its product (a purchase not yet seen: 404 for renewals). */
async function purchaseNamed(c: PaymentConnection, refs: readonly string[]) {
  if (refs.length === 0) throw notFound('Purchase');
  let purchaseId = await purchaseIdOf(c.id, refs);
  let record = await getPurchase(c.creatorId, purchaseId);
  // No reference known: the first id the event names that is a purchase, else the first.
  for (const id of refs) {
    if (record) break;
    const found = await getPurchase(c.creatorId, id);
    if (found) [purchaseId, record] = [id, found];
  }
  return { purchaseId, record, ref: { creatorId: c.creatorId, productId: record?.productId ?? '', purchaseId } };
}

async function applyOne(c: PaymentConnection, source: Translated, event: ProviderEvent, now: Date): Promise<Outcome> {
  switch (event.kind) {
    case 'purchase':
      return purchase(c, source, event, now);
    case 'customer': {
      const held = await learnEmail(c.id, event.customerId, event.email);
      const issued = [];
      for (const p of held) issued.push(await purchase(c, source, p, now, event.email));
      await releaseHeld(c.id, event.customerId, held.map((p) => p.purchaseId));
      return { customerId: event.customerId, released: issued };
    }
    case 'alias':
      await rememberRefs(c.id, event.purchaseId, event.refs);
      return { purchaseId: event.purchaseId };
    case 'renewal': {
      const { purchaseId, record } = await purchaseNamed(c, event.purchaseRefs);
      if (!record) throw notFound('Purchase');
      const product = await visibleProduct(scopeOf(c), record.productId, c.creatorId);
      const { license, duplicate } = await renewSubscription({ purchaseId, renewalId: event.renewalId, amount: event.money?.amount, currency: event.money?.currency }, product, now);
      if (event.refs) await rememberRefs(c.id, purchaseId, event.refs);
      return { licenseKey: license.licenseKey, duplicate, expiresAt: license.expiresAt?.toISOString() ?? null, purchaseId };
    }
    case 'refund':
    case 'dispute': {
      const { ref, record } = await purchaseNamed(c, event.purchaseRefs);
      let amountCents = event.money?.amount ?? null;
      let reversalId = event.kind === 'refund' ? event.refundId : event.disputeId;
      if (event.kind === 'refund' && event.totalRefunded && amountCents !== null) {
        // The provider gives the total refunded so far: this refund is what that adds, once per total.
        reversalId ??= `total:${amountCents}`;
        amountCents = Math.max(0, amountCents - (record?.paid?.refundedCents ?? 0));
      }
      const type = event.kind === 'refund' ? 'purchase.refunded' : 'purchase.disputed';
      // The provider's word is final: money beyond what is left is cut to it, never refused (a
      // refusal would be retried for days and leave the licence in force).
      const result = await reversePurchase({ ...ref, type, amountCents, currency: event.money?.currency ?? null, reversalId, receivedAt: now }, now, true);
      return { ...result, purchaseId: ref.purchaseId };
    }
    case 'disputeWon': {
      const { ref } = await purchaseNamed(c, event.purchaseRefs);
      return { ...(await reinstateAfterDispute(ref, event.disputeId, now)), purchaseId: ref.purchaseId };
    }
    case 'cancel': {
      const { ref } = await purchaseNamed(c, event.purchaseRefs);
      const result = await cancelSubscription({ ...ref, type: 'subscription.cancelled', amountCents: null, currency: null, receivedAt: now }, now);
      return { licenseKey: result.licenseKey, pending: result.pending, purchaseId: ref.purchaseId };
    }
    case 'end': {
      const { ref } = await purchaseNamed(c, event.purchaseRefs);
      return { ...(await endSubscription(ref, now)), purchaseId: ref.purchaseId };
    }
  }
}

/** Applies what the provider's event means, in order; an event that means nothing is ignored. */
export async function applyProviderEvent(c: PaymentConnection, source: Translated, now: Date): Promise<Outcome> {
  if (source.events.length === 0) return { ignored: true, type: source.type };
  const results: Outcome[] = [];
  for (const event of source.events) results.push({ kind: event.kind, ...(await applyOne(c, source, event, now)) });
  return { type: source.type, results };
}

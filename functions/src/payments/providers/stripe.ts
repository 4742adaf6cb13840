// Stripe: `Stripe-Signature` checked by the stripe package's constructEventAsync with the
// connection's `whsec_…` (timestamp within 5 minutes, as Stripe's own default). One purchase id
// per purchase: the subscription id, else the payment intent. Line items are not in a Checkout
// Session's event, so a subscription's price and product ids are matched on its first invoice
// (`invoice.paid`, billing_reason subscription_create), a one-off sale by its payment link or
// the session's metadata. A charge names only its payment intent: invoices note theirs.
import type { ProviderEvent } from '../../domain/paymentConnection.js';
import { moneyOf } from '../../domain/paymentConnection.js';
import { badSignature, ids, list, obj, str, type Delivery, type Json, type Provider, type Translated } from './provider.js';

async function verify(d: Delivery): Promise<unknown> {
  const signature = d.header('stripe-signature');
  if (!signature) throw badSignature();
  const { default: Stripe } = await import('stripe');
  try {
    return await Stripe.webhooks.constructEventAsync(d.raw, signature, d.secret);
  } catch {
    throw badSignature();
  }
}

/** An invoice's subscription: `subscription` before API 2025-03, `parent.subscription_details` since. */
const subscriptionOf = (invoice: Json) => str(invoice.subscription) ?? str(obj(obj(invoice.parent).subscription_details).subscription);

/** An invoice's price and product ids, in both API shapes of its lines. */
function invoiceProducts(invoice: Json): string[] {
  return ids(
    ...list(obj(invoice.lines).data).flatMap((line) => {
      const l = obj(line);
      const price = obj(l.price);
      const details = obj(obj(l.pricing).price_details);
      return [price.id, details.price, price.product, details.product];
    }),
  );
}

/** The ids a refund or dispute may name its purchase by: its payment intent, then its charge. */
const chargeRefs = (o: Json, chargeId: unknown) => ids(o.payment_intent, chargeId, o.invoice);

function translate(payload: unknown): Translated {
  const event = obj(payload);
  const type = str(event.type) ?? 'unknown';
  const o = obj(obj(event.data).object);
  const events: ProviderEvent[] = [];
  switch (type) {
    case 'checkout.session.completed': {
      if (o.payment_status !== 'paid' && o.payment_status !== 'no_payment_required') break;
      const purchaseId = str(o.subscription) ?? str(o.payment_intent) ?? str(o.id);
      if (!purchaseId) break;
      // A subscription's session names no price: unless it names its product, its first invoice will.
      if (o.mode === 'subscription' && !str(o.payment_link) && !str(obj(o.metadata).seatkey_product)) break;
      const email = str(obj(o.customer_details).email) ?? str(o.customer_email);
      events.push({ kind: 'purchase', purchaseId, email, product: { match: [str(o.payment_link)], metadata: obj(o.metadata) }, money: moneyOf(o.amount_total, o.currency), refs: ids(o.payment_intent, o.id) });
      break;
    }
    case 'invoice.paid':
    case 'invoice.payment_succeeded': {
      const subscription = subscriptionOf(o);
      if (!subscription) break;
      const money = moneyOf(o.amount_paid, o.currency);
      const refs = ids(o.payment_intent, o.charge, o.id);
      if (o.billing_reason === 'subscription_create') {
        const metadata = obj(obj(obj(o.parent).subscription_details).metadata);
        events.push({ kind: 'purchase', purchaseId: subscription, email: str(o.customer_email), product: { match: invoiceProducts(o), metadata }, money, refs });
      } else if (o.billing_reason === 'subscription_cycle') {
        events.push({ kind: 'renewal', purchaseRefs: [subscription], renewalId: str(o.id) ?? `invoice:${str(event.id)}`, money, refs });
      }
      break;
    }
    case 'charge.refunded': {
      const refunds = list(obj(o.refunds).data).map(obj).filter((r) => str(r.id) && r.status !== 'failed' && r.status !== 'canceled');
      if (refunds.length > 0) {
        for (const r of refunds) events.push({ kind: 'refund', purchaseRefs: chargeRefs(o, o.id), refundId: str(r.id), money: moneyOf(r.amount, r.currency ?? o.currency) });
      } else {
        // API versions that leave the refunds out: amount_refunded is the total so far.
        events.push({ kind: 'refund', purchaseRefs: chargeRefs(o, o.id), refundId: null, money: moneyOf(o.amount_refunded, o.currency), totalRefunded: true });
      }
      break;
    }
    case 'charge.dispute.created':
      events.push({ kind: 'dispute', purchaseRefs: chargeRefs(o, o.charge), disputeId: str(o.id), money: moneyOf(o.amount, o.currency) });
      break;
    case 'charge.dispute.closed':
      if (o.status === 'won') events.push({ kind: 'disputeWon', purchaseRefs: chargeRefs(o, o.charge), disputeId: str(o.id) });
      break;
    case 'customer.subscription.updated':
      if (o.cancel_at_period_end === true && str(o.id)) events.push({ kind: 'cancel', purchaseRefs: [str(o.id)!] });
      break;
    case 'customer.subscription.deleted': {
      // Stripe deletes a subscription when it ends: at its period's end (the licence runs to its
      // expiry), or before it when cancelled at once (the licence ends now).
      const id = str(o.id);
      const periodEnd = Number(o.current_period_end ?? obj(list(obj(o.items).data)[0]).current_period_end);
      const endedEarly = typeof o.ended_at === 'number' && Number.isFinite(periodEnd) && o.ended_at < periodEnd - 60;
      if (id) events.push({ kind: endedEarly ? 'end' : 'cancel', purchaseRefs: [id] });
      break;
    }
  }
  return { type, id: str(event.id), events };
}

const stripe: Provider = { verify, translate };
export default stripe;

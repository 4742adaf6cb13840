// Lemon Squeezy: `X-Signature`, the hex HMAC-SHA256 of the raw body with the webhook's signing
// secret (no well-kept verifier exists), compared in constant time. A one-off purchase is its
// order; a subscription's first order is its purchase too (order_created carries the money, the
// buyer and the variant), and `subscription_created` tells which subscription that order began,
// so its renewals, cancellation and expiry (which name the subscription) find the same purchase.
import { createHmac } from 'node:crypto';
import { digestsEqual } from '../../domain/crypto.js';
import { moneyOf, type ProviderEvent } from '../../domain/paymentConnection.js';
import { badSignature, ids, obj, parseJson, str, type Delivery, type Provider, type Translated } from './provider.js';

async function verify(d: Delivery): Promise<unknown> {
  const signature = d.header('x-signature');
  if (!signature) throw badSignature();
  const expected = createHmac('sha256', d.secret).update(d.raw).digest('hex');
  if (!digestsEqual(signature, expected)) throw badSignature();
  return parseJson(d.raw);
}

function translate(payload: unknown): Translated {
  const body = obj(payload);
  const meta = obj(body.meta);
  const type = str(meta.event_name) ?? 'unknown';
  const data = obj(body.data);
  const id = str(data.id);
  const a = obj(data.attributes);
  const events: ProviderEvent[] = [];
  if (!id) return { type, id, events };
  switch (type) {
    case 'order_created': {
      if (a.status !== 'paid') break;
      const item = obj(a.first_order_item);
      events.push({ kind: 'purchase', purchaseId: id, email: str(a.user_email), product: { match: ids(item.variant_id, item.product_id), metadata: obj(meta.custom_data) }, money: moneyOf(a.total, a.currency) });
      break;
    }
    case 'order_refunded':
      // refunded_amount is the total refunded so far.
      events.push({ kind: 'refund', purchaseRefs: [id], refundId: null, money: moneyOf(a.refunded_amount, a.currency), totalRefunded: true });
      break;
    case 'subscription_created':
      if (str(a.order_id)) events.push({ kind: 'alias', purchaseId: str(a.order_id)!, refs: [id] });
      break;
    case 'subscription_payment_success':
      // A subscription invoice: the first one is the order's own payment.
      if (a.billing_reason === 'renewal' && str(a.subscription_id)) {
        events.push({ kind: 'renewal', purchaseRefs: [str(a.subscription_id)!], renewalId: id, money: moneyOf(a.total, a.currency) });
      }
      break;
    case 'subscription_cancelled':
      events.push({ kind: 'cancel', purchaseRefs: ids(id, a.order_id) });
      break;
    case 'subscription_expired':
      events.push({ kind: 'end', purchaseRefs: ids(id, a.order_id) });
      break;
  }
  return { type, id, events };
}

const lemonSqueezy: Provider = { verify, translate };
export default lemonSqueezy;

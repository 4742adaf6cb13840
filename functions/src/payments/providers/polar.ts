// Polar: Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), checked by
// the standardwebhooks package with a 5-minute window. Polar's secret is used as its UTF-8
// bytes, as Polar's own SDK does (it base64-encodes the secret for the library). One purchase id
// per purchase: the subscription id, else the order id.
import { moneyOf, type ProviderEvent } from '../../domain/paymentConnection.js';
import { badSignature, obj, parseJson, str, type Delivery, type Provider, type Translated } from './provider.js';

async function verify(d: Delivery): Promise<unknown> {
  const headers = { 'webhook-id': d.header('webhook-id') ?? '', 'webhook-timestamp': d.header('webhook-timestamp') ?? '', 'webhook-signature': d.header('webhook-signature') ?? '' };
  const { Webhook } = await import('standardwebhooks');
  try {
    new Webhook(Buffer.from(d.secret, 'utf8').toString('base64')).verify(d.raw.toString('utf8'), headers);
  } catch {
    throw badSignature();
  }
  return parseJson(d.raw);
}

function translate(payload: unknown): Translated {
  const event = obj(payload);
  const type = str(event.type) ?? 'unknown';
  const o = obj(event.data);
  const id = str(o.id);
  const events: ProviderEvent[] = [];
  if (!id) return { type, id, events };
  const subscription = str(o.subscription_id);
  switch (type) {
    case 'order.created':
    case 'order.paid': {
      if (type === 'order.created' && o.status !== 'paid' && o.paid !== true) break;
      const money = moneyOf(o.total_amount ?? o.amount, o.currency);
      if (o.billing_reason === 'subscription_cycle' && subscription) {
        events.push({ kind: 'renewal', purchaseRefs: [subscription], renewalId: id, money, refs: [id] });
      } else if (o.billing_reason === 'purchase' || o.billing_reason === 'subscription_create') {
        events.push({ kind: 'purchase', purchaseId: subscription ?? id, email: str(obj(o.customer).email), product: { match: [str(o.product_id), str(obj(o.product).id)], metadata: obj(o.metadata) }, money, refs: [id] });
      }
      break;
    }
    case 'order.refunded':
      // refunded_amount is the total refunded so far.
      events.push({ kind: 'refund', purchaseRefs: [subscription ?? id, id], refundId: null, money: moneyOf(o.refunded_amount, o.currency), totalRefunded: true });
      break;
    case 'subscription.canceled':
      events.push({ kind: 'cancel', purchaseRefs: [id] });
      break;
    case 'subscription.revoked':
      events.push({ kind: 'end', purchaseRefs: [id] });
      break;
  }
  return { type, id: str(event.id) ?? id, events };
}

const polar: Provider = { verify, translate };
export default polar;

// Paddle Billing: `Paddle-Signature: ts=…;h1=…`, an HMAC-SHA256 (hex) of `ts:body` with the
// notification destination's secret key, compared in constant time against every h1 (there are
// two while Paddle rotates a secret). Paddle's SDK verifier allows 5 seconds and no other value,
// too little for clock skew and queueing, so this is node:crypto with a 5-minute window. One
// purchase id per purchase: the subscription id, else the transaction id. Transactions name
// only `customer_id`: the email comes from Paddle's customer.created / customer.updated.
import { createHmac } from 'node:crypto';
import { digestsEqual } from '../../domain/crypto.js';
import { moneyOf, type ProviderEvent } from '../../domain/paymentConnection.js';
import { badSignature, ids, list, obj, parseJson, SIGNATURE_TOLERANCE_SECONDS, str, type Delivery, type Provider, type Translated } from './provider.js';

async function verify(d: Delivery): Promise<unknown> {
  const parts = (d.header('paddle-signature') ?? '').split(';').map((p) => p.split('='));
  const ts = parts.find(([k]) => k === 'ts')?.[1];
  const signatures = parts.filter(([k, v]) => k === 'h1' && v).map(([, v]) => v!);
  if (!ts || !/^\d+$/.test(ts) || signatures.length === 0) throw badSignature();
  if (Math.abs(d.now.getTime() / 1000 - Number(ts)) > SIGNATURE_TOLERANCE_SECONDS) throw badSignature();
  const expected = createHmac('sha256', d.secret).update(`${ts}:`).update(d.raw).digest('hex');
  if (!signatures.some((s) => digestsEqual(s, expected))) throw badSignature();
  return parseJson(d.raw);
}

function translate(payload: unknown): Translated {
  const event = obj(payload);
  const type = str(event.event_type) ?? 'unknown';
  const o = obj(event.data);
  const events: ProviderEvent[] = [];
  switch (type) {
    case 'transaction.completed': {
      const id = str(o.id);
      if (!id) break;
      const money = moneyOf(obj(obj(o.details).totals).grand_total, o.currency_code);
      if (o.origin === 'subscription_recurring' && str(o.subscription_id)) {
        events.push({ kind: 'renewal', purchaseRefs: [str(o.subscription_id)!], renewalId: id, money, refs: [id] });
      } else {
        const items = list(o.items).map((i) => obj(obj(i).price));
        events.push({
          kind: 'purchase',
          purchaseId: str(o.subscription_id) ?? id,
          email: null,
          customerId: str(o.customer_id) ?? undefined,
          product: { match: ids(...items.flatMap((p) => [p.id, p.product_id])), metadata: obj(o.custom_data) },
          money,
          refs: [id],
        });
      }
      break;
    }
    case 'customer.created':
    case 'customer.updated':
      if (str(o.id) && str(o.email)) events.push({ kind: 'customer', customerId: str(o.id)!, email: str(o.email)! });
      break;
    case 'adjustment.created':
    case 'adjustment.updated': {
      const refs = ids(o.subscription_id, o.transaction_id);
      const money = moneyOf(obj(o.totals).total, o.currency_code);
      if (o.action === 'refund' && o.status === 'approved') events.push({ kind: 'refund', purchaseRefs: refs, refundId: str(o.id), money });
      else if (o.action === 'chargeback') events.push({ kind: 'dispute', purchaseRefs: refs, disputeId: str(o.id), money });
      // A reversal's id is its own, not the chargeback's: it reverses the purchase's chargebacks.
      else if (o.action === 'chargeback_reverse') events.push({ kind: 'disputeWon', purchaseRefs: refs, disputeId: null });
      break;
    }
    case 'subscription.updated':
      if (obj(o.scheduled_change).action === 'cancel' && str(o.id)) events.push({ kind: 'cancel', purchaseRefs: [str(o.id)!] });
      break;
    case 'subscription.canceled':
      if (str(o.id)) events.push({ kind: 'cancel', purchaseRefs: [str(o.id)!] });
      break;
  }
  return { type, id: str(event.event_id), events };
}

const paddle: Provider = { verify, translate };
export default paddle;

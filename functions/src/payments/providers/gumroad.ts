// Gumroad signs nothing. Its ping goes to the connection's URL, which carries a 256-bit token
// (`?token=`, compared in constant time), and the ping's `seller_id` must be the connection's.
// Pings are form-encoded: a sale, or the same sale again with `refunded`, `disputed` or
// `dispute_won` set; resource subscriptions add `resource_name` (cancellation, subscription_ended).
// One purchase id per purchase: the subscription id, else the sale id.
import { secretsEqual } from '../../domain/crypto.js';
import { moneyOf, type ProviderEvent } from '../../domain/paymentConnection.js';
import { badSignature, ids, str, yes, type Delivery, type Json, type Provider, type Translated } from './provider.js';

async function verify(d: Delivery): Promise<unknown> {
  const token = d.query('token');
  if (!token || !secretsEqual(token, d.secret)) throw badSignature();
  const fields: Json = Object.fromEntries(new URLSearchParams(d.raw.toString('utf8')));
  if (!d.connection.sellerId || fields.seller_id !== d.connection.sellerId) throw badSignature();
  return fields;
}

/** `url_params[seatkey_product]=…` and the like, as the checkout's metadata. */
function urlParams(f: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(f)) {
    const m = /^url_params\[(.+)\]$/.exec(k);
    if (m) out[m[1]!] = v;
  }
  return out;
}

function translate(payload: unknown): Translated {
  const f = payload as Json;
  const resource = str(f.resource_name) ?? 'sale';
  const saleId = str(f.sale_id);
  const purchaseId = str(f.subscription_id) ?? saleId;
  const events: ProviderEvent[] = [];
  if (!purchaseId) return { type: resource, id: saleId, events };
  const refs = ids(f.subscription_id, saleId);
  if (resource === 'cancellation') events.push({ kind: 'cancel', purchaseRefs: refs });
  else if (resource === 'subscription_ended') events.push({ kind: 'end', purchaseRefs: refs });
  else if (yes(f.dispute_won)) events.push({ kind: 'disputeWon', purchaseRefs: refs, disputeId: saleId });
  else if (yes(f.disputed) || resource === 'dispute') events.push({ kind: 'dispute', purchaseRefs: refs, disputeId: saleId, money: null });
  else if (yes(f.refunded) || resource === 'refund') events.push({ kind: 'refund', purchaseRefs: refs, refundId: saleId, money: null });
  else if (resource === 'sale') {
    const money = moneyOf(f.price, f.currency);
    if (yes(f.is_recurring_charge) && str(f.subscription_id) && saleId) events.push({ kind: 'renewal', purchaseRefs: [str(f.subscription_id)!], renewalId: saleId, money });
    else events.push({ kind: 'purchase', purchaseId, email: str(f.email), product: { match: ids(f.product_id, f.short_product_id, f.permalink, f.product_permalink), metadata: urlParams(f) }, money, refs: ids(saleId) });
  }
  return { type: resource, id: saleId, events };
}

const gumroad: Provider = { verify, translate };
export default gumroad;

// Helpers for the payment-provider tests: connections, fixtures shaped like each provider's
// documented payloads (emulator-tests/fixtures/<provider>/), deliveries to a connection's
// webhook URL, and reads of what Firestore holds for a purchase.
import { readFileSync } from 'node:fs';
import { db } from '../functions/src/store/firestore.ts';
import { asCreator, type CreatorFixture } from './helpers.ts';

/** A fixture with its `{{NAME}}` placeholders filled in. */
export function fixture(path: string, values: Record<string, string | number | boolean>): string {
  const text = readFileSync(new URL(`./fixtures/${path}`, import.meta.url), 'utf8');
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`fixture ${path}: no value for ${name}`);
    return String(values[name]);
  }).trim();
}

export async function connect(c: CreatorFixture, fields: Record<string, unknown>): Promise<{ id: string; url: string; reply: any }> {
  const r = await asCreator(c.apiKey, 'createPaymentConnection', fields);
  if (r.status !== 200) throw new Error(`createPaymentConnection failed: ${r.status} ${r.text}`);
  return { id: r.body.connection.id, url: r.body.webhookUrl, reply: r.body };
}

export interface Delivered {
  status: number;
  body: any;
  text: string;
}

/** POSTs `raw` to a webhook URL as the provider would. */
export async function deliver(url: string, raw: string, headers: Record<string, string>, contentType = 'application/json'): Promise<Delivered> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: raw, signal: AbortSignal.timeout(240_000) });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

async function where(collection: string, field: string, value: string) {
  return (await (await db()).collection(collection).where(field, '==', value).get()).docs.map((d) => d.data());
}

/** Everything stored about a purchase: its licences, purchase records, sales and waiting events. */
export async function stored(creatorId: string, purchaseId: string) {
  const [licenses, purchases, sales, pending] = await Promise.all([
    where('licenses', 'purchaseId', purchaseId),
    where('purchases', 'purchaseId', purchaseId),
    where('sales', 'purchaseId', purchaseId),
    where('pendingPayments', 'purchaseId', purchaseId),
  ]);
  const mine = <T extends { creatorId?: unknown }>(docs: T[]) => docs.filter((d) => d.creatorId === creatorId);
  return { licenses: mine(licenses), purchases: mine(purchases), sales: mine(sales), pending: mine(pending) };
}

/** Whatever the creator's event log holds (every type), newest first. */
export async function eventsOf(c: CreatorFixture, type?: string): Promise<any[]> {
  const r = await asCreator(c.apiKey, 'listEvents', type ? { type, limit: 200 } : { limit: 200 });
  if (r.status !== 200) throw new Error(`listEvents failed: ${r.status} ${r.text}`);
  return r.body.events;
}

export const licenseOf = async (c: CreatorFixture, licenseKey: string) => (await asCreator(c.apiKey, 'getLicense', { licenseKey })).body.license;

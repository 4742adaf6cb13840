// The fields creators' outbound webhooks take on create and update, and the scope-checked
// lookup every webhook endpoint starts with.
import { z } from 'zod';
import { notFound } from '../domain/errors.js';
import { EVENT_TYPES } from '../domain/events.js';
import { WEBHOOK_FORMATS } from '../domain/outbound.js';
import { assertVisible, type Caller } from '../domain/scope.js';
import { identifier, slug } from '../http/fields.js';
import { getWebhook, type WebhookRecord } from '../store/webhooks.js';
import { checkDestination } from '../webhooks/destination.js';
import { visibleProduct } from '../licensing/lookup.js';

export const webhookSettings = {
  url: z.string().trim().min(1).max(2048),
  /** Event types (an array or a comma list); empty: every event. */
  events: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
    z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length),
  ),
  /** Only this product's events; null: all the creator's products. */
  productId: slug().nullable(),
  description: z.string().trim().max(200),
  /** The deliveries' layout: Seatkey's (default) or another system's (`paperkey`, docs/dialects.md). */
  format: z.enum(WEBHOOK_FORMATS),
};

export const webhookId = () => identifier(64);

export async function visibleWebhook(caller: Caller, id: string): Promise<WebhookRecord> {
  const hook = await getWebhook(id);
  if (!hook) throw notFound('Webhook');
  assertVisible(caller, hook.creatorId, 'Webhook');
  return hook;
}

/** The settings as stored: a checked URL, distinct events, and a product of the webhook's creator. */
export async function checkedSettings(
  caller: Caller,
  owner: string,
  input: { url?: string | undefined; events?: readonly (typeof EVENT_TYPES)[number][] | undefined; productId?: string | null | undefined },
): Promise<Partial<Pick<WebhookRecord, 'url' | 'events' | 'productId'>>> {
  const out: Partial<Pick<WebhookRecord, 'url' | 'events' | 'productId'>> = {};
  if (input.productId) await visibleProduct(caller, input.productId, owner);
  if (input.productId !== undefined) out.productId = input.productId;
  if (input.events !== undefined) out.events = [...new Set(input.events)];
  if (input.url !== undefined) out.url = (await checkDestination(input.url)).toString();
  return out;
}

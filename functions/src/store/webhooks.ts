// webhooks/{id}: creators' outbound endpoints, and webhooks/{id}/deliveries/{slot}: the ring of
// their most recent delivery attempts (slot = sequence number modulo the ring's size, so the
// log never grows past it and listing it is one bounded read).
import { WEBHOOKS } from '../config.js';
import type { EventType } from '../domain/events.js';
import { afterAttempt, type DeliveryState, type WebhookFormat } from '../domain/outbound.js';
import { COLLECTIONS, SUB } from './collections.js';
import { converter, db, inGroups, patchDocument, transaction } from './firestore.js';

export type WebhookStatus = DeliveryState['status'];

export interface WebhookRecord {
  id: string;
  creatorId: string;
  url: string;
  description: string;
  /** Event types it receives; empty: all. */
  events: EventType[];
  /** Only this product's events; null: all the creator's products. */
  productId: string | null;
  /** The HMAC key of its signatures. Kept readable (deliveries are signed with it); shown once. */
  secret: string;
  /** The secret it replaced, signing beside it until previousSecretExpiresAt (absent on webhooks never rotated). */
  previousSecret?: string | null;
  previousSecretExpiresAt?: Date | null;
  status: WebhookStatus;
  /** Its deliveries' layout (absent: `seatkey`). */
  format?: WebhookFormat;
  /** Why it is paused: 10 failures in a row, the creator, or a 410 Gone from the receiver. */
  pausedReason: DeliveryState['pausedReason'];
  consecutiveFailures: number;
  deliverySeq: number;
  lastDeliveryAt: Date | null;
  lastStatus: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeliveryRecord {
  seq: number;
  eventId: string;
  event: EventType;
  /** 1 for the first attempt. */
  attempt: number;
  /** The receiver's HTTP status; null when there was none (timeout, refused, blocked). */
  status: number | null;
  ok: boolean;
  error: string | null;
  durationMs: number;
  at: Date;
}

const webhooks = async () => (await db()).collection(COLLECTIONS.webhooks).withConverter(converter<WebhookRecord>());
const deliveries = async (webhookId: string) =>
  (await webhooks()).doc(webhookId).collection(SUB.deliveries).withConverter(converter<DeliveryRecord>());

/** Creates the webhook unless its creator already has the most allowed; false if it has. */
export async function insertWebhook(hook: WebhookRecord): Promise<boolean> {
  const col = await webhooks();
  return transaction(async (tx) => {
    const existing = await tx.get(col.where('creatorId', '==', hook.creatorId).select());
    if (existing.size >= WEBHOOKS.perCreator) return false;
    tx.create(col.doc(hook.id), hook);
    return true;
  });
}

export async function getWebhook(id: string): Promise<WebhookRecord | undefined> {
  return (await (await webhooks()).doc(id).get()).data();
}

export async function listWebhookRecords(creatorId: string | undefined): Promise<WebhookRecord[]> {
  const col = await webhooks();
  const snap = await (creatorId === undefined ? col : col.where('creatorId', '==', creatorId)).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** The active webhooks of these creators. */
export async function activeWebhooksOf(creatorIds: readonly string[]): Promise<WebhookRecord[]> {
  const col = await webhooks();
  const snaps = await Promise.all(inGroups(creatorIds).map((ids) => col.where('creatorId', 'in', ids).where('status', '==', 'active').get()));
  return snaps.flatMap((s) => s.docs.map((d) => d.data()));
}

/** Applies `change` to the current record in a transaction; undefined if it does not exist. */
export async function patchWebhook(id: string, change: (current: WebhookRecord) => Partial<WebhookRecord>): Promise<WebhookRecord | undefined> {
  return patchDocument((await webhooks()).doc(id), change);
}

/** Deletes the webhook and its delivery log. */
export async function deleteWebhookRecord(id: string): Promise<void> {
  await (await db()).recursiveDelete((await webhooks()).doc(id));
}

/**
 * Logs one delivery attempt in the webhook's ring and updates its state (domain/outbound.ts
 * afterAttempt: a success clears the failure count; a 410, or the failure that reaches
 * WEBHOOKS.pauseAfterFailures, pauses it). Returns the webhook as it is now (undefined if it was
 * deleted meanwhile).
 */
export async function logDelivery(webhookId: string, attempt: Omit<DeliveryRecord, 'seq'>): Promise<WebhookRecord | undefined> {
  const [ref, log] = await Promise.all([webhooks().then((c) => c.doc(webhookId)), deliveries(webhookId)]);
  return transaction(async (tx) => {
    const hook = (await tx.get(ref)).data();
    if (!hook) return undefined;
    const seq = hook.deliverySeq + 1;
    const state = afterAttempt(hook, attempt.status, WEBHOOKS.pauseAfterFailures);
    const next: WebhookRecord = {
      ...hook,
      ...state,
      deliverySeq: seq,
      lastDeliveryAt: attempt.at,
      lastStatus: attempt.status,
      ...(state.status !== hook.status ? { updatedAt: attempt.at } : {}),
    };
    tx.set(ref, next);
    tx.set(log.doc(String(seq % WEBHOOKS.deliveriesKept).padStart(3, '0')), { ...attempt, seq });
    return next;
  });
}

/** The webhook's logged deliveries, newest first. */
export async function listDeliveries(webhookId: string, limit: number): Promise<DeliveryRecord[]> {
  const snap = await (await deliveries(webhookId)).orderBy('seq', 'desc').limit(limit).get();
  return snap.docs.map((d) => d.data());
}

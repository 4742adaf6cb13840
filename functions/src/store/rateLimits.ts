// The one rate-limit collection every endpoint shares.
//
// A limit is `limit` calls per fixed, clock-aligned window. Each call is one atomic
// fetch-and-add on a counter document (store/counters.ts), so simultaneous calls each see a
// distinct count and exactly `limit` of them are admitted, without transactions.
//
// Keeping hot documents within Firestore's guidance of about one sustained write per second per
// document:
//  - the counter is split into `shards = ceil(limit / windowSeconds)` documents, each admitting
//    its share of the limit; a call starts on a random shard and moves on only when that shard's
//    share is used up, so at most about one admitted write per second lands on any one document
//    (600/min per API key → 10 shards; 100/min per IP → 2; 30/min and 15/hour → 1);
//  - once every shard of a window is exhausted, this instance remembers it until the window
//    resets and refuses further calls from memory, so a client hammering past its limit adds no
//    writes at all;
//  - every counter is its own document keyed by limit, subject and window, never a shared one.
// Documents carry `expireAt` (the end of their window plus a day) for a Firestore TTL policy
// (firestore.indexes.json) and for the scheduled sweep that deletes them where TTL is off.
//
// A limit that depends on the licence (activate, deactivate: domain/limits.ts) is counted with
// `tally` on one document per licence and window, before the licence is read, and judged once it
// is. One document is enough there: a call that takes or frees a seat writes the licence document
// as well, so the counter is about as busy as the licence, and the rest are bounded per IP.
import { sha256Base64Url } from '../domain/crypto.js';
import { verdictOf, windowAt, type RateLimitResult } from '../domain/limits.js';
import { COLLECTIONS } from './collections.js';
import { fetchAndAdd } from './counters.js';
import { db, firestoreModule } from './firestore.js';

export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

export type { RateLimitResult };

const EXPIRY_GRACE_MS = 24 * 3600 * 1000;
const exhausted = new Map<string, number>();

/** How many counter documents a limit is spread over. */
export const shardsFor = (rule: RateLimitRule): number => Math.max(1, Math.ceil(rule.limit / rule.windowSeconds));

/** The share of `limit` that shard `i` of `shards` admits (the shares sum to `limit`). */
export const shareOf = (limit: number, shards: number, i: number): number =>
  Math.floor(limit / shards) + (i < limit % shards ? 1 : 0);

function forgetOld(now: number): void {
  if (exhausted.size < 10_000) return;
  for (const [k, resetAt] of exhausted) if (resetAt <= now) exhausted.delete(k);
}

/**
 * Counts one call by `subject` against the limit named `name` and says whether it is admitted.
 * The subject (an IP, licence key or key id) is hashed so no credential is stored here.
 */
export async function consume(name: string, subject: string, rule: RateLimitRule, now = Date.now()): Promise<RateLimitResult> {
  const { start, resetAt } = windowAt(now, rule.windowSeconds);
  const base = counterId(name, subject, start);
  const denied = { allowed: false, limit: rule.limit, remaining: 0, resetAt };
  if ((exhausted.get(base) ?? 0) > now) return denied;

  const shards = shardsFor(rule);
  const first = Math.floor(Math.random() * shards);
  const expireAt = new Date(resetAt + EXPIRY_GRACE_MS);
  for (let step = 0; step < shards; step++) {
    const shard = (first + step) % shards;
    const share = shareOf(rule.limit, shards, shard);
    if (share === 0) continue;
    const count = await fetchAndAdd(`${COLLECTIONS.rateLimits}/${base}_${shard}`, 'count', 1, expireAt);
    if (count <= share) {
      if (shards === 1) return verdictOf(count, rule.limit, resetAt);
      const remaining = Math.min(rule.limit - 1, Math.round(((share - count) / share) * rule.limit));
      return { allowed: true, limit: rule.limit, remaining, resetAt };
    }
  }
  forgetOld(now);
  exhausted.set(base, resetAt);
  return denied;
}

/** A counter's document id: the limit, a hash of the subject, the window (Unix seconds). */
const counterId = (name: string, subject: string, windowStart: number): string => `${name}_${sha256Base64Url(subject).slice(0, 22)}_${windowStart / 1000}`;

/**
 * Counts one call by `subject` against the limit named `name` on one document per window, without
 * deciding: the caller judges the count with `verdictOf` once it knows the limit.
 */
export async function tally(name: string, subject: string, windowSeconds: number, now = Date.now()): Promise<{ count: number; resetAt: number }> {
  const { start, resetAt } = windowAt(now, windowSeconds);
  const count = await fetchAndAdd(`${COLLECTIONS.rateLimits}/${counterId(name, subject, start)}_0`, 'count', 1, new Date(resetAt + EXPIRY_GRACE_MS));
  return { count, resetAt };
}

/**
 * Deletes up to `limit` counter documents whose `expireAt` has passed (what the TTL policy does
 * in production) and returns how many it deleted. Each page is one atomic batch.
 */
export async function deleteExpiredCounters(now: Date, limit: number): Promise<number> {
  const firestore = await db();
  const snap = await firestore.collection(COLLECTIONS.rateLimits).where('expireAt', '<=', now).limit(limit).get();
  if (snap.empty) return 0;
  const batch = firestore.batch();
  for (const doc of snap.docs) batch.delete(doc.ref);
  await batch.commit();
  return snap.size;
}

/**
 * Deletes the expired counters of the given subjects (each with the names of the limits that
 * count it): what `deleteExpiredCounters` does, for a scoped sweep. Returns how many it deleted.
 */
export async function deleteExpiredCountersOf(subjects: readonly { names: readonly string[]; subject: string }[], now: Date): Promise<number> {
  const firestore = await db();
  const { FieldPath } = await firestoreModule();
  const prefixes = subjects.flatMap(({ names, subject }) => names.map((name) => `${name}_${sha256Base64Url(subject).slice(0, 22)}_`));
  const pages = await Promise.all(
    prefixes.map((p) => firestore.collection(COLLECTIONS.rateLimits).orderBy(FieldPath.documentId()).startAt(p).endAt(`${p}\uf8ff`).get()),
  );
  const expired = pages.flatMap((snap) => snap.docs).filter((d) => ((d.get('expireAt') as { toMillis(): number } | undefined)?.toMillis() ?? Infinity) <= now.getTime());
  if (expired.length === 0) return 0;
  const batch = firestore.batch();
  for (const doc of expired) batch.delete(doc.ref);
  await batch.commit();
  return expired.length;
}

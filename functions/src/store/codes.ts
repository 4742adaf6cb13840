// discountCodes/{hash of creator and code}, their use counters, and trialClaims/{hash of product
// and email}.
//
// maxUses under concurrency, without a transaction on the code's document: every use first takes
// a slot from the code's counter with an atomic fetch-and-add (store/counters.ts), so simultaneous
// redemptions each get a distinct number and none waits on a lock. A number beyond maxUses is
// refused and handed back. The use itself (usedCount + 1, the trial claim, the licence) then
// commits in one batch; a use whose batch fails hands its slot back too. So at most maxUses uses
// ever commit, and once the in-flight ones settle the counter equals the committed uses again.
import { compoundId } from '../domain/crypto.js';
import { codeKey, type CodeRecord } from '../domain/code.js';
import { notFound } from '../domain/errors.js';
import type { LicenseRecord } from '../domain/license.js';
import { COLLECTIONS, SUB } from './collections.js';
import { fetchAndAdd } from './counters.js';
import { converter, createIfAbsent, db, firestoreModule, isNotFound, transaction, type Query, type WriteBatch } from './firestore.js';
import { issueLicense, type IssueOptions, type Issued } from './licenses.js';

const codes = async () => (await db()).collection(COLLECTIONS.discountCodes).withConverter(converter<CodeRecord>());
const codeId = (creatorId: string, code: string) => compoundId(creatorId, codeKey(code));
const codeRef = async (creatorId: string, code: string) => (await codes()).doc(codeId(creatorId, code));

/**
 * The counter of one incarnation of a code: deleting a code and creating it again starts a new
 * counter, so a slot handed back late by the old one cannot leak into the new one.
 */
const usesPath = (code: CodeRecord) =>
  `${COLLECTIONS.discountCodes}/${codeId(code.creatorId, code.code)}/${SUB.counters}/uses_${code.createdAt.getTime()}`;

/** Creates the code; false if the creator already has one by that name (in any case). */
export async function insertCode(code: CodeRecord): Promise<boolean> {
  return createIfAbsent(await codeRef(code.creatorId, code.code), code);
}

export async function getCode(creatorId: string, code: string): Promise<CodeRecord | undefined> {
  return (await (await codeRef(creatorId, code)).get()).data();
}

/** A creator's codes (every creator's when undefined), oldest first. */
export async function listCodes(creatorId: string | undefined): Promise<CodeRecord[]> {
  let query: Query<CodeRecord> = await codes();
  if (creatorId !== undefined) query = query.where('creatorId', '==', creatorId);
  const snap = await query.get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.code.localeCompare(b.code));
}

/**
 * Replaces the code's settings with what `change` makes of them, in a transaction; undefined if
 * there is no such code or `change` says it is not one it may change. `usedCount` is left to the
 * uses that increment it.
 */
export async function patchCode(creatorId: string, code: string, change: (current: CodeRecord) => CodeRecord | undefined): Promise<CodeRecord | undefined> {
  const ref = await codeRef(creatorId, code);
  return transaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    const next = current && change(current);
    if (!current || !next) return undefined;
    const { usedCount: _used, ...settings } = next;
    tx.update(ref, settings);
    return { ...next, usedCount: current.usedCount };
  });
}

/** Deletes the code and its counter if `may(code)`; false if there is none it may delete. */
export async function deleteCode(creatorId: string, code: string, may: (current: CodeRecord) => boolean): Promise<boolean> {
  const ref = await codeRef(creatorId, code);
  const firestore = await db();
  return transaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    if (!current || !may(current)) return false;
    tx.delete(ref);
    tx.delete(firestore.doc(usesPath(current)));
    return true;
  });
}

export interface UseSlot {
  /** This use's number among the code's uses, from 1 (beyond maxUses when greater). */
  number: number;
  /** Hands the slot back: the use did not happen. */
  release(): Promise<void>;
}

/** Takes the next of the code's use slots (see the top of this file). */
export async function takeUse(code: CodeRecord): Promise<UseSlot> {
  const path = usesPath(code);
  const number = await fetchAndAdd(path, 'taken', 1);
  return { number, release: async () => void (await fetchAndAdd(path, 'taken', -1)) };
}

/**
 * Adds the committed use to `batch`. An update, so if the code was deleted meanwhile the whole
 * batch fails with NOT_FOUND rather than bringing it back.
 */
async function countUse(batch: WriteBatch, code: CodeRecord): Promise<void> {
  const { FieldValue } = await firestoreModule();
  batch.update(await codeRef(code.creatorId, code.code), { usedCount: FieldValue.increment(1) });
}

/** trialClaims/{id}: the (product, email) pairs that have had a trial. Never holds the key. */
export interface TrialClaim {
  productId: string;
  email: string;
  code: string;
  createdAt: Date;
}

const claimRef = async (productId: string, email: string) =>
  (await db()).collection(COLLECTIONS.trialClaims).doc(compoundId(productId, email));

export async function hasTrialClaim(productId: string, email: string): Promise<boolean> {
  return (await (await claimRef(productId, email)).get()).exists;
}

/** Adds the claim to `batch` as a create: of two batches claiming one pair, only one commits. */
export async function claimTrial(batch: WriteBatch, claim: TrialClaim): Promise<void> {
  batch.create(await claimRef(claim.productId, claim.email), claim);
}

/**
 * Issues a licence that uses `code` through the slot already taken: the use is counted in the
 * licence's own batch (with `options.also`), and the slot is handed back when no use committed (the
 * purchase had its licence already, or the batch failed). A code deleted meanwhile is a 404.
 */
export async function issueWithCode(draft: Omit<LicenseRecord, 'licenseKey'>, code: CodeRecord, slot: UseSlot, options: IssueOptions = {}): Promise<Issued> {
  let issued: Issued;
  try {
    issued = await issueLicense(draft, {
      ...options,
      also: async (batch, license) => {
        await countUse(batch, code);
        await options.also?.(batch, license);
      },
    });
  } catch (e) {
    await slot.release();
    if (isNotFound(e)) throw notFound('Code');
    throw e;
  }
  if (!issued.created) await slot.release();
  return issued;
}

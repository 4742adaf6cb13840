// Seats: the transactions behind activate, deactivate and heartbeat, and the ending of lapsed
// floating leases. Each one reads the licence and the machine's activation in one batched read,
// decides with the domain rules, and commits every change together with its events, so
// `machinesUsed` always equals the number of the licence's activations with `sessionActive`
// and no concurrency can seat a machine past the limit.
//
// A licence without a seat limit, and a floating licence, count their seats on shards
// (seatCounts.ts): an activation adds the seat there (a blind increment, or for a floating licence
// on a shard with room) and does not write the licence document (except to set `activatedAt` the
// first time), so a site licence's rollout, or a crowd of floating machines, does not queue on
// that document. There `machinesUsed` is the licence document's count plus the shards'; every
// read below that answers it adds them.
import type { DocumentReference, DocumentSnapshot } from 'firebase-admin/firestore';
import { LAST_SEEN_TOUCH_INTERVAL_MS, LEASE_RENEWALS } from '../config.js';
import { leaseUntil, machineLimitMessage, refusalOf } from '../domain/access.js';
import { activationEventData, lastSeenStale, withCountry, type ActivationRecord } from '../domain/activation.js';
import { randomToken } from '../domain/crypto.js';
import { busy, deviceBlocked, forbidden, notFound, type SeatkeyError } from '../domain/errors.js';
import { seatLimitOf, type LicenseRecord } from '../domain/license.js';
import { rateLimited, renewLease } from '../domain/limits.js';
import { detect, emptyActivity, flag, watched, withAttempt, type ActivationActivity } from '../domain/threats.js';
import { withTransfer } from '../domain/transfers.js';
import type { ViolationRecord } from '../domain/violation.js';
import { activationRef, findActivation, lapsedLeasesOf } from './activations.js';
import { activityRef } from './activity.js';
import { recordLicenseEvent } from './events.js';
import { db, isDocumentId, put, transaction, type Transaction } from './firestore.js';
import { signingKeyRef, type SigningKeyRecord } from './signingKeys.js';
import { checked } from './licenseReads.js';
import { licenseRef, writeLicense } from './licenses.js';
import { addSeats, countSeats, countSeatsIn, pickShard, readShard, shardCounts, sharded, takeSeat, withShardCounts, type SeatRoom } from './seatCounts.js';
import type { ClientSettings } from './productSettings.js';
import { putViolation } from './violations.js';

/** Lapsed leases an activating transaction ends at most, when a floating licence is full. */
const RECLAIM_BATCH = 20;

/** Whether `a` (as read) is a lease that still holds its seat and has lapsed by `now`. */
const lapsedBy =
  (now: Date) =>
  (a: ActivationRecord | undefined): a is ActivationRecord =>
    !!a && a.sessionActive && !!a.leaseExpiresAt && a.leaseExpiresAt.getTime() <= now.getTime();

/**
 * Up to RECLAIM_BATCH of the licence's lapsed leases other than this machine's, read in `tx`.
 * They are found by a query outside the transaction (a range read in it would hold the range of
 * leases against every heartbeat that renews one) and then read in it by name, so a lease renewed
 * meanwhile is not ended.
 */
async function lapsedLeases(tx: Transaction, licenseKey: string, fingerprint: string, now: Date): Promise<ActivationRecord[]> {
  const found = await (await lapsedLeasesOf(licenseKey, now, RECLAIM_BATCH)).get();
  const refs = found.docs.filter((d) => d.data().fingerprint !== fingerprint).map((d) => d.ref);
  if (refs.length === 0) return [];
  const snaps = await tx.getAll(...refs);
  return snaps.map((snap) => snap.data()).filter(lapsedBy(now));
}

/**
 * How long an activating transaction that holds its reads waits for the rate limits' verdict.
 * Longer, and a burst on one licence (whose counter writes queue up) would hold the licence's
 * locks while every other activation of it waits and times out; the transaction lets go
 * instead and runs again once admitted.
 */
const ADMISSION_GRACE_MS = 25;

class NotYetAdmitted extends Error {}

/** A floating licence's shard filled between being seen with room and being read: try again. */
class SeatTaken extends Error {}

/**
 * How often an activation of a floating licence looks again for a shard with room, when the one it
 * chose filled first, before it answers 503 `busy`. Each try sees the counts afresh, so it only
 * misses again if another activation took that shard's last seat in the meantime.
 */
const SEAT_TRIES = 8;

interface Seat {
  license: LicenseRecord | undefined;
  /** When the licence document was last written, in milliseconds (as read). */
  licenseWrittenAt?: number;
  activation: ActivationRecord | undefined;
  activity: ActivationActivity | undefined;
}

type GetAll = (...refs: DocumentReference[]) => Promise<DocumentSnapshot[]>;

/** The licence, the machine's activation and (optionally) the activity, in one batched read. */
async function readSeat(getAll: GetAll, licenseKey: string, fingerprint: string, withActivity: boolean): Promise<Seat> {
  const refs = [await licenseRef(licenseKey), await activationRef(licenseKey, fingerprint), ...(withActivity ? [await activityRef(licenseKey)] : [])];
  const [l, a, s] = await getAll(...(refs as unknown as DocumentReference[]));
  return {
    license: await checked(l?.data() as LicenseRecord | undefined),
    ...(l?.updateTime ? { licenseWrittenAt: l.updateTime.toMillis() } : {}),
    activation: a?.data() as ActivationRecord | undefined,
    activity: s?.data() as ActivationActivity | undefined,
  };
}

/**
 * The seat read outside a transaction (validate: read-only), with the registry record of the key
 * that signed the session token (`kid`) in the same batched read.
 */
export async function peekSeat(licenseKey: string, fingerprint: string, kid?: string): Promise<Seat & { signingKey: SigningKeyRecord | undefined }> {
  const firestore = await db();
  if (!isDocumentId(licenseKey) || !isDocumentId(fingerprint)) return { license: undefined, activation: undefined, activity: undefined, signingKey: undefined };
  const keyRef = kid !== undefined && isDocumentId(kid) ? await signingKeyRef(kid) : undefined;
  let signingKey: SigningKeyRecord | undefined;
  const seat = await readSeat(
    async (...refs) => {
      const snaps = await firestore.getAll(...refs, ...(keyRef ? [keyRef as unknown as DocumentReference] : []));
      if (keyRef) signingKey = snaps.pop()?.data() as SigningKeyRecord | undefined;
      return snaps;
    },
    licenseKey,
    fingerprint,
    false,
  );
  return { ...seat, license: await countSeats(seat.license), signingKey };
}

const stale = (lastSeen: Date, now: Date): boolean => lastSeenStale(lastSeen, now, LAST_SEEN_TOUCH_INTERVAL_MS);

/** Ends a floating lease in `tx` (its seat is free again) and returns the licence after it. */
async function endLease(tx: Transaction, license: LicenseRecord, a: ActivationRecord, now: Date): Promise<LicenseRecord> {
  put(tx, await activationRef(license.licenseKey, a.fingerprint), { ...a, sessionActive: false, leaseExpiresAt: null });
  await recordLicenseEvent(tx, 'activation.removed', license, { ...activationEventData(a), reason: 'lease_lapsed' }, now);
  return { ...license, machinesUsed: Math.max(0, license.machinesUsed - 1), updatedAt: now };
}

async function storeViolations(tx: Transaction, license: LicenseRecord, violations: readonly ViolationRecord[], now: Date): Promise<void> {
  for (const v of violations) {
    await putViolation(tx, license.licenseKey, v);
    await recordLicenseEvent(tx, 'violation.flagged', license, { violationId: v.id, type: v.type, severity: v.severity, details: v.details }, now);
  }
}

export interface ActivateRequest<T> {
  licenseKey: string;
  /** The fingerprint hash. */
  fingerprint: string;
  /** Cleaned; undefined keeps what is stored. */
  hostname: string | undefined;
  /** What the app says about the machine; undefined keeps what is stored. */
  metadata: Record<string, unknown> | undefined;
  /** The caller's country, if a request header named one (domain/activation.ts). */
  country: string | undefined;
  /** The product the app names; undefined: the licence's own. */
  productId: string | undefined;
  now: Date;
  settingsOf: (productId: string) => Promise<ClientSettings>;
  /** Settles once every rate-limit count of the request is in (rejects with a refusal). */
  counted: Promise<void>;
  /**
   * Admits the request against its limits, some of which depend on the licence read (undefined:
   * no such licence), or throws the 429; awaited before anything is written.
   */
  admit: (license: LicenseRecord | undefined) => Promise<void>;
  /** Started once the seat is decided, so it runs while the commit is in flight (the token). */
  prepare: (license: LicenseRecord, activation: ActivationRecord, settings: ClientSettings) => Promise<T>;
}

export type ActivateResult<T> =
  | {
      ok: true;
      license: LicenseRecord;
      activation: ActivationRecord;
      seated: boolean;
      prepared: Promise<T>;
      /** Seated on shards while the licence had no `activatedAt` (activateSeat sets it). */
      firstOnShards?: boolean;
    }
  | { ok: false; error: SeatkeyError };

/** `prepare`'s result, handled so an attempt that does not commit leaves no unhandled rejection. */
function prepared<T>(req: ActivateRequest<T>, license: LicenseRecord, activation: ActivationRecord, settings: ClientSettings): Promise<T> {
  const p = req.prepare(license, activation, settings);
  p.catch(() => undefined);
  return p;
}

/**
 * Binds the machine to the licence in one transaction. The same machine again takes no new seat.
 * A refusal is returned rather than thrown, so what it records (the attempt, a violation)
 * commits with it.
 */
export async function activateSeat<T>(req: ActivateRequest<T>): Promise<ActivateResult<T>> {
  let settled = false;
  const counted = req.counted.then(() => void (settled = true));
  counted.catch(() => undefined);
  const grace = () => new Promise<boolean>((resolve) => setTimeout(resolve, ADMISSION_GRACE_MS, false));
  let admitted = async () => settled || (await Promise.race([counted.then(() => true), grace()]));
  let result: ActivateResult<T> | undefined;
  for (let taken = 0; !result; ) {
    try {
      result = await transaction((tx) => decideSeat(tx, req, admitted));
    } catch (e) {
      if (e instanceof NotYetAdmitted) {
        await counted;
        admitted = async () => true;
      } else if (!(e instanceof SeatTaken)) throw e;
      else if (++taken >= SEAT_TRIES) throw busy();
    }
  }
  if (result.ok && result.seated && result.firstOnShards) await markActivated(req.licenseKey, req.now);
  return result;
}

/**
 * Sets a licence's `activatedAt` once its first machine is seated, for a licence whose activations
 * count on shards and so do not write it: a write on the condition that the licence is unchanged
 * since it was read with the field unset, outside any transaction, so the activations of a burst
 * that all saw it unset neither queue on nor deadlock over the licence; all but one find it set
 * or changed and write nothing.
 */
async function markActivated(licenseKey: string, now: Date): Promise<void> {
  const ref = await licenseRef(licenseKey);
  const snap = await ref.get();
  if (!snap.exists || snap.data()?.activatedAt !== null || !snap.updateTime) return;
  await ref.update({ activatedAt: now, updatedAt: now }, { lastUpdateTime: snap.updateTime }).catch(() => undefined);
}

/** The body of the activating transaction; `counted` says whether the limits' counts are in. */
async function decideSeat<T>(tx: Transaction, req: ActivateRequest<T>, counted: () => Promise<boolean>): Promise<ActivateResult<T>> {
  const { licenseKey, fingerprint, now } = req;
  // Named products' settings load while the seat is read; otherwise the licence names it.
  const named = req.productId === undefined ? undefined : req.settingsOf(req.productId);
  const seat = await readSeat((...refs) => tx.getAll(...refs), licenseKey, fingerprint, true);
  // A licence without a seat limit has no per-licence limit (domain/limits.ts scaledLimit) whose
  // count to wait for: `admit` still waits for the per-IP counts.
  const perLicense = !seat.license || seatLimitOf(seat.license) !== null;
  if (perLicense && !(await counted())) throw new NotYetAdmitted();
  await req.admit(seat.license);
  const stored = seat.license;
  if (!stored) return { ok: false, error: notFound('Licence') };
  const refusal = refusalOf(stored, now, req.productId);
  if (refusal) return { ok: false, error: refusal };
  if (seat.activation?.blocked) return { ok: false, error: deviceBlocked() };
  const settings = await (named ?? req.settingsOf(stored.productId));
  const floating = stored.licenseType === 'floating';
  const ref = await activationRef(licenseKey, fingerprint);
  const lease = floating ? leaseUntil(now, settings.heartbeatIntervalSeconds) : null;

  // Unlimited or floating: the seats are on shards, summed outside the transaction (it must not
  // hold them, or every activation would queue on them): a count that may lag concurrent ones.
  const onShards = sharded(stored);
  const seen = onShards ? shardCounts(licenseKey) : undefined;
  const shown = seen ? seen.then(({ counts }) => withShardCounts(stored, counts)) : Promise.resolve(stored);
  shown.catch(() => undefined);
  const held = seat.activation?.sessionActive ? seat.activation : undefined;
  if (held) {
    const activation = withCountry({ ...held, hostname: req.hostname ?? held.hostname, ...metadataOf(req, held), lastSeen: now, leaseExpiresAt: lease }, req.country);
    const relabelled = activation.hostname !== held.hostname || JSON.stringify(activation.metadata) !== JSON.stringify(held.metadata);
    if (floating || relabelled || activation.lastCountry !== held.lastCountry || stale(held.lastSeen, now)) put(tx, ref, activation);
    const license = await shown;
    return { ok: true, license, activation, seated: false, prepared: prepared(req, license, activation, settings) };
  }

  // A new seat. A floating licence's free seats are dealt out over its shards: one that had room
  // is read (seatCounts.ts), and if it filled meanwhile the activation runs again. When all are
  // full, leases that lapsed are reclaimed first: that writes the licence, which folds the shards,
  // and the seat then counts on the licence document.
  let license = stored;
  const limit = seatLimitOf(license);
  let room: SeatRoom | undefined;
  if (floating && limit !== null) {
    // Counts seen before the licence's last write may predate a fold: seen again, after it.
    let counts = await seen!;
    if (seat.licenseWrittenAt === undefined || seat.licenseWrittenAt >= counts.readAt) counts = await shardCounts(licenseKey);
    const n = pickShard(stored, limit, counts);
    if (n !== undefined) {
      room = await readShard(tx, stored, limit, n);
      if (!room) throw new SeatTaken();
    } else {
      const lapsed = await lapsedLeases(tx, licenseKey, fingerprint, now);
      if (lapsed.length > 0) license = (await countSeatsIn(tx, stored))!;
      for (const a of lapsed) license = await endLease(tx, license, a, now);
    }
  }
  // On shards, the seat is added there unless the licence is written anyway (a reclaimed lease).
  const onShard = onShards && license === stored;

  const free = limit === null || room !== undefined || (!onShard && license.machinesUsed < limit);
  let error: SeatkeyError | undefined = free ? undefined : forbidden('machine_limit', machineLimitMessage(limit ?? 0));
  let activity: ActivationActivity | undefined;
  let violations: ViolationRecord[] = [];
  if (watched(license) && limit !== null) {
    activity = withAttempt(seat.activity ?? emptyActivity(), { fp: fingerprint.slice(0, 12), at: now, outcome: free ? 'seated' : 'refused' }, settings.thresholds);
    const findings = detect(activity, limit, settings.thresholds, now);
    if (findings.length > 0) ({ license, activity, violations } = flag(license, activity, findings, settings.thresholds, now));
    // A violation that suspends the licence refuses the attempt that raised it.
    const suspended = refusalOf(license, now);
    if (suspended) {
      error = suspended;
      const last = activity.attempts.at(-1);
      if (last) last.outcome = 'refused';
    }
  }

  let activation: ActivationRecord | undefined;
  if (!error) {
    activation = withCountry(
      {
        activationId: `act_${randomToken(12)}`,
        licenseKey,
        fingerprint,
        hostname: req.hostname ?? seat.activation?.hostname ?? '',
        ...metadataOf(req, seat.activation),
        firstSeen: seat.activation?.firstSeen ?? now,
        lastSeen: now,
        sessionActive: true,
        leaseExpiresAt: lease,
        countries: seat.activation?.countries ?? [],
        lastCountry: seat.activation?.lastCountry ?? '',
      },
      req.country,
    );
    if (onShard) {
      // The licence document is not written here: `activatedAt`, if unset, is set after the
      // commit (markActivated), since every activation of a burst would see it unset.
      if (room) takeSeat(tx, stored, room);
      else await addSeats(tx, stored, 1);
      const before = await shown;
      license = { ...before, machinesUsed: before.machinesUsed + 1, activatedAt: stored.activatedAt ?? now };
    } else license = { ...license, machinesUsed: license.machinesUsed + 1, activatedAt: license.activatedAt ?? now, updatedAt: now };
    put(tx, ref, activation);
    await recordLicenseEvent(tx, 'activation.created', license, { ...activationEventData(activation), machinesUsed: license.machinesUsed }, now);
  }
  await storeViolations(tx, license, violations, now);
  if (activity) put(tx, await activityRef(licenseKey), activity);
  if (license !== stored && !(onShard && activation)) await writeLicense(tx, license);
  if (!activation) return { ok: false, error: error! };
  return { ok: true, license, activation, seated: true, prepared: prepared(req, license, activation, settings), ...(onShard && stored.activatedAt === null ? { firstOnShards: true } : {}) };
}

/** The metadata an activation keeps: the request's when it sends some, else what it had. */
const metadataOf = (req: { metadata: Record<string, unknown> | undefined }, had: ActivationRecord | undefined): { metadata?: Record<string, unknown> } => {
  const metadata = req.metadata ?? had?.metadata;
  return metadata === undefined ? {} : { metadata };
};

/** The machine a deactivation names: by its fingerprint (hashed) or by its activation id. */
export type MachineRef = { fingerprint: string } | { activationId: string };

/**
 * Frees the machine's seat and forgets the machine. `admit` judges the request's limits against
 * the licence read (undefined: none) before anything is decided or written. A freed seat is a
 * transfer (domain/transfers.ts): past the licence's `maxTransfers` the call is refused with 429
 * `transfer_limit` and nothing changes. A blocked device's record is not the app's to drop.
 * The event names the `actor` when someone other than the app asked (the portal's buyer).
 */
export function releaseSeat(
  licenseKey: string,
  machine: MachineRef,
  now: Date,
  admit: (license: LicenseRecord | undefined) => Promise<void>,
  /** Who asked, for the event; absent: the app itself. */
  actor?: { kind: 'buyer'; email: string },
): Promise<LicenseRecord> {
  return transaction(async (tx) => {
    let license: LicenseRecord | undefined;
    let activation: ActivationRecord | undefined;
    if ('fingerprint' in machine) ({ license, activation } = await readSeat((...refs) => tx.getAll(...refs), licenseKey, machine.fingerprint, false));
    else if (isDocumentId(licenseKey)) {
      const [l, found] = await Promise.all([tx.get(await licenseRef(licenseKey)), findActivation(tx, licenseKey, machine.activationId)]);
      license = await checked(l.data());
      activation = found?.data();
    }
    // Shards, if any, are read and held: the licence written below folds them (seatCounts.ts).
    license = await countSeatsIn(tx, license);
    await admit(license);
    if (!license) throw notFound('Licence');
    if (!activation) throw forbidden('not_activated', 'This machine is not activated on this licence');
    if (activation.blocked) throw deviceBlocked();
    let next = license;
    if (activation.sessionActive) next = { ...withTransfer(license, now), machinesUsed: Math.max(0, license.machinesUsed - 1), updatedAt: now };
    tx.delete(await activationRef(licenseKey, activation.fingerprint));
    await recordLicenseEvent(tx, 'activation.removed', next, { ...activationEventData(activation), reason: 'deactivated', ...(actor ? { actor } : {}) }, now);
    if (next !== license) await writeLicense(tx, next);
    return next;
  });
}

/**
 * A heartbeat: renews a floating lease (a lapsed one too, while no one has reclaimed its seat);
 * for other licences records `lastSeen`, written at most once per touch interval.
 *
 * A renewal is counted on the lease itself (domain/limits.ts) and nowhere else, so the seats of a
 * floating licence behind one office NAT never compete with each other or with the per-IP limit.
 * Every other heartbeat, refused ones included, first waits for `perIp` (the client-IP limit),
 * which throws the 429 when that is used up.
 */
export function beat(
  licenseKey: string,
  fingerprint: string,
  country: string | undefined,
  now: Date,
  settingsOf: (productId: string) => Promise<ClientSettings>,
  perIp: () => Promise<void>,
) {
  return transaction(async (tx) => {
    const { license, activation } = await readSeat((...refs) => tx.getAll(...refs), licenseKey, fingerprint, false);
    const refusal = license && refusalOf(license, now);
    const renewing = license?.licenseType === 'floating' && activation?.sessionActive === true && !refusal;
    if (!renewing) await perIp();
    if (!license) throw notFound('Licence');
    if (refusal) throw refusal;
    if (activation?.blocked) throw deviceBlocked();
    if (!activation?.sessionActive) throw forbidden('not_activated', 'This machine holds no seat on this licence; activate it again');
    const s = await settingsOf(license.productId);
    if (!renewing) {
      const next = withCountry({ ...activation, lastSeen: now, leaseExpiresAt: null }, country);
      if (next.lastCountry !== activation.lastCountry || stale(activation.lastSeen, now)) put(tx, await activationRef(licenseKey, fingerprint), next);
      return { license, activation: next, settings: s, renewal: undefined };
    }
    const { renewals, result } = renewLease(activation.renewals, now.getTime(), s.heartbeatIntervalSeconds, LEASE_RENEWALS);
    if (!result.allowed) throw rateLimited(result, LEASE_RENEWALS.windowSeconds, now.getTime(), 'leaseRenewals');
    const next = withCountry({ ...activation, lastSeen: now, leaseExpiresAt: leaseUntil(now, s.heartbeatIntervalSeconds), renewals }, country);
    put(tx, await activationRef(licenseKey, fingerprint), next);
    return { license, activation: next, settings: s, renewal: result };
  });
}

/**
 * Ends the named leases of one licence if they are still lapsed; returns how many it ended.
 * Only a floating licence's leases end: a licence that has since become per-machine or site keeps
 * its machines' seats, and the lease they no longer need is cleared so no sweep finds it again.
 */
export function endLapsedLeases(licenseKey: string, fingerprints: readonly string[], now: Date): Promise<number> {
  return transaction(async (tx) => {
    const refs = [await licenseRef(licenseKey), ...(await Promise.all(fingerprints.map((fp) => activationRef(licenseKey, fp))))];
    const [l, ...rest] = await tx.getAll(...(refs as unknown as DocumentReference[]));
    const stored = await checked(l?.data() as LicenseRecord | undefined);
    if (!stored) return 0;
    const lapsed = rest.map((s) => s.data() as ActivationRecord | undefined).filter(lapsedBy(now));
    if (stored.licenseType !== 'floating') {
      for (const a of lapsed) put(tx, await activationRef(licenseKey, a.fingerprint), { ...a, leaseExpiresAt: null });
      return 0;
    }
    let license = (await countSeatsIn(tx, stored))!;
    for (const a of lapsed) license = await endLease(tx, license, a, now);
    if (lapsed.length > 0) await writeLicense(tx, license);
    return lapsed.length;
  });
}

/**
 * Records that a machine was seen (validate, verify with a machine) when its `lastSeen` is older
 * than the touch interval: one precondition update outside any transaction, so a machine
 * deactivated meanwhile is not brought back (its update simply finds no document).
 */
export async function touchLastSeen(activation: ActivationRecord, now: Date): Promise<void> {
  if (!stale(activation.lastSeen, now)) return;
  await (await activationRef(activation.licenseKey, activation.fingerprint)).update({ lastSeen: now }).catch(() => undefined);
}

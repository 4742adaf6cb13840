// A floating licence's seats (issue 16): its free seats are dealt out over shard documents as
// capacities (store/seatCounts.ts), so a crowd of machines taking them does not queue on the
// licence document, and the capacities add up to the limit, so no crowd can take a seat too many.
// These tests check through HTTP what the machines and an admin see after such a crowd, that each
// shard stays within its share, and that a deactivation, a reclaimed lease and a new limit fold
// the shards back into one exact count that the limit then holds against.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { shardCapacity } from '../functions/src/store/seatCounts.ts';
import { activationsOf, client, countsSeen, dropped, lapse, machine, newLicense, seatShards, seatsHeld, total } from './clientHelpers.ts';
import { asCreator, isErrorShape, type Reply } from './helpers.ts';

/** Each call from an IP of its own: these tests are not about the per-IP limit. */
const app = (name: string, body: unknown) => client()(name, body);

const refusedFor = (r: Reply, code: string): boolean => r.status >= 400 && isErrorShape(r.body, code);

/**
 * Activates every machine at once; 503 `busy` (Seatkey shedding load, nothing written) and a call
 * the emulator dropped are retried one by one afterwards. Every final answer is a seat, the seat
 * limit or the licence's activation limit (retries count against it too).
 */
async function crowd(licenseKey: string, productId: string, fingerprints: string[]) {
  const once = (i: number) => app('activate', { licenseKey, machineFingerprint: fingerprints[i], productId });
  const replies = await Promise.all(fingerprints.map((_, i) => once(i)));
  for (let i = 0; i < replies.length; i++) while (refusedFor(replies[i]!, 'busy') || dropped(replies[i]!)) replies[i] = await once(i);
  for (const r of replies) assert.ok(r.status === 200 || refusedFor(r, 'machine_limit') || refusedFor(r, 'rate_limited'), `${r.status} ${r.text}`);
  const count = (p: (r: Reply) => boolean) => replies.filter(p).length;
  return { replies, seated: count((r) => r.status === 200), full: count((r) => refusedFor(r, 'machine_limit')), limited: count((r) => refusedFor(r, 'rate_limited')) };
}

/** Asserts every shard holds no more than its share of `limit` over the licence document's own count. */
function withinShares(s: Awaited<ReturnType<typeof seatShards>>, limit: number): void {
  for (const [id, count] of Object.entries(s.byShard)) assert.ok(count <= shardCapacity(limit, s.machinesUsed, Number(id)), `shard ${id} holds ${count} of ${limit} over ${s.machinesUsed}`);
}

describe('a floating licence taken by a crowd', () => {
  it('seats exactly its limit, counted on shards within their shares, without writing the licence; a freed seat is taken once', async () => {
    const seats = 16;
    const { creator, productId, licenseKey } = await newLicense({ licenseType: 'floating', maxConcurrent: seats });
    // 22 machines against the licence's activation limit of 32 an hour (twice its seats): room
    // for ten retries of calls shed as busy before the limit could refuse anyone.
    const fingerprints = Array.from({ length: 22 }, () => machine());
    const { replies, seated, full, limited } = await crowd(licenseKey, productId, fingerprints);
    assert.ok(seated <= seats, `${seated} seated on ${seats} seats`);
    assert.equal(seated, seats, `every seat taken (${full} refused for the seat limit, ${limited} for the activation limit)`);
    assert.equal(full, fingerprints.length - seats);
    const s = await seatShards(licenseKey);
    assert.equal(s.machinesUsed, 0, 'the licence document does not count them');
    assert.equal(total(s.shards), seats);
    assert.ok(s.shards.length > 1, 'spread over more than one shard');
    withinShares(s, seats);
    for (const r of replies.filter((x) => x.status === 200)) assert.ok(r.body.machinesUsed >= 1 && r.body.machinesUsed <= seats, String(r.body.machinesUsed));
    const holder = fingerprints[replies.findIndex((r) => r.status === 200)]!;
    assert.deepEqual(await countsSeen(licenseKey, creator.apiKey, holder), { admin: seats, license: seats, validate: seats, verify: seats });
    assert.equal(await seatsHeld(licenseKey), seats);
    assert.ok((await asCreator(creator.apiKey, 'getLicense', { licenseKey })).body.license.activatedAt, 'the first activation set activatedAt');

    // A full licence refuses a newcomer, and a holder activating again keeps its seat.
    const newcomer = await app('activate', { licenseKey, machineFingerprint: machine(), productId });
    assert.ok(refusedFor(newcomer, 'machine_limit'), newcomer.text);
    assert.equal(newcomer.body.error, `Machine limit reached (${seats}). Deactivate another machine first.`);
    const again = await app('activate', { licenseKey, machineFingerprint: holder, productId });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.machinesUsed, seats);

    // A deactivation folds the shards into the licence document; the freed seat is taken once.
    const off = await app('deactivate', { licenseKey, machineFingerprint: holder });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.machinesUsed, seats - 1);
    assert.deepEqual(await seatShards(licenseKey).then((x) => ({ base: x.machinesUsed, shards: x.shards })), { base: seats - 1, shards: [] });
    const two = await crowd(licenseKey, productId, [machine(), machine()]);
    assert.deepEqual({ seated: two.seated, full: two.full }, { seated: 1, full: 1 });
    const after = await seatShards(licenseKey);
    assert.deepEqual({ base: after.machinesUsed, onShards: total(after.shards) }, { base: seats - 1, onShards: 1 });
    withinShares(after, seats);
    assert.equal(await seatsHeld(licenseKey), seats);
  });

  it("reclaims a lapsed lease when every shard is full, folding the shards; the other leases renew", async () => {
    const { productId, licenseKey } = await newLicense({ licenseType: 'floating', maxConcurrent: 3 });
    const holders = [machine(), machine(), machine()];
    for (const fp of holders) assert.equal((await app('activate', { licenseKey, machineFingerprint: fp, productId })).status, 200);
    assert.equal(total((await seatShards(licenseKey)).shards), 3);
    await lapse(licenseKey, holders[0]!);
    const next = await app('activate', { licenseKey, machineFingerprint: machine(), productId });
    assert.equal(next.status, 200, next.text);
    assert.equal(next.body.machinesUsed, 3);
    assert.deepEqual(await seatShards(licenseKey).then((x) => ({ base: x.machinesUsed, shards: x.shards })), { base: 3, shards: [] });
    const ended = (await activationsOf(licenseKey)).filter((a) => !a.sessionActive);
    assert.equal(ended.length, 1);
    for (const fp of holders.slice(1)) assert.equal((await app('heartbeat', { licenseKey, machineFingerprint: fp })).status, 200);
    assert.ok(refusedFor(await app('heartbeat', { licenseKey, machineFingerprint: holders[0] }), 'not_activated'));
    assert.ok(refusedFor(await app('activate', { licenseKey, machineFingerprint: machine(), productId }), 'machine_limit'));
    assert.equal(await seatsHeld(licenseKey), 3);
  });

  it('a new limit folds the shards: raised, a crowd takes only the new seats; lowered below the seats held, no one new is seated', async () => {
    const { creator, productId, licenseKey } = await newLicense({ licenseType: 'floating', maxConcurrent: 4 });
    const first = await crowd(licenseKey, productId, Array.from({ length: 4 }, () => machine()));
    assert.equal(first.seated, 4);
    const raised = await asCreator(creator.apiKey, 'updateLicense', { licenseKey, maxConcurrent: 6 });
    assert.equal(raised.status, 200, raised.text);
    assert.equal(raised.body.license.machinesUsed, 4);
    assert.deepEqual(await seatShards(licenseKey).then((x) => ({ base: x.machinesUsed, shards: x.shards })), { base: 4, shards: [] });
    // Five newcomers at once for the two new seats (15 activations an hour: no rate limit here).
    const more = await crowd(licenseKey, productId, Array.from({ length: 5 }, () => machine()));
    assert.deepEqual({ seated: more.seated, full: more.full }, { seated: 2, full: 3 });
    const s = await seatShards(licenseKey);
    assert.deepEqual({ base: s.machinesUsed, onShards: total(s.shards) }, { base: 4, onShards: 2 });
    withinShares(s, 6);
    const lowered = await asCreator(creator.apiKey, 'updateLicense', { licenseKey, maxConcurrent: 5 });
    assert.equal(lowered.status, 200, lowered.text);
    assert.equal(lowered.body.license.machinesUsed, 6, 'the machines keep their seats');
    assert.ok(refusedFor(await app('activate', { licenseKey, machineFingerprint: machine(), productId }), 'machine_limit'));
    assert.equal((await asCreator(creator.apiKey, 'getLicense', { licenseKey })).body.machinesUsed, 6);
    assert.equal(await seatsHeld(licenseKey), 6);
  });
});

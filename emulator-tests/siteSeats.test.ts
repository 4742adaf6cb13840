// A site licence's seats (issue 16): a licence without a seat limit counts its machines on shard
// documents (store/seatCounts.ts), so a burst of activations does not queue on the licence
// document. These tests check what a client and an admin see through HTTP after such a burst
// (every reader sums the shards, and the count equals the active activations), that the
// licence document itself is not written per activation, and that deactivation, reset and a
// change to a seat limit fold the shards back so the limit holds exactly.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { activationsOf, client, countsSeen, dropped, eventsOf, machine, newLicense, seatShards as stored, seatsHeld, total } from './clientHelpers.ts';
import { asCreator, BASE_URL, isErrorShape, randomIp, send, type Reply } from './helpers.ts';

/** Each call from an IP of its own: these tests are not about the per-IP limit. */
const app = (name: string, body: unknown) => client()(name, body);

/**
 * Activates `n` machines at once. 503 `busy` (Seatkey shedding load) and a call the emulator
 * dropped are retried one by one afterwards: activating a machine again takes no second seat.
 */
async function burst(licenseKey: string, n: number): Promise<{ fingerprints: string[]; first: Reply[]; replies: Reply[] }> {
  const fingerprints = Array.from({ length: n }, () => machine());
  const raw = (i: number) => send(new URL(`${BASE_URL}/activate`), { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() }, body: JSON.stringify({ licenseKey, machineFingerprint: fingerprints[i] }) });
  const before = await seatsHeld(licenseKey);
  const first = await Promise.all(fingerprints.map((_, i) => raw(i)));
  for (const r of first) assert.ok(r.status === 200 || (r.status === 503 && isErrorShape(r.body, 'busy')) || dropped(r), `${r.status} ${r.text}`);
  // A 503 wrote nothing: the 200s took a seat, and at most the dropped calls besides.
  const ok = first.filter((r) => r.status === 200).length;
  const held = (await seatsHeld(licenseKey)) - before;
  assert.ok(held >= ok && held <= ok + first.filter(dropped).length, `${held} seats for ${ok} activations`);
  const replies = [...first];
  for (let i = 0; i < n; i++) while (replies[i]!.status === 503 || dropped(replies[i]!)) replies[i] = await raw(i);
  for (const r of replies) assert.equal(r.status, 200, r.text);
  return { fingerprints, first, replies };
}

describe('a site licence rolled out at once', () => {
  it('seats every machine of a burst, counts them on shards without writing the licence, and every reader sums them', async () => {
    const { creator, productId, licenseKey } = await newLicense({ licenseType: 'site' });
    // A fresh licence: every activation of the burst sees no `activatedAt` yet.
    const n = 40;
    const { fingerprints, replies } = await burst(licenseKey, n);
    assert.equal(new Set(replies.map((r) => r.body.activationId)).size, n);
    // Each reply's count is at least its own seat and at most every seat.
    for (const r of replies) assert.ok(r.body.machinesUsed >= 1 && r.body.machinesUsed <= n, String(r.body.machinesUsed));
    const afterBurst = await stored(licenseKey);
    assert.equal(afterBurst.machinesUsed, 0, 'the licence document does not count them');
    assert.equal(total(afterBurst.shards), n);
    assert.ok(afterBurst.shards.length > 1, 'spread over more than one shard');
    const facts = await asCreator(creator.apiKey, 'getLicense', { licenseKey, facts: true });
    assert.equal(facts.body.facts.status, 'ACTIVATED');
    assert.ok(facts.body.license.activatedAt, 'the first activation set activatedAt');

    // More machines later: the licence document is not written at all (same updatedAt).
    await burst(licenseKey, 5);
    const now = await stored(licenseKey);
    assert.deepEqual({ base: now.machinesUsed, updatedAt: now.updatedAt }, { base: 0, updatedAt: afterBurst.updatedAt });
    assert.equal(total(now.shards), n + 5);

    // The invariant: machinesUsed equals the active activations, wherever it is read.
    assert.equal(await seatsHeld(licenseKey), n + 5);
    assert.deepEqual(await countsSeen(licenseKey, creator.apiKey, fingerprints[0]!), { admin: n + 5, license: n + 5, validate: n + 5, verify: n + 5 });

    // Listings, the portal's counterpart (listLicenses) and the stats add the shards too.
    const list = await asCreator(creator.apiKey, 'listLicenses', { productId });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.licenses.find((l: { licenseKey: string }) => l.licenseKey === licenseKey)?.machinesUsed, n + 5);
    const day = new Date().toISOString().slice(0, 10);
    const stats = await asCreator(creator.apiKey, 'getStats', { from: day, to: day, productId });
    assert.equal(stats.status, 200, stats.text);
    assert.equal(stats.body.totals.activeMachines, n + 5);

    // Each activation.created event carries a count between 1 and the total (it may lag).
    const created = (await eventsOf(licenseKey)).filter((e) => e.type === 'activation.created');
    assert.equal(created.length, n + 5);
    for (const e of created) assert.ok((e.data.machinesUsed as number) >= 1 && (e.data.machinesUsed as number) <= n + 5);
  });

  it('deactivation after a burst folds the shards into the licence and keeps the count exact', async () => {
    const { creator, licenseKey } = await newLicense({ licenseType: 'site' });
    const { fingerprints } = await burst(licenseKey, 20);
    const off = await app('deactivate', { licenseKey, machineFingerprint: fingerprints[0] });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.machinesUsed, 19);
    assert.equal(off.body.maxMachines, -1);
    const folded = await stored(licenseKey);
    assert.deepEqual(folded.shards, []);
    assert.equal(folded.machinesUsed, 19);
    // Activations after the fold count on shards again, on top of the folded count.
    await burst(licenseKey, 5);
    assert.deepEqual(await countsSeen(licenseKey, creator.apiKey, fingerprints[1]!), { admin: 24, license: 24, validate: 24, verify: 24 });
    assert.equal(await seatsHeld(licenseKey), 24);
    // removeActivation and resetActivations (admin) count the shards too.
    const [one] = await activationsOf(licenseKey);
    const removed = await asCreator(creator.apiKey, 'removeActivation', { licenseKey, activationId: one!.activationId });
    assert.equal(removed.status, 200, removed.text);
    assert.equal(removed.body.machinesUsed, 23);
    await burst(licenseKey, 3);
    const reset = await asCreator(creator.apiKey, 'resetActivations', { licenseKey });
    assert.equal(reset.status, 200, reset.text);
    const after = await stored(licenseKey);
    assert.deepEqual({ base: after.machinesUsed, shards: after.shards }, { base: 0, shards: [] });
    assert.equal((await asCreator(creator.apiKey, 'getLicense', { licenseKey })).body.machinesUsed, 0);
  });
});

describe('a site licence given a seat limit', () => {
  it('below its machines: they keep their seats, no new one is taken until enough are freed', async () => {
    const { creator, licenseKey } = await newLicense({ licenseType: 'site' });
    const { fingerprints } = await burst(licenseKey, 12);
    const r = await asCreator(creator.apiKey, 'updateLicense', { licenseKey, licenseType: 'per-machine', maxMachines: 10 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.license.machinesUsed, 12);
    const folded = await stored(licenseKey);
    assert.deepEqual({ base: folded.machinesUsed, shards: folded.shards }, { base: 12, shards: [] });
    const refused = await app('activate', { licenseKey, machineFingerprint: machine() });
    assert.equal(refused.status, 403, refused.text);
    assert.ok(isErrorShape(refused.body, 'machine_limit'));
    // A machine already seated keeps its seat.
    const again = await app('activate', { licenseKey, machineFingerprint: fingerprints[0] });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.machinesUsed, 12);
    for (const fp of fingerprints.slice(0, 3)) assert.equal((await app('deactivate', { licenseKey, machineFingerprint: fp })).status, 200);
    const seated = await app('activate', { licenseKey, machineFingerprint: machine() });
    assert.equal(seated.status, 200, seated.text);
    assert.equal(seated.body.machinesUsed, 10);
    const full = await app('activate', { licenseKey, machineFingerprint: machine() });
    assert.equal(full.status, 403);
    assert.ok(isErrorShape(full.body, 'machine_limit'));
    assert.equal(await seatsHeld(licenseKey), 10);
  });

  it('above its machines: a burst past the new limit seats no more than it', async () => {
    const { creator, licenseKey } = await newLicense({ licenseType: 'site' });
    await burst(licenseKey, 6);
    const r = await asCreator(creator.apiKey, 'updateLicense', { licenseKey, licenseType: 'per-machine', maxMachines: 9 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.license.machinesUsed, 6);
    const fps = Array.from({ length: 8 }, () => machine());
    const once = (i: number) => app('activate', { licenseKey, machineFingerprint: fps[i] });
    const replies = await Promise.all(fps.map((_, i) => once(i)));
    for (let i = 0; i < replies.length; i++) while (replies[i]!.status === 503) replies[i] = await once(i);
    // Refusals are the seat limit, or (a limited licence's activations being counted per key,
    // retries included) the per-licence rate limit; never a seat too many.
    const ok = replies.filter((x) => x.status === 200).length;
    const limited = replies.filter((x) => x.status === 429 && isErrorShape(x.body, 'rate_limited')).length;
    assert.ok(replies.every((x) => x.status === 200 || (x.status === 403 && isErrorShape(x.body, 'machine_limit')) || (x.status === 429 && isErrorShape(x.body, 'rate_limited'))));
    const held = await seatsHeld(licenseKey);
    assert.equal(held, 6 + ok);
    if (limited === 0) assert.equal(held, 9);
    else assert.ok(held <= 9);
    assert.equal((await asCreator(creator.apiKey, 'getLicense', { licenseKey })).body.machinesUsed, held);
    assert.deepEqual((await stored(licenseKey)).shards, [], 'a licence with a limit counts on its own document');
  });

  it('a per-machine licence made site starts counting on shards on top of its own count', async () => {
    const { creator, licenseKey } = await newLicense({ maxMachines: 5 });
    await burst(licenseKey, 3);
    const r = await asCreator(creator.apiKey, 'updateLicense', { licenseKey, licenseType: 'site' });
    assert.equal(r.status, 200, r.text);
    await burst(licenseKey, 10);
    const s = await stored(licenseKey);
    assert.equal(s.machinesUsed, 3);
    assert.equal(total(s.shards), 10);
    assert.equal((await asCreator(creator.apiKey, 'getLicense', { licenseKey })).body.machinesUsed, 13);
    assert.equal(await seatsHeld(licenseKey), 13);
  });
});

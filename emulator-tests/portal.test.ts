// The buyer portal through HTTP (docs/portal.md): the creator's switch, sign-in links (the same
// reply whatever the address, limited per address and per IP), and two buyers with ID tokens from
// email-link sign-ins: each sees only their own address's licences of products with the portal
// on, never a revoked or test one, frees seats within the transfer limit (recorded as the buyer's),
// has their key emailed again, and reaches no admin endpoint.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, privateWindow, assertRateLimited, randomIp, uid, type CreatorFixture } from './helpers.ts';
import { asPerson, newPerson, verifyEmail } from './accountHelpers.ts';
import { client, eventsOf, machine } from './clientHelpers.ts';
import { asBuyer, completeLink, requestLink, signInBuyer, signInLinksFor } from './portalHelpers.ts';
import { db } from '../functions/src/store/firestore.ts';
import { maskLicenseKey } from '../functions/src/domain/licenseKey.ts';

const buyerEmail = (who: string) => `${uid(who)}@buyers.example.com`;

async function license(creator: CreatorFixture | string, productId: string, email: string, fields: Record<string, unknown> = {}): Promise<string> {
  const key = typeof creator === 'string' ? creator : creator.apiKey;
  const r = await asCreator(key, 'createLicense', { email, productId, ...fields });
  assert.equal(r.status, 200, r.text);
  return r.body.licenseKey;
}

/** The portal's name for a licence of the buyer's: listed, then each candidate shown until the key matches. */
async function refOf(token: string, licenseKey: string): Promise<string> {
  const listed = await asBuyer(token, 'portalListLicenses');
  assert.equal(listed.status, 200, listed.text);
  // Only the licences whose masked key matches are shown, to spare the buyer's rate limit.
  for (const l of listed.body.licenses.filter((x: any) => x.keyMasked === maskLicenseKey(licenseKey))) {
    const shown = await asBuyer(token, 'portalListLicenses', { licenseRef: l.licenseRef });
    if (shown.body.licenses[0].licenseKey === licenseKey) return l.licenseRef;
  }
  throw new Error(`${licenseKey} is not in the buyer's portal`);
}

async function mailTo(email: string): Promise<Record<string, any>[]> {
  const snap = await (await db()).collection('mail').where('to', 'array-contains', email).get();
  return snap.docs.map((d) => d.data());
}

describe('the creator turns the portal on per product', () => {
  it('is off by default, and updateProduct sets it with a support address (a bad address is 400)', async () => {
    const creator = await newCreator('portal-settings');
    const productId = await newProduct(creator);
    const made = await asCreator(creator.apiKey, 'listProducts', {});
    const product = made.body.products.find((p: any) => p.productId === productId);
    assert.deepEqual({ on: product.portalEnabled, support: product.supportEmail }, { on: false, support: null });

    const on = await asCreator(creator.apiKey, 'updateProduct', { productId, portalEnabled: true, supportEmail: 'Help@Studio.example' });
    assert.equal(on.status, 200, on.text);
    assert.deepEqual({ on: on.body.product.portalEnabled, support: on.body.product.supportEmail }, { on: true, support: 'help@studio.example' });

    const bad = await asCreator(creator.apiKey, 'updateProduct', { productId, supportEmail: 'not an address' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /supportEmail/);
  });
});

describe('the buyer portal', () => {
  const alice = buyerEmail('alice');
  const bob = buyerEmail('bob');
  let creator: CreatorFixture;
  let other: CreatorFixture;
  let portalProduct: string;
  let otherPortalProduct: string;
  let closedProduct: string;
  let aliceKey: string;
  let aliceOtherKey: string;
  let bobKey: string;
  let aliceToken: string;
  let bobToken: string;

  before(async () => {
    [creator, other] = await Promise.all([newCreator('portal-a'), newCreator('portal-b')]);
    [portalProduct, otherPortalProduct, closedProduct] = await Promise.all([
      newProduct(creator, { portalEnabled: true, supportEmail: 'help@portal-a.example', maxMachines: 2 }),
      newProduct(other, { portalEnabled: true }),
      newProduct(creator),
    ]);
    [aliceKey, aliceOtherKey, bobKey] = await Promise.all([
      license(creator, portalProduct, alice, { maxMachines: 2, maxTransfers: 1, metadata: { seats: 'team' } }),
      license(other, otherPortalProduct, alice.toUpperCase()),
      license(creator, portalProduct, bob),
      license(creator, closedProduct, alice),
    ]);
    [aliceToken, bobToken] = await Promise.all([signInBuyer(alice), signInBuyer(bob)]);
  });

  it('answers a link request the same whether or not the address has licences, and makes a link only for one that has', async () => {
    const stranger = buyerEmail('stranger');
    const [known, unknown] = await Promise.all([requestLink(alice), requestLink(stranger)]);
    assert.equal(known.status, 200, known.text);
    assert.equal(unknown.status, 200, unknown.text);
    assert.deepEqual(known.body, unknown.body);
    assert.deepEqual(await signInLinksFor(stranger), []);
    assert.deepEqual(await mailTo(stranger), []);

    // The link goes out through the outbox, leads to the portal, and is no creator's mail.
    // The one just asked for (the Auth emulator forgets a link once it is used, as the first was).
    const links = await signInLinksFor(alice);
    assert.equal(links.length, 1);
    assert.match(links[links.length - 1]!.oobLink, /continueUrl=http%3A%2F%2F127\.0\.0\.1%3A5002%2Fportal/);
    const sent = (await mailTo(alice)).filter((m) => m.kind === 'portal-link');
    assert.ok(sent.length >= 2);
    assert.ok(sent.every((m) => m.creatorId === undefined && m.message.text.includes('oobCode=')));
    const outbox = await asCreator(creator.apiKey, 'listOutbox', {});
    assert.equal(outbox.status, 200, outbox.text);
    assert.ok(outbox.body.emails.every((m: any) => !m.text.includes('oobCode=')));
    const everything = await asAdmin('listOutbox', { limit: 200 });
    assert.ok(everything.body.emails.every((m: any) => !m.text.includes('oobCode=')));

    const bad = await call('portalRequestLink', { email: 'nope' });
    assert.equal(bad.status, 400);
    assert.ok(isErrorShape(bad.body, 'invalid_request'));
  });

  it('lists every licence sold to the address across creators with the portal on, masked, and the key on request', async () => {
    const r = await asBuyer(aliceToken, 'portalListLicenses');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.email, alice);
    const products = r.body.licenses.map((l: any) => l.product.productId).sort();
    assert.deepEqual(products, [portalProduct, otherPortalProduct].sort(), 'the product with the portal off is not listed');
    assert.ok(r.body.licenses.every((l: any) => l.licenseKey === undefined && l.keyMasked.length > 0 && !l.keyMasked.includes(aliceKey.slice(-7))), r.text);
    const mine = r.body.licenses.find((l: any) => l.product.productId === portalProduct);
    assert.deepEqual(
      { name: mine.product.name, support: mine.product.supportEmail, used: mine.machinesUsed, max: mine.maxMachines, status: mine.status, meta: mine.metadata, transfers: mine.maxTransfers },
      { name: `Product ${portalProduct}`, support: 'help@portal-a.example', used: 0, max: 2, status: 'active', meta: { seats: 'team' }, transfers: 1 },
    );

    const shown = await asBuyer(aliceToken, 'portalListLicenses', { licenseRef: mine.licenseRef });
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.body.licenses.length, 1);
    assert.equal(shown.body.licenses[0].licenseKey, aliceKey);
    const got = await asBuyer(aliceToken, 'portalListLicenses', {}, { method: 'GET', query: { licenseRef: mine.licenseRef } });
    assert.equal(got.body.licenses[0].licenseKey, aliceKey);
    assert.ok(!r.text.includes(aliceKey) && !r.text.includes(aliceOtherKey));
  });

  it('never shows or acts on another address\'s licences: 404 for every ref of theirs', async () => {
    const bobs = await asBuyer(bobToken, 'portalListLicenses');
    assert.equal(bobs.status, 200, bobs.text);
    assert.equal(bobs.body.licenses.length, 1);
    assert.equal(await refOf(bobToken, bobKey), bobs.body.licenses[0].licenseRef);
    assert.ok(!bobs.text.includes(aliceKey));
    const aliceRef = await refOf(aliceToken, aliceKey);
    const activated = await client()('activate', { licenseKey: aliceKey, machineFingerprint: machine(), hostname: 'alice-laptop' });
    assert.equal(activated.status, 200, activated.text);
    for (const [name, body] of [
      ['portalListLicenses', { licenseRef: aliceRef }],
      ['portalDeactivate', { licenseRef: aliceRef, activationId: activated.body.activationId }],
      ['portalResendKey', { licenseRef: aliceRef }],
    ] as const) {
      const r = await asBuyer(bobToken, name, body);
      assert.equal(r.status, 404, `${name}: ${r.text}`);
      assert.ok(isErrorShape(r.body, 'not_found'));
      assert.ok(!r.text.includes(aliceKey));
    }
    const still = await asBuyer(aliceToken, 'portalListLicenses', { licenseRef: aliceRef });
    assert.equal(still.body.licenses[0].machinesUsed, 1, 'nothing was freed');
    const deactivate = await asBuyer(aliceToken, 'portalDeactivate', { licenseRef: aliceRef, activationId: activated.body.activationId });
    assert.equal(deactivate.status, 200, deactivate.text);
  });

  it('deactivates a machine through the core: the seat frees, the event names the buyer, the transfer limit holds', async () => {
    const key = await license(creator, portalProduct, alice, { maxMachines: 2, maxTransfers: 1 });
    const app = client();
    const [old, second] = [machine(), machine()];
    const a = await app('activate', { licenseKey: key, machineFingerprint: old, hostname: 'old-desktop', metadata: { os: 'windows' } });
    const b = await app('activate', { licenseKey: key, machineFingerprint: second, hostname: 'laptop' });
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.equal((await app('activate', { licenseKey: key, machineFingerprint: machine() })).status, 403, 'the limit is reached');

    const ref = await refOf(aliceToken, key);
    const card = (await asBuyer(aliceToken, 'portalListLicenses', { licenseRef: ref })).body.licenses[0];
    assert.equal(card.machinesUsed, 2);
    const oldOne = card.activations.find((x: any) => x.label === 'old-desktop');
    assert.deepEqual({ metadata: oldOne.metadata, seen: typeof oldOne.lastSeen }, { metadata: { os: 'windows' }, seen: 'string' });

    const freed = await asBuyer(aliceToken, 'portalDeactivate', { licenseRef: card.licenseRef, activationId: oldOne.activationId });
    assert.equal(freed.status, 200, freed.text);
    assert.deepEqual(freed.body, { success: true, machinesUsed: 1, maxMachines: 2 });
    const removed = (await eventsOf(key)).filter((e) => e.type === 'activation.removed');
    assert.equal(removed.length, 1);
    assert.deepEqual(removed[0]!.data.actor, { kind: 'buyer', email: alice });
    assert.equal(removed[0]!.data.reason, 'deactivated');

    // A new machine takes the freed seat; the second transfer in 30 days is past maxTransfers.
    assert.equal((await app('activate', { licenseKey: key, machineFingerprint: machine() })).status, 200);
    const again = await asBuyer(aliceToken, 'portalDeactivate', { licenseRef: card.licenseRef, activationId: b.body.activationId });
    assert.equal(again.status, 429, again.text);
    assert.ok(isErrorShape(again.body, 'transfer_limit'));
    assert.ok(Number(again.headers.get('retry-after')) > 0);
    assert.equal((await asBuyer(aliceToken, 'portalListLicenses', { licenseRef: card.licenseRef })).body.licenses[0].machinesUsed, 2, 'nothing changed');

    const unknown = await asBuyer(aliceToken, 'portalDeactivate', { licenseRef: card.licenseRef, activationId: 'act_nothere' });
    assert.equal(unknown.status, 403, unknown.text);
    assert.ok(isErrorShape(unknown.body, 'not_activated'));
  });

  it('holds under concurrency: one machine is freed once, and of two machines on a 1-transfer licence exactly one', async () => {
    const app = client();
    const seated = async (fields: Record<string, unknown>, n: number) => {
      const key = await license(creator, portalProduct, alice, { maxMachines: 3, ...fields });
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const r = await app('activate', { licenseKey: key, machineFingerprint: machine(), hostname: `pc-${i}` });
        assert.equal(r.status, 200, r.text);
        ids.push(r.body.activationId);
      }
      return { ref: await refOf(aliceToken, key), ids };
    };
    const used = async (ref: string) => (await asBuyer(aliceToken, 'portalListLicenses', { licenseRef: ref })).body.licenses[0].machinesUsed;

    const one = await seated({}, 2);
    const same = await Promise.all([0, 1, 2].map(() => asBuyer(aliceToken, 'portalDeactivate', { licenseRef: one.ref, activationId: one.ids[0] })));
    assert.deepEqual(same.map((r) => r.status).sort(), [200, 403, 403], same.map((r) => r.text).join('\n'));
    assert.equal(await used(one.ref), 1);

    const limited = await seated({ maxTransfers: 1 }, 2);
    const both = await Promise.all(limited.ids.map((activationId) => asBuyer(aliceToken, 'portalDeactivate', { licenseRef: limited.ref, activationId })));
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 429], both.map((r) => r.text).join('\n'));
    assert.equal(await used(limited.ref), 1);
  });

  it('emails the key again to the address it was sold to, a few times an hour', async () => {
    const key = await license(creator, portalProduct, bob);
    const ref = await refOf(bobToken, key);
    const window = privateWindow(3600);
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await asBuyer(bobToken, 'portalResendKey', { licenseRef: ref }, { clock: window.clock }));
    for (const r of replies.slice(0, 3)) {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.to, bob);
    }
    assertRateLimited(replies[3]!, 3, window);
    const resent = (await mailTo(bob)).filter((m) => m.kind === 'resent');
    assert.ok(resent.length >= 3);
    assert.ok(resent.some((m) => m.licenseKey === key && m.message.text.includes(key)));
    assert.ok(resent.every((m) => m.to.length === 1 && m.to[0] === bob));
  });

  it('never lists or acts on a revoked or a test (sandbox) licence', async () => {
    const revokedKey = await license(creator, portalProduct, alice);
    const before = (await asBuyer(aliceToken, 'portalListLicenses')).body.licenses.length;
    const revoked = await asCreator(creator.apiKey, 'revokeLicense', { licenseKey: revokedKey });
    assert.equal(revoked.status, 200, revoked.text);
    const testKey = await asAdmin('createApiKey', { creatorId: creator.creatorId, name: 'test', mode: 'test' });
    assert.equal(testKey.status, 200, testKey.text);
    await license(testKey.body.apiKey, portalProduct, alice);
    const after = await asBuyer(aliceToken, 'portalListLicenses');
    assert.equal(after.body.licenses.length, before - 1, after.text);
    assert.ok(after.body.licenses.every((l: any) => l.status !== 'revoked'));
    // A ref made from the revoked key is refused like any unknown one.
    const { licenseRefOf } = await import('../functions/src/domain/portal.ts');
    for (const name of ['portalResendKey', 'portalListLicenses'] as const) {
      const r = await asBuyer(aliceToken, name, { licenseRef: licenseRefOf(revokedKey) });
      assert.equal(r.status, 404, `${name}: ${r.text}`);
    }
  });

  it('needs a verified email: no token or an unverified sign-in is 401, before the schema', async () => {
    const none = await call('portalListLicenses', {});
    assert.equal(none.status, 401);
    assert.ok(isErrorShape(none.body, 'unauthorized'));
    const unverified = await newPerson('portal-unverified', alice.replace('@', '+pw@'));
    const r = await asPerson(unverified, 'portalDeactivate', { licenseRef: 'not a ref' });
    assert.equal(r.status, 401, r.text);
    const verified = await verifyEmail(unverified);
    const ok = await asPerson(verified, 'portalListLicenses');
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body.licenses, [], 'another address, so none of alice\'s');
  });

  it('refuses a buyer\'s ID token on admin and account endpoints that need a membership', async () => {
    for (const [name, body] of [
      ['getLicense', { licenseKey: aliceKey }],
      ['listLicenses', {}],
      ['listProducts', {}],
      ['createApiKey', { name: 'mine' }],
      ['removeActivation', { licenseKey: aliceKey, activationId: 'act_x' }],
      ['listOutbox', {}],
    ] as const) {
      const r = await asBuyer(aliceToken, name, body);
      assert.equal(r.status, 401, `${name}: ${r.text}`);
      assert.ok(isErrorShape(r.body, 'unauthorized'));
    }
    const account = await asBuyer(aliceToken, 'getAccount');
    assert.equal(account.status, 200, account.text);
    assert.equal(account.body.account, null, 'a buyer belongs to no creator');
  });
});

describe('sign-in link requests are rate limited', () => {
  it('per address: 5 an hour, and the same for an address without licences', async () => {
    const creator = await newCreator('portal-rl');
    const productId = await newProduct(creator, { portalEnabled: true });
    const owner = buyerEmail('rl-owner');
    await license(creator, productId, owner);
    for (const email of [owner, buyerEmail('rl-none')]) {
      const window = privateWindow(3600);
      const replies = [];
      for (let i = 0; i < 6; i++) replies.push(await requestLink(email, { clock: window.clock, ip: randomIp() }));
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200, 200, 429], email);
      assertRateLimited(replies[5]!, 5, window);
    }
  });

  it('per IP: 20 an hour across addresses', async () => {
    const window = privateWindow(3600);
    const ip = randomIp();
    const replies = [];
    for (let i = 0; i < 21; i++) replies.push(await requestLink(buyerEmail('rl-ip'), { clock: window.clock, ip }));
    assert.deepEqual(replies.slice(0, 20).map((r) => r.status), Array(20).fill(200));
    assertRateLimited(replies[20]!, 20, window);
  });

  it('a used link does not sign in twice', async () => {
    const creator = await newCreator('portal-once');
    const productId = await newProduct(creator, { portalEnabled: true });
    const email = buyerEmail('once');
    await license(creator, productId, email);
    assert.equal((await requestLink(email)).status, 200);
    const [link] = await signInLinksFor(email);
    assert.ok(link);
    assert.match(await completeLink(email, link), /^eyJ/);
    await assert.rejects(completeLink(email, link), /INVALID_OOB_CODE/);
  });
});

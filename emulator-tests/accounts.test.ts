// Creator accounts: sign-up with a Firebase ID token (Auth emulator), ID tokens on admin
// endpoints scoped exactly like an API key, members and invitations, and people making, rotating
// and revoking their own API keys and webhook secrets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, asCreator, call, isErrorShape, uid } from './helpers.ts';
import { asPerson, newOwner, newPerson, verifyEmail, type Owner } from './accountHelpers.ts';

const keyPrefixOf = (id: string) => id.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8);

async function productOf(owner: Owner, fields: Record<string, unknown> = {}): Promise<string> {
  const slug = uid('app');
  const r = await asPerson(owner, 'createProduct', { name: `Product ${slug}`, slug, ...fields });
  assert.equal(r.status, 200, r.text);
  return slug;
}

describe('sign-up: createAccount and getAccount', () => {
  it('creates the creator under the chosen id with its key prefix, and makes the person its owner', async () => {
    const person = await newPerson('signup');
    const before = await asPerson(person, 'getAccount');
    assert.equal(before.status, 200, before.text);
    assert.equal(before.body.account, null);
    assert.equal(before.body.user.email, person.email);

    const creatorId = uid('studio');
    const r = await asPerson(person, 'createAccount', { creatorId, name: 'Studio Nine' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      { id: r.body.account.creatorId, name: r.body.account.name, prefix: r.body.account.keyPrefix, role: r.body.account.role },
      { id: creatorId, name: 'Studio Nine', prefix: keyPrefixOf(creatorId), role: 'owner' },
    );
    const after = await asPerson(person, 'getAccount', {}, { method: 'GET' });
    assert.equal(after.status, 200, after.text);
    assert.equal(after.body.account.creatorId, creatorId);

    // The licence keys the new creator issues carry its prefix.
    const owner = { ...person, creatorId };
    const productId = await productOf(owner);
    const lic = await asPerson(owner, 'createLicense', { email: 'b@example.com', productId });
    assert.equal(lic.status, 200, lic.text);
    assert.ok(lic.body.licenseKey.startsWith(`${keyPrefixOf(creatorId)}-`));
  });

  it('refuses a taken id (signed up or made by the super admin) and a second account for one person with 409', async () => {
    const owner = await newOwner('taken');
    const other = await newPerson('taken2');
    const sameId = await asPerson(other, 'createAccount', { creatorId: owner.creatorId });
    assert.equal(sameId.status, 409);
    assert.ok(isErrorShape(sameId.body, 'conflict'));

    const legacy = uid('legacy');
    assert.equal((await asAdmin('createApiKey', { creatorId: legacy, name: 'k' })).status, 200);
    assert.equal((await asPerson(other, 'createAccount', { creatorId: legacy })).status, 409);

    const second = await asPerson(owner, 'createAccount', { creatorId: uid('second') });
    assert.equal(second.status, 409);
    assert.match(second.body.error, new RegExp(owner.creatorId));
  });

  it('gives one account to exactly one of many people racing for the same id', async () => {
    const people = await Promise.all(Array.from({ length: 6 }, () => newPerson('race')));
    const creatorId = uid('race');
    const replies = await Promise.all(people.map((p) => asPerson(p, 'createAccount', { creatorId })));
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409]);
    const winner = people[replies.findIndex((r) => r.status === 200)]!;
    const members = await asPerson(winner, 'listMembers');
    assert.equal(members.status, 200, members.text);
    assert.deepEqual(members.body.members.map((m: any) => [m.email, m.role]), [[winner.email, 'owner']]);
  });

  it('needs a Firebase ID token: none, a malformed or unsigned one, or an API key is 401', async () => {
    const owner = await newOwner('auth');
    const key = await asPerson(owner, 'createApiKey', { name: 'k' });
    for (const headers of [{} as Record<string, string>, { authorization: 'Bearer not-a-token' }, { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }, { authorization: `Bearer ${key.body.apiKey}` }]) {
      const r = await call('createAccount', { creatorId: uid('nope') }, { headers });
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.ok(isErrorShape(r.body, 'unauthorized'));
    }
    const bad = await asPerson(await newPerson('bad'), 'createAccount', { creatorId: 'Not A Valid Id!' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /creatorId/);
  });
});

describe('ID tokens on admin endpoints', () => {
  it('act for the person\'s creator exactly like its API key, and see nothing of another creator (404)', async () => {
    const [a, b] = await Promise.all([newOwner('tena'), newOwner('tenb')]);
    const productA = await productOf(a);
    const lic = await asPerson(a, 'createLicense', { email: 'buyer@example.com', productId: productA, purchaseId: 'order-1' });
    assert.equal(lic.status, 200, lic.text);
    const licenseKey = lic.body.licenseKey;

    // A sees its own through the token; B's user sees none of it.
    assert.equal((await asPerson(a, 'getLicense', { licenseKey })).status, 200);
    for (const [name, body] of [
      ['getLicense', { licenseKey }],
      ['updateLicense', { licenseKey, maxMachines: 9 }],
      ['revokeLicense', { licenseKey }],
      ['listVariants', { productId: productA }],
      ['updateProduct', { productId: productA, name: 'hijacked' }],
      ['createLicense', { email: 'x@example.com', productId: productA }],
      ['listLicenses', { creatorId: a.creatorId }],
    ] as const) {
      const r = await asPerson(b, name, body);
      assert.equal(r.status, 404, `${name}: ${r.text}`);
      assert.ok(isErrorShape(r.body, 'not_found'));
    }
    const bList = await asPerson(b, 'listLicenses', {});
    assert.deepEqual(bList.body.licenses, []);
    const bProducts = await asPerson(b, 'listProducts', { includeAll: true });
    assert.deepEqual(bProducts.body.products, []);
    // Nothing changed.
    const still = await asPerson(a, 'getLicense', { licenseKey });
    assert.equal(still.body.license.status, 'active');
    assert.notEqual(still.body.license.maxMachines, 9);
  });

  it('refuses a person who has no account yet with 401 on admin endpoints', async () => {
    const p = await newPerson('noacct');
    const r = await asPerson(p, 'listProducts');
    assert.equal(r.status, 401);
    assert.match(r.body.error, /createAccount/);
  });

  it('finds a licence by its order id (purchaseId), only within the caller\'s creator', async () => {
    const [a, b] = await Promise.all([newOwner('ord'), newOwner('ordb')]);
    const productA = await productOf(a);
    const made = await asPerson(a, 'createLicense', { email: 'o@example.com', productId: productA, purchaseId: 'ORD-77' });
    const found = await asPerson(a, 'listLicenses', { purchaseId: 'ORD-77' });
    assert.deepEqual(found.body.licenses.map((l: any) => l.licenseKey), [made.body.licenseKey]);
    assert.deepEqual((await asPerson(a, 'listLicenses', { purchaseId: 'ORD-78' })).body.licenses, []);
    assert.deepEqual((await asPerson(a, 'listLicenses', { purchaseId: 'ORD-77', status: 'revoked' })).body.licenses, []);
    assert.deepEqual((await asPerson(b, 'listLicenses', { purchaseId: 'ORD-77' })).body.licenses, []);
  });
});

describe('members', () => {
  it('an invited teammate joins on sign-in with the verified email, can do the work, but not manage members', async () => {
    const owner = await newOwner('team');
    const productId = await productOf(owner);
    let mate = await newPerson('mate');
    const inv = await asPerson(owner, 'inviteMember', { email: mate.email.toUpperCase() });
    assert.equal(inv.status, 200, inv.text);
    assert.equal(inv.body.invite.email, mate.email);
    const again = await asPerson(owner, 'inviteMember', { email: mate.email });
    assert.equal(again.body.invite.createdAt, inv.body.invite.createdAt);

    // Not yet: the address is unverified, so the invitation proves nothing about who holds it.
    assert.equal((await asPerson(mate, 'getAccount')).body.account, null);
    assert.equal((await asPerson(mate, 'listProducts')).status, 401);

    mate = await verifyEmail(mate);
    // Several first requests at once make one membership.
    const firsts = await Promise.all([asPerson(mate, 'getAccount'), asPerson(mate, 'getAccount'), asPerson(mate, 'listProducts', { includeAll: true })]);
    assert.deepEqual(firsts.map((r) => r.status), [200, 200, 200]);
    assert.equal(firsts[0]!.body.account.creatorId, owner.creatorId);
    assert.equal(firsts[0]!.body.account.role, 'member');
    const people = await asPerson(owner, 'listMembers');
    assert.deepEqual(people.body.members.map((m: any) => [m.email, m.role]), [[owner.email, 'owner'], [mate.email, 'member']]);
    assert.deepEqual(people.body.invites, []);

    // The work: licences, API keys.
    assert.equal((await asPerson(mate, 'createLicense', { email: 'c@example.com', productId })).status, 200);
    assert.equal((await asPerson(mate, 'createApiKey', { name: 'mate key' })).status, 200);
    // Not members: 403 forbidden for a teammate.
    for (const [name, body] of [
      ['inviteMember', { email: 'someone@example.com' }],
      ['removeMember', { uid: owner.uid }],
    ] as const) {
      const r = await asPerson(mate, name, body);
      assert.equal(r.status, 403, `${name}: ${r.text}`);
      assert.ok(isErrorShape(r.body, 'forbidden'));
    }
    // An API key is not a person: 401.
    const key = await asPerson(owner, 'createApiKey', { name: 'k' });
    assert.equal((await asCreator(key.body.apiKey, 'inviteMember', { email: 'x@example.com' })).status, 401);
    assert.equal((await asCreator(key.body.apiKey, 'listMembers')).status, 401);

    // The owner removes the teammate: refused from the next request on.
    assert.equal((await asPerson(owner, 'removeMember', { uid: owner.uid })).status, 403);
    assert.equal((await asPerson(owner, 'removeMember', { uid: mate.uid })).status, 200);
    assert.equal((await asPerson(mate, 'listProducts')).status, 401);
    assert.equal((await asPerson(mate, 'getAccount')).body.account, null);
  });

  it('keeps invitations and members within their creator', async () => {
    const [a, b] = await Promise.all([newOwner('inva'), newOwner('invb')]);
    const mate = await verifyEmail(await newPerson('invm'));
    await asPerson(a, 'inviteMember', { email: mate.email });
    assert.equal((await asPerson(b, 'removeMember', { email: mate.email })).status, 404);
    assert.equal((await asPerson(b, 'listMembers', { creatorId: a.creatorId })).status, 404);
    // Cancelled: signing in no longer joins.
    assert.equal((await asPerson(a, 'removeMember', { email: mate.email })).status, 200);
    assert.equal((await asPerson(mate, 'getAccount')).body.account, null);
    assert.equal((await asPerson(a, 'inviteMember', { email: a.email })).status, 409);
    // B cannot remove A's owner.
    assert.equal((await asPerson(b, 'removeMember', { uid: a.uid })).status, 404);
    assert.equal((await asPerson(a, 'removeMember', {})).status, 400);
  });
});

describe('self-service API keys and webhook secrets', () => {
  it('a person creates, rotates and revokes their creator\'s API keys; the old key dies at rotation', async () => {
    const [owner, other] = await Promise.all([newOwner('keys'), newOwner('keysb')]);
    const made = await asPerson(owner, 'createApiKey', { name: 'Production' });
    assert.equal(made.status, 200, made.text);
    assert.equal(made.body.creatorId, owner.creatorId);
    assert.match(made.body.apiKey, /^sk_live_/);
    assert.equal((await asCreator(made.body.apiKey, 'listProducts')).status, 200);
    // Naming another creator is 404; an API key cannot make keys.
    assert.equal((await asPerson(owner, 'createApiKey', { name: 'x', creatorId: other.creatorId })).status, 404);
    assert.equal((await asCreator(made.body.apiKey, 'createApiKey', { name: 'x' })).status, 401);
    assert.equal((await asPerson(other, 'rotateApiKey', { id: made.body.id })).status, 404);
    assert.equal((await asPerson(other, 'revokeApiKey', { id: made.body.id })).status, 404);

    const rotated = await asPerson(owner, 'rotateApiKey', { id: made.body.id });
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal(rotated.body.name, 'Production');
    assert.equal(rotated.body.replacedId, made.body.id);
    assert.notEqual(rotated.body.apiKey, made.body.apiKey);
    assert.equal((await asCreator(made.body.apiKey, 'listProducts')).status, 401);
    assert.equal((await asCreator(rotated.body.apiKey, 'listProducts')).status, 200);
    assert.equal((await asPerson(owner, 'rotateApiKey', { id: made.body.id })).status, 409);

    const listed = await asPerson(owner, 'listApiKeys');
    assert.deepEqual(
      listed.body.apiKeys.map((k: any) => [k.id, k.name, k.revoked]),
      [
        [made.body.id, 'Production', true],
        [rotated.body.id, 'Production', false],
      ],
    );
    assert.equal((await asPerson(owner, 'revokeApiKey', { id: rotated.body.id })).status, 200);
    assert.equal((await asCreator(rotated.body.apiKey, 'listProducts')).status, 401);
  });

  it('rotating one key many times at once leaves exactly one live successor', async () => {
    const owner = await newOwner('rot');
    const made = await asPerson(owner, 'createApiKey', { name: 'busy' });
    const replies = await Promise.all(Array.from({ length: 5 }, () => asPerson(owner, 'rotateApiKey', { id: made.body.id })));
    assert.equal(replies.filter((r) => r.status === 200).length, 1, replies.map((r) => r.status).join());
    assert.ok(replies.every((r) => r.status === 200 || r.status === 409 || r.status === 503));
    const live = (await asPerson(owner, 'listApiKeys')).body.apiKeys.filter((k: any) => !k.revoked);
    assert.equal(live.length, 1);
  });

  it('a person rotates a payment-webhook secret: deliveries signed with the old one are refused', async () => {
    const owner = await newOwner('whs');
    const productId = await productOf(owner);
    const made = await asPerson(owner, 'createWebhookSecret', { name: 'Stripe' });
    assert.equal(made.status, 200, made.text);
    const deliver = (secret: string, purchaseId: string) =>
      call('paymentWebhook', { type: 'purchase.completed', email: 'p@example.com', productId, purchaseId, amount: 1000, currency: 'USD' }, { headers: { 'x-webhook-secret': secret } });
    assert.equal((await deliver(made.body.webhookSecret, 'w-1')).status, 200);
    const rotated = await asPerson(owner, 'rotateWebhookSecret', { id: made.body.id });
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal(rotated.body.name, 'Stripe');
    assert.equal((await deliver(made.body.webhookSecret, 'w-2')).status, 401);
    assert.equal((await deliver(rotated.body.webhookSecret, 'w-3')).status, 200);
    const other = await newOwner('whsb');
    assert.equal((await asPerson(other, 'rotateWebhookSecret', { id: rotated.body.id })).status, 404);
  });
});

describe('console data: the sales series and the buyer-email preview', () => {
  it('getSalesSeries gives one point a day per product and currency, zero where nothing sold', async () => {
    const owner = await newOwner('series');
    const productId = await productOf(owner);
    const secret = (await asPerson(owner, 'createWebhookSecret', { name: 'p' })).body.webhookSecret;
    for (const [purchaseId, amount, currency] of [['s1', 1000, 'USD'], ['s2', 2500, 'USD'], ['s3', 900, 'EUR']] as const) {
      const r = await call('paymentWebhook', { type: 'purchase.completed', email: `${purchaseId}@example.com`, productId, purchaseId, amount, currency }, { headers: { 'x-webhook-secret': secret } });
      assert.equal(r.status, 200, r.text);
    }
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const r = await asPerson(owner, 'getSalesSeries', { from, to: today });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.days.length, 7);
    assert.deepEqual(r.body.series.map((s: any) => [s.productId, s.currency]), [[productId, 'EUR'], [productId, 'USD']]);
    const usd = r.body.series[1];
    assert.equal(usd.points.length, 7);
    assert.deepEqual(usd.points[6], { date: today, unitsSold: 2, grossCents: 3500, refundedCents: 0 });
    assert.ok(usd.points.slice(0, 6).every((p: any) => p.unitsSold === 0 && p.grossCents === 0));

    const other = await newOwner('seriesb');
    assert.equal((await asPerson(other, 'getSalesSeries', { from, to: today, productId })).status, 404);
    assert.deepEqual((await asPerson(other, 'getSalesSeries', { from, to: today })).body.series, []);
    const long = await asPerson(owner, 'getSalesSeries', { from: '2024-01-01', to: '2025-06-01' });
    assert.equal(long.status, 400);
    assert.match(long.body.error, /366 days/);
  });

  it('previewBuyerEmail composes the email with unsaved text, and writes nothing', async () => {
    const owner = await newOwner('mail');
    const productId = await productOf(owner, { name: 'Mail App', maxMachines: 3 });
    const r = await asPerson(owner, 'previewBuyerEmail', { productId, emailSubject: 'Welcome to {product}', emailInstructions: 'Open Preferences and paste it.' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.email.subject, 'Welcome to Mail App');
    assert.match(r.body.email.text, /Open Preferences and paste it\./);
    assert.match(r.body.email.text, /up to 3 machines/);
    assert.match(r.body.email.text, new RegExp(`${keyPrefixOf(owner.creatorId)}-`));
    const defaults = await asPerson(owner, 'previewBuyerEmail', { productId });
    assert.equal(defaults.body.email.subject, 'Your licence key for Mail App');
    const product = (await asPerson(owner, 'listProducts', { includeAll: true })).body.products[0];
    assert.equal(product.emailSubject, null);
    const other = await newOwner('mailb');
    assert.equal((await asPerson(other, 'previewBuyerEmail', { productId })).status, 404);
  });
});

// Permisoft dialect (docs/reference/permisoft-publisher-api.txt, docs/dialects.md): each documented
// request sent as the document shows it, at its documented path through the Hosting emulator and at
// its function URL, gets the documented status, fields and types; each refusal its code. The
// app-side call goes through a minimal `activateOnline(apiBaseUrl, { key, machineId })` written as
// the document describes @permisoft/client's.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asAdmin, asCreator, BASE_URL, call, newCreator, newProduct, privateWindow, randomIp, uid, WEBHOOK_SECRET, type CreatorFixture } from './helpers.ts';
import { at, foreignKey, HOSTING_URL, isIsoTime } from './dialectHelpers.ts';
import { generateLicenseKey, normalizeLicenseKey } from '../functions/src/domain/licenseKey.ts';

/**
 * A key in Permisoft's documented format (`MYAPP-A3B7-K9D2-M4F8-42`: upper-case, segmented, with
 * Permisoft's own checksum). It is Seatkey's shape but (almost always) fails Seatkey's check value:
 * imported as it is, it is looked up as the imported key it is (docs/dialects.md, "Moving from Permisoft").
 */
function permisoftKey(): string {
  for (;;) {
    const key = foreignKey('MYAPP');
    if (normalizeLicenseKey(key) === null) return key;
  }
}
/** A key of Seatkey's own minting, which passes Seatkey's check value. */
const seatkeyKey = () => generateLicenseKey('MYAPP');

/** @permisoft/client's activateOnline as its document describes it: activate, and keep the JWT for offline grace. */
const cachedTokens = new Map<string, { activationToken: string; tokenExpiresAt: string }>();
async function activateOnline(apiBaseUrl: string, opts: { key: string; machineId: string; machineLabel?: string; productSlug?: string }) {
  const res = await fetch(`${apiBaseUrl}/api/keys/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(opts) });
  const body = (await res.json()) as Record<string, any>;
  if (res.ok && body.valid === true) cachedTokens.set(opts.key, { activationToken: body.activationToken, tokenExpiresAt: body.tokenExpiresAt });
  return { status: res.status, body };
}

/** Permisoft's publisher key for a Seatkey API key: the same secret behind Permisoft's prefix. */
const psKey = (apiKey: string) => apiKey.replace(/^sk_(live|test)_/, 'ps_$1_');
const publisher = (apiKey: string) => ({ authorization: `Bearer ${psKey(apiKey)}` });

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('Permisoft dialect', () => {
  let c: CreatorFixture;
  let productId: string;

  before(async () => {
    c = await newCreator('permisoft');
    productId = await newProduct(c, { slug: uid('myapp'), maxMachines: 1 });
  });

  async function imported(fields: Record<string, unknown> = {}, apiKey = c.apiKey): Promise<string> {
    const key = permisoftKey();
    const r = await asCreator(apiKey, 'importLicenses', { licenses: [{ licenseKey: key, email: 'buyer@example.com', productId, ...fields }] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.results[0].result, 'created', r.text);
    return key;
  }

  describe('POST /api/keys/activate', () => {
    it('answers the documented request with the documented reply, through Hosting, via activateOnline', async () => {
      const key = await imported();
      const r = await activateOnline(HOSTING_URL, { key, machineId: 'stable-hardware-id-from-your-app', machineLabel: "Paul's MacBook (optional)", productSlug: productId });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.valid, true);
      assert.equal(r.body.message, 'Activation successful');
      assert.equal(r.body.scope, 'PRODUCT');
      assert.equal(r.body.productSlug, productId);
      assert.equal(r.body.publisherSlug, c.creatorId);
      assert.match(r.body.activationToken, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.ok(isIsoTime(r.body.tokenExpiresAt), r.body.tokenExpiresAt);
      assert.equal(cachedTokens.get(key)?.activationToken, r.body.activationToken, 'the client keeps the token for offline grace');
      // The token is Seatkey's session token: the core's validate accepts it for this machine.
      const v = await call('validate', { token: r.body.activationToken, machineFingerprint: 'stable-hardware-id-from-your-app' });
      assert.equal(v.status, 200, v.text);
      assert.equal(v.body.valid, true);
      // The label reached the activation.
      const got = await asCreator(c.apiKey, 'getLicense', { licenseKey: key });
      assert.equal(got.body.activations[0].hostname, "Paul's MacBook (optional)");
    });

    it('takes the minimal request (key, machineId) at the function URL too; the same machine again takes no new seat', async () => {
      const key = await imported();
      const first = await at('/permisoftActivate', { key, machineId: 'machine-a' }, { base: BASE_URL });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.valid, true);
      assert.equal(first.body.productSlug, productId);
      const again = await at('/api/keys/activate', { key: key.toLowerCase(), machineId: 'machine-a' });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.valid, true);
      const got = await asCreator(c.apiKey, 'getLicense', { licenseKey: key });
      assert.equal(got.body.machinesUsed, 1);
    });

    it('refuses with valid: false, a reason and a message in its own field names', async () => {
      const key = await imported();
      const missing = await at('/api/keys/activate', { key });
      assert.equal(missing.status, 400, missing.text);
      assert.equal(missing.body.valid, false);
      assert.equal(missing.body.reason, 'invalid_request');
      assert.match(missing.body.message, /machineId/);
      assert.doesNotMatch(missing.body.message, /machineFingerprint/);

      const unknown = await at('/api/keys/activate', { key: seatkeyKey(), machineId: 'm' });
      assert.equal(unknown.status, 404, unknown.text);
      assert.deepEqual([unknown.body.valid, unknown.body.reason, typeof unknown.body.message], [false, 'not_found', 'string']);

      assert.equal((await at('/api/keys/activate', { key, machineId: 'first' })).status, 200);
      const full = await at('/api/keys/activate', { key, machineId: 'second' });
      assert.equal(full.status, 403, full.text);
      assert.deepEqual([full.body.valid, full.body.reason], [false, 'machine_limit']);

      const other = await newProduct(c);
      const wrong = await at('/api/keys/activate', { key, machineId: 'first', productSlug: other });
      assert.equal(wrong.status, 403, wrong.text);
      assert.equal(wrong.body.reason, 'wrong_product');

      assert.equal((await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key })).status, 200);
      const revoked = await at('/api/keys/activate', { key, machineId: 'first' });
      assert.equal(revoked.status, 403, revoked.text);
      assert.equal(revoked.body.reason, 'revoked');

      const get = await at('/api/keys/activate', undefined, { method: 'GET' });
      assert.equal(get.status, 405, get.text);
      assert.equal(get.body.reason, 'method_not_allowed');
    });
  });

  describe("Permisoft's keys, imported verbatim", () => {
    /** The document's own example key: Seatkey's shape, not Seatkey's check value. */
    const DOCUMENTED = 'MYAPP-A3B7-K9D2-M4F8-42';

    it("imports the document's example key as it is; the documented activate, the core's activate and validate, and the publisher's validate all take it", async () => {
      assert.equal(normalizeLicenseKey(DOCUMENTED), null, "the example fails Seatkey's check value");
      const r = await asCreator(c.apiKey, 'importLicenses', { licenses: [{ licenseKey: DOCUMENTED, email: 'buyer@example.com', productId }] });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.results.map((x: any) => [x.licenseKey, x.result]), [[DOCUMENTED, 'created']]);

      // The document's request, verbatim but for the product slug (the creator's own).
      const machineId = 'stable-hardware-id-from-your-app';
      const act = await activateOnline(HOSTING_URL, { key: DOCUMENTED, machineId, machineLabel: "Paul's MacBook (optional)", productSlug: productId });
      assert.equal(act.status, 200, JSON.stringify(act.body));
      assert.deepEqual([act.body.valid, act.body.message, act.body.productSlug, act.body.publisherSlug], [true, 'Activation successful', productId, c.creatorId]);

      // The core's client endpoints take the same key, typed any case.
      const again = await call('activate', { licenseKey: DOCUMENTED.toLowerCase(), machineFingerprint: machineId, productId });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.machinesUsed, 1, 'the same machine takes no second seat');
      const v = await call('validate', { licenseKey: DOCUMENTED, machineFingerprint: machineId });
      assert.equal(v.status, 200, v.text);
      assert.equal(v.body.valid, true);

      // So do the publisher's validate and the admin endpoints that name a key.
      const facts = await at('/api/v1/publisher/keys/validate', { key: DOCUMENTED }, { headers: publisher(c.apiKey) });
      assert.equal(facts.status, 200, facts.text);
      assert.deepEqual([facts.body.valid, facts.body.status, facts.body.keyMasked], [true, 'ACTIVATED', 'MYAPP-****-****-****-42']);
      const got = await asCreator(c.apiKey, 'getLicense', { licenseKey: DOCUMENTED });
      assert.equal(got.status, 200, got.text);
      assert.equal(got.body.license.licenseKey, DOCUMENTED);
      assert.equal((await asCreator(c.apiKey, 'resetActivations', { licenseKey: DOCUMENTED })).status, 200);
      assert.equal((await asCreator(c.apiKey, 'getLicense', { licenseKey: DOCUMENTED })).body.machinesUsed, 0);
    });

    it('refuses a mistyped key as before, and answers another creator\'s imported key exactly as a typo', async () => {
      const key = await imported();
      const typo = `${key.slice(0, -1)}${key.endsWith('3') ? '4' : '3'}`;
      const mistyped = await at('/api/keys/activate', { key: typo, machineId: 'm' });
      assert.equal(mistyped.status, 400, mistyped.text);
      assert.deepEqual([mistyped.body.valid, mistyped.body.reason], [false, 'invalid_request']);
      assert.match(mistyped.body.message, /\bkey\b.*typos/);
      const core = await call('activate', { licenseKey: typo, machineFingerprint: 'm' });
      assert.equal(core.status, 400, core.text);
      assert.equal(core.body.code, 'invalid_request');
      assert.match(core.body.error, /licenseKey: is not a valid licence key \(check it for typos\)/);
      const coreValidate = await call('validate', { licenseKey: typo, machineFingerprint: 'm' });
      assert.deepEqual([coreValidate.status, coreValidate.body.code], [400, 'invalid_request']);
      // Such refusals count against the per-IP limit as lookups do: they cannot probe for keys faster.
      const window = privateWindow(60);
      const ip = randomIp();
      const counted = [];
      for (let i = 0; i < 2; i++) counted.push(await at('/permisoftActivate', { key: typo, machineId: 'm' }, { base: BASE_URL, ip, headers: { 'x-seatkey-clock': String(window.clock) } }));
      for (const r of counted) {
        assert.deepEqual([r.status, r.headers.get('x-ratelimit-limit'), r.headers.get('x-ratelimit-reset')], [400, '100', String(window.resetAt / 1000)]);
        assert.ok(Number(r.headers.get('x-ratelimit-remaining')) < 100, r.headers.get('x-ratelimit-remaining') ?? 'no X-RateLimit-Remaining');
      }

      // Another creator's admin calls cannot tell that creator's imported key from a typo.
      const stranger = await newCreator('permisoft-other');
      const asTypo = await asCreator(stranger.apiKey, 'getLicense', { licenseKey: typo });
      const asTheirs = await asCreator(stranger.apiKey, 'getLicense', { licenseKey: key });
      assert.equal(asTheirs.status, 400, asTheirs.text);
      assert.deepEqual(asTheirs.body, asTypo.body);
      assert.equal((await asCreator(stranger.apiKey, 'revokeLicense', { licenseKey: key })).status, 400);
      assert.equal((await asCreator(c.apiKey, 'getLicense', { licenseKey: key })).body.license.status, 'active', 'the stranger changed nothing');
    });
  });

  describe('POST /api/v1/publisher/keys/validate', () => {
    it('reports UNUSED, then ACTIVATED with the documented fields, then REVOKED', async () => {
      const key = await imported();
      const unused = await at('/api/v1/publisher/keys/validate', { key }, { headers: publisher(c.apiKey) });
      assert.equal(unused.status, 200, unused.text);
      assert.equal(unused.body.valid, true);
      assert.equal(unused.body.status, 'UNUSED');
      assert.equal(unused.body.activated, false);
      assert.equal(unused.body.activatedAt, null);

      assert.equal((await at('/api/keys/activate', { key, machineId: 'box' })).status, 200);
      const r = await at('/api/v1/publisher/keys/validate', { key }, { headers: publisher(c.apiKey) });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.valid, true);
      assert.equal(r.body.status, 'ACTIVATED');
      assert.deepEqual(r.body.product, { id: productId, slug: productId, name: `Product ${productId}` });
      assert.equal(r.body.activated, true);
      assert.ok(isIsoTime(r.body.activatedAt), r.body.activatedAt);
      assert.equal(r.body.keyMasked, `MYAPP-****-****-****-${key.slice(-2)}`);
      assert.equal(r.body.sandbox, false);

      assert.equal((await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key })).status, 200);
      const revoked = await at('/permisoftValidateKey', { key }, { base: BASE_URL, headers: publisher(c.apiKey) });
      assert.equal(revoked.status, 200, revoked.text);
      assert.equal(revoked.body.status, 'REVOKED');
    });

    it('answers invalid_format and not_found as documented, for another publisher\'s key too', async () => {
      const bad = await at('/api/v1/publisher/keys/validate', { key: 'not a key!' }, { headers: publisher(c.apiKey) });
      assert.equal(bad.status, 200, bad.text);
      assert.deepEqual(bad.body, { valid: false, reason: 'invalid_format' });
      const good = seatkeyKey();
      const typo = `${good.slice(0, 6)}${good[6] === 'X' ? 'Y' : 'X'}${good.slice(7)}`;
      const mistyped = await at('/api/v1/publisher/keys/validate', { key: typo }, { headers: publisher(c.apiKey) });
      assert.deepEqual([mistyped.status, mistyped.body], [200, { valid: false, reason: 'invalid_format' }], "Seatkey's check value catches a typo");
      const unknown = await at('/api/v1/publisher/keys/validate', { key: seatkeyKey() }, { headers: publisher(c.apiKey) });
      assert.deepEqual([unknown.status, unknown.body], [200, { valid: false, reason: 'not_found' }]);
      const key = await imported();
      const stranger = await newCreator('permisoft-other');
      const theirs = await at('/api/v1/publisher/keys/validate', { key }, { headers: publisher(stranger.apiKey) });
      // A key failing Seatkey's check value that is not the caller's is refused as a typo is: the
      // answer does not tell another publisher that it exists.
      assert.deepEqual([theirs.status, theirs.body], [200, { valid: false, reason: 'invalid_format' }]);
      const stranger2 = await asCreator(stranger.apiKey, 'importLicenses', { licenses: [{ licenseKey: seatkeyKey(), email: 'b@example.com', productId: await newProduct(stranger) }] });
      const theirMinted = await at('/api/v1/publisher/keys/validate', { key: stranger2.body.results[0].licenseKey }, { headers: publisher(c.apiKey) });
      assert.deepEqual([theirMinted.status, theirMinted.body], [200, { valid: false, reason: 'not_found' }]);
    });

    it('maps ps_test_ keys to test keys: sandbox licences only, with sandbox: true', async () => {
      const made = await asAdmin('createApiKey', { creatorId: c.creatorId, name: 'test', mode: 'test' });
      assert.equal(made.status, 200, made.text);
      const testKey: string = made.body.apiKey;
      assert.match(psKey(testKey), /^ps_test_/);
      const sandboxKey = await imported({}, testKey);
      const r = await at('/api/v1/publisher/keys/validate', { key: sandboxKey }, { headers: publisher(testKey) });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.sandbox, true);
      const live = await at('/api/v1/publisher/keys/validate', { key: sandboxKey }, { headers: publisher(c.apiKey) });
      assert.deepEqual(live.body, { valid: false, reason: 'invalid_format' }, 'a key failing the check value that the caller may not see answers as a typo');
    });

    it('checks the credential before the body: none, a wrong one, or too narrow a scope', async () => {
      const none = await at('/api/v1/publisher/keys/validate', { nonsense: true });
      assert.equal(none.status, 401, none.text);
      assert.deepEqual([none.body.valid, none.body.reason], [false, 'unauthorized']);
      const wrong = await at('/api/v1/publisher/keys/validate', { key: permisoftKey() }, { headers: { authorization: 'Bearer ps_live_not-a-real-key' } });
      assert.equal(wrong.status, 401, wrong.text);
      const narrow = await asAdmin('createApiKey', { creatorId: c.creatorId, name: 'stats only', scopes: 'stats:read' });
      const scoped = await at('/api/v1/publisher/keys/validate', { key: permisoftKey() }, { headers: publisher(narrow.body.apiKey) });
      assert.equal(scoped.status, 403, scoped.text);
      assert.equal(scoped.body.reason, 'insufficient_scope');
    });
  });

  describe('GET /api/v1/publisher/stats', () => {
    it('answers the documented query with the documented totals, keys issued and sales', async () => {
      const s = await newCreator('permisoft-stats');
      const app = await newProduct(s, { slug: uid('myapp') });
      for (const [purchaseId, amount] of [['ord-1', 4000], ['ord-2', 4000], ['ord-3', 4000]] as const) {
        const r = await call('paymentWebhook', { type: 'purchase.completed', email: 'b@example.com', productId: app, purchaseId, amount, currency: 'USD' }, { headers: { 'x-webhook-secret': WEBHOOK_SECRET } });
        assert.equal(r.status, 200, r.text);
      }
      const core = await asCreator(s.apiKey, 'getStats', { from: day(-1), to: day(1), productId: app });
      assert.equal(core.status, 200, core.text);

      const r = await at('/api/v1/publisher/stats', undefined, { query: { from: day(-1), to: day(1), productId: app }, headers: publisher(s.apiKey) });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.publisherSlug, s.creatorId);
      assert.equal(typeof r.body.platformFeePercent, 'number');
      assert.equal(r.body.platformFeePercent, core.body.platformFeePercent);
      assert.equal(r.body.totals.unitsSold, 3);
      assert.equal(r.body.totals.grossCents, 12000);
      assert.equal(r.body.totals.platformFeeCents, core.body.totals.platformFeeCents);
      assert.equal(r.body.totals.netPublisherCents, 12000 - core.body.totals.platformFeeCents);
      assert.equal(r.body.totals.pendingPayoutCents, core.body.pendingPayoutCents.USD);
      assert.deepEqual(r.body.keysIssuedByProduct, [{ productId: app, count: 3 }]);
      assert.deepEqual(r.body.sales.map((x: any) => x.orderId).sort(), ['ord-1', 'ord-2', 'ord-3']);
      for (const sale of r.body.sales) {
        assert.equal(sale.grossCents, 4000);
        assert.equal(typeof sale.platformFeeCents, 'number');
        assert.equal(sale.netPublisherCents, 4000 - sale.platformFeeCents);
      }

      const paid = await asAdmin('recordPayout', { creatorId: s.creatorId, payoutId: uid('payout'), amountCents: 1000, currency: 'USD' });
      assert.equal(paid.status, 200, paid.text);
      const after = await at('/permisoftStats', undefined, { base: BASE_URL, query: { from: day(-1), to: day(1) }, headers: publisher(s.apiKey) });
      assert.equal(after.status, 200, after.text);
      assert.equal(after.body.totals.pendingPayoutCents, r.body.totals.pendingPayoutCents - 1000);

      const past = await at('/api/v1/publisher/stats', undefined, { query: { from: day(-40), to: day(-30) }, headers: publisher(s.apiKey) });
      assert.equal(past.status, 200, past.text);
      assert.deepEqual([past.body.totals.unitsSold, past.body.sales], [0, []]);
    });

    it('refuses without stats:read, without a key, for another creator\'s product, and with a bad range', async () => {
      const s = await newCreator('permisoft-stats2');
      const none = await at('/api/v1/publisher/stats', undefined, { query: { from: day(-1), to: day(1) } });
      assert.equal(none.status, 401, none.text);
      assert.equal(none.body.error, 'unauthorized');
      const narrow = await asAdmin('createApiKey', { creatorId: s.creatorId, name: 'licences only', scopes: 'licenses:read' });
      const scoped = await at('/api/v1/publisher/stats', undefined, { query: { from: day(-1), to: day(1) }, headers: publisher(narrow.body.apiKey) });
      assert.equal(scoped.status, 403, scoped.text);
      assert.equal(scoped.body.error, 'insufficient_scope');
      const theirs = await at('/api/v1/publisher/stats', undefined, { query: { from: day(-1), to: day(1), productId }, headers: publisher(s.apiKey) });
      assert.equal(theirs.status, 404, theirs.text);
      assert.equal(theirs.body.error, 'not_found');
      const backwards = await at('/api/v1/publisher/stats', undefined, { query: { from: day(1), to: day(-1) }, headers: publisher(s.apiKey) });
      assert.equal(backwards.status, 400, backwards.text);
      assert.equal(backwards.body.error, 'invalid_request');
      assert.match(backwards.body.message, /from/);
    });
  });
});

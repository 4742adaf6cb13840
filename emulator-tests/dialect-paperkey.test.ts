// Paperkey dialect (docs/reference/paperkey-api.txt, docs/dialects.md): its public API's requests
// (/v1/licenses/validate, activate, deactivate), sent as the document shows them with the
// product's publishable key, at their documented paths through the Hosting emulator and at their
// function URLs, get the documented status, fields and types; its errors the documented
// `{error, message, details}` with its codes, and its rate-limit headers.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asCreator, BASE_URL, inWaves, newCreator, newProduct, privateWindow, randomIp, uid, type CreatorFixture } from './helpers.ts';
import { at, isIsoTime } from './dialectHelpers.ts';

const FP = 'paperkey_fp_v1_0f3c2a9d';

describe('Paperkey dialect', () => {
  let c: CreatorFixture;
  let productId: string;
  let pk: string;

  before(async () => {
    c = await newCreator('paperkey');
    productId = await newProduct(c, { maxMachines: 3 });
    const made = await asCreator(c.apiKey, 'createPublishableKey', { productId });
    assert.equal(made.status, 200, made.text);
    pk = made.body.publishableKey.key;
    assert.match(pk, /^pk_live_/);
  });

  const bearer = () => ({ authorization: `Bearer ${pk}` });

  async function license(fields: Record<string, unknown> = {}): Promise<string> {
    const r = await asCreator(c.apiKey, 'createLicense', { productId, email: 'customer@example.com', ...fields });
    assert.equal(r.status, 200, r.text);
    return r.body.licenseKey;
  }

  function assertError(r: { status: number; body: any; text: string }, status: number, code: string): void {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.error, code, r.text);
    assert.equal(typeof r.body.message, 'string');
    assert.ok(r.body.message.length > 0);
    assert.ok(Array.isArray(r.body.details), r.text);
  }

  it('validate, activate, validate, deactivate: the documented requests get the documented replies', async () => {
    const key = await license({ expiresAt: '2026-12-31T00:00:00.000Z', metadata: { plan: 'pro' } });

    const before = await at('/v1/licenses/validate', { license_key: key, fingerprint: FP }, { headers: bearer() });
    assert.equal(before.status, 200, before.text);
    assert.equal(before.body.valid, true);
    assert.deepEqual(before.body.license, {
      id: key,
      status: 'active',
      expiresAt: '2026-12-31T00:00:00.000Z',
      activationsCount: 0,
      activationsLimit: 3,
      isActivated: false,
      metadata: { plan: 'pro' },
    });
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) assert.match(before.headers.get(h) ?? '', /^\d+$/, h);

    const act = await at('/v1/licenses/activate', { license_key: key, fingerprint: FP, name: 'MacBook Pro' }, { headers: bearer() });
    assert.equal(act.status, 200, act.text);
    assert.equal(act.body.success, true);
    assert.equal(typeof act.body.activation.id, 'string');
    assert.equal(act.body.activation.fingerprint, FP);
    assert.equal(act.body.activation.name, 'MacBook Pro');
    assert.ok(isIsoTime(act.body.activation.createdAt), act.text);
    assert.equal(act.body.activationsRemaining, 2);
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) assert.match(act.headers.get(h) ?? '', /^\d+$/, h);

    // Idempotent: the same fingerprint again takes no slot and is the same activation.
    const again = await at('/paperkeyActivate', { license_key: key, fingerprint: FP, name: 'MacBook Pro' }, { base: BASE_URL, headers: { 'x-api-key': pk } });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual([again.body.activation.id, again.body.activation.createdAt, again.body.activationsRemaining], [act.body.activation.id, act.body.activation.createdAt, 2]);

    const after = await at('/v1/licenses/validate', { license_key: key, fingerprint: FP }, { headers: { 'x-api-key': pk } });
    assert.equal(after.status, 200, after.text);
    assert.deepEqual([after.body.license.isActivated, after.body.license.activationsCount], [true, 1]);

    const off = await at('/v1/licenses/deactivate', { license_key: key, fingerprint: FP }, { headers: bearer() });
    assert.equal(off.status, 200, off.text);
    assert.deepEqual(off.body, { success: true, activationsRemaining: 3 });
    const gone = await at('/paperkeyValidate', { license_key: key, fingerprint: FP }, { base: BASE_URL, headers: bearer() });
    assert.deepEqual([gone.status, gone.body.license.isActivated, gone.body.license.activationsCount], [200, false, 0]);
  });

  it('validates without a fingerprint; a perpetual licence without metadata shows nulls; an unlimited one no limit', async () => {
    const key = await license({ maxMachines: -1 });
    const r = await at('/v1/licenses/validate', { license_key: key }, { headers: bearer() });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.license, { id: key, status: 'active', expiresAt: null, activationsCount: 0, activationsLimit: null, isActivated: false, metadata: null });
    const act = await at('/v1/licenses/activate', { license_key: key, fingerprint: FP }, { headers: bearer() });
    assert.equal(act.status, 200, act.text);
    assert.equal(act.body.activationsRemaining, null);
    assert.equal(act.body.activation.name, null);
  });

  it('a revoked licence is not usable: 200 valid false with the reason', async () => {
    const key = await license();
    assert.equal((await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key })).status, 200);
    const r = await at('/v1/licenses/validate', { license_key: key, fingerprint: FP }, { headers: bearer() });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.valid, false);
    assert.equal(r.body.reason, 'revoked');
  });

  it('answers unauthorized (401) before looking at the body: no key, a secret key, an unknown or another product\'s key', async () => {
    assertError(await at('/v1/licenses/validate', { nonsense: 1 }), 401, 'unauthorized');
    assertError(await at('/v1/licenses/activate', { license_key: 'x' }, { headers: { authorization: `Bearer ${c.apiKey}` } }), 401, 'unauthorized');
    assertError(await at('/v1/licenses/validate', {}, { headers: { 'x-api-key': 'pk_live_unknown0000000000' } }), 401, 'unauthorized');
    const other = await newProduct(c);
    const theirs = await asCreator(c.apiKey, 'createPublishableKey', { productId: other });
    const key = await license();
    assertError(await at('/v1/licenses/validate', { license_key: key }, { headers: { authorization: `Bearer ${theirs.body.publishableKey.key}` } }), 401, 'unauthorized');
  });

  it('answers validation_error with the fields in its own names, not_found, activation_limit_reached and body_too_large', async () => {
    const missing = await at('/v1/licenses/activate', { fingerprint: FP }, { headers: bearer() });
    assertError(missing, 400, 'validation_error');
    assert.equal(missing.body.message, 'Invalid request data');
    assert.ok(missing.body.details.some((d: any) => d.path[0] === 'license_key' && typeof d.message === 'string'), missing.text);

    const unknown = await at('/v1/licenses/validate', { license_key: `NOPE-${uid('k').toUpperCase()}` }, { headers: bearer() });
    assertError(unknown, 404, 'not_found');

    const key = await license({ maxMachines: 1 });
    assert.equal((await at('/v1/licenses/activate', { license_key: key, fingerprint: 'one' }, { headers: bearer() })).status, 200);
    assertError(await at('/v1/licenses/activate', { license_key: key, fingerprint: 'two' }, { headers: bearer() }), 403, 'activation_limit_reached');

    const big = JSON.stringify({ license_key: key, fingerprint: 'x'.repeat(70 * 1024) });
    assertError(await at('/paperkeyValidate', undefined, { base: BASE_URL, method: 'POST', raw: big, headers: bearer() }), 413, 'body_too_large');
  });

  /** A Paperkey call counted in `window` (the emulator's limiter clock), from one IP. */
  const inWindow = (path: string, body: unknown, window: { clock: number }, ip: string) =>
    at(path, body, { base: BASE_URL, ip, headers: { ...bearer(), 'x-seatkey-clock': String(window.clock) } });

  it('answers license_rate_limited past 10 activations and deactivations an hour per licence, whatever its seats, with the rate-limit headers', async () => {
    // Seatkey's own activate limit would be 15, or 2 × 20 seats = 40, or none for an unlimited
    // licence: Paperkey documents 10 an hour for every licence, activate and deactivate together.
    for (const maxMachines of [1, 20, -1]) {
      const key = await license({ maxMachines });
      const window = privateWindow(3600);
      const ip = randomIp();
      const replies = [];
      for (let i = 0; i < 5; i++) {
        replies.push(await inWindow('/paperkeyActivate', { license_key: key, fingerprint: FP }, window, ip));
        replies.push(await inWindow('/paperkeyDeactivate', { license_key: key, fingerprint: FP }, window, ip));
      }
      replies.push(await inWindow('/paperkeyActivate', { license_key: key, fingerprint: FP }, window, ip));
      assert.deepEqual(replies.map((r) => r.status), [...Array(10).fill(200), 429], `maxMachines ${maxMachines}: ${replies.map((r) => r.text).join('\n')}`);
      assert.deepEqual(replies.map((r) => r.headers.get('x-ratelimit-remaining')), ['9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '0']);
      for (const r of replies) {
        assert.equal(r.headers.get('x-ratelimit-limit'), '10');
        assert.equal(r.headers.get('x-ratelimit-reset'), String(window.resetAt / 1000));
      }
      const last = replies[10]!;
      assertError(last, 429, 'license_rate_limited');
      assert.match(last.headers.get('retry-after') ?? '', /^\d+$/);
      // A deactivation of the same licence is refused too: one count for both routes.
      assertError(await inWindow('/paperkeyDeactivate', { license_key: key, fingerprint: FP }, window, ip), 429, 'license_rate_limited');
      // The next window starts afresh.
      const next = await inWindow('/paperkeyActivate', { license_key: key, fingerprint: FP }, { clock: window.resetAt + 1000 }, ip);
      assert.equal(next.status, 200, next.text);
      assert.equal(next.headers.get('x-ratelimit-remaining'), '9');
    }
  });

  it('answers license_rate_limited past 30 validations a minute per licence', async () => {
    const key = await license();
    const window = privateWindow(60);
    const ip = randomIp();
    const replies = [];
    for (let i = 0; i < 31; i++) replies.push(await inWindow('/paperkeyValidate', { license_key: key }, window, ip));
    assert.deepEqual(replies.map((r) => r.status), [...Array(30).fill(200), 429]);
    for (const r of replies) {
      assert.equal(r.headers.get('x-ratelimit-limit'), '30');
      assert.equal(r.headers.get('x-ratelimit-reset'), String(window.resetAt / 1000));
    }
    assertError(replies[30]!, 429, 'license_rate_limited');
    // Another licence, from the same IP in the same window, is not held back.
    const other = await inWindow('/paperkeyValidate', { license_key: await license() }, window, ip);
    assert.equal(other.status, 200, other.text);
  });

  it('answers rate_limit_exceeded past the per-IP limit', async () => {
    const window = privateWindow(60);
    const ip = randomIp();
    const replies = await inWaves(101, 8, () =>
      at('/paperkeyValidate', { license_key: `NOPE-${uid('k').toUpperCase()}` }, { base: BASE_URL, ip, headers: { ...bearer(), 'x-seatkey-clock': String(window.clock) } }),
    );
    const limited = replies.filter((r) => r.status === 429);
    assert.equal(limited.length, 1, replies.map((r) => r.status).join(','));
    assertError(limited[0]!, 429, 'rate_limit_exceeded');
    assert.equal(limited[0]!.headers.get('x-ratelimit-limit'), '100');
  });
});

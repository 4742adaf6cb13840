// Outbound webhook rules (domain/outbound.ts): Standard Webhooks signatures checked with the
// `standardwebhooks` package's own verify, secrets, rotation overlap, the retry schedule and
// what an attempt's answer does to its webhook.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { WEBHOOKS } from '../src/config.ts';
import { afterAttempt, deliveryBody, isWebhookSecret, newWebhookSecret, retryDelaySeconds, rotation, signatureHeaders, signingSecrets } from '../src/domain/outbound.ts';

const HOUR = 3_600_000;
const body = deliveryBody({
  id: 'evt_1',
  type: 'license.created',
  creatorId: 'acme',
  productId: 'app',
  licenseKey: 'ACME-AAAA-BBBB-CCCC-DD',
  data: { email: 'b@x.co' },
  createdAt: new Date('2026-05-14T09:30:00Z'),
});

describe('Standard Webhooks signatures', () => {
  it('verify with the standardwebhooks package, and only with the right secret and body', () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders({ secret }, 'evt_1', body, new Date());
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
    assert.throws(() => new Webhook(newWebhookSecret()).verify(body, headers), /No matching signature/);
    assert.throws(() => new Webhook(secret).verify(body.replace('b@x.co', 'c@x.co'), headers), /No matching signature/);
    assert.throws(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_2' }), /No matching signature/);
    assert.match(headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]{43}=$/);
    assert.equal(headers['webhook-id'], 'evt_1');
  });

  it('carry the attempt time, which receivers check against replays', () => {
    const secret = newWebhookSecret();
    const at = new Date(Date.now() - HOUR);
    const headers = signatureHeaders({ secret }, 'evt_1', body, at);
    assert.equal(headers['webhook-timestamp'], String(Math.floor(at.getTime() / 1000)));
    assert.throws(() => new Webhook(secret).verify(body, headers), /too old/);
  });

  it('keep X-Seatkey-Signature for receivers written before, keyed with the current secret', () => {
    const secret = newWebhookSecret();
    const headers = signatureHeaders({ secret, previousSecret: newWebhookSecret(), previousSecretExpiresAt: new Date(Date.now() + HOUR) }, 'evt_1', body, new Date());
    assert.equal(headers['x-seatkey-signature'], `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  });

  it('sign with a secret issued before Standard Webhooks (base64url) by its own bytes', () => {
    const legacy = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64url');
    const headers = signatureHeaders({ secret: legacy }, 'evt_1', body, new Date());
    const key = Buffer.from(legacy.slice(6), 'base64url');
    assert.doesNotThrow(() => new Webhook(key, { format: 'raw' }).verify(body, headers));
  });

  it('put the body in the layout Standard Webhooks recommends, beside the older names', () => {
    const parsed = JSON.parse(body);
    assert.deepEqual([parsed.type, parsed.timestamp, parsed.data], ['license.created', '2026-05-14T09:30:00.000Z', { email: 'b@x.co' }]);
    assert.deepEqual([parsed.event, parsed.createdAt, parsed.id], ['license.created', '2026-05-14T09:30:00.000Z', 'evt_1']);
  });
});

describe('webhook secrets', () => {
  it('are whsec_ and the base64 of 32 random bytes', () => {
    const a = newWebhookSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
    assert.notEqual(a, newWebhookSecret());
    assert.equal(isWebhookSecret(a), true);
  });

  it('a creator may bring one only in that form', () => {
    const of = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;
    assert.equal(isWebhookSecret(of(24)), true);
    assert.equal(isWebhookSecret(of(64)), true);
    for (const bad of [of(23), of(65), 'whsec_', 'nope', of(32).slice(6), `whsec_${Buffer.alloc(32, 7).toString('base64url')}`, `${of(32)} `]) {
      assert.equal(isWebhookSecret(bad), false, bad);
    }
  });
});

describe('secret rotation', () => {
  const now = new Date();

  it('signs with both secrets during the overlap, then with the new one only', () => {
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    const rotated = rotation({ secret: oldSecret }, newSecret, now, 24 * 3600);
    assert.deepEqual(rotated, { secret: newSecret, previousSecret: oldSecret, previousSecretExpiresAt: new Date(now.getTime() + 24 * HOUR) });
    assert.deepEqual(signingSecrets(rotated, new Date(now.getTime() + 24 * HOUR - 1)), [newSecret, oldSecret]);
    assert.deepEqual(signingSecrets(rotated, new Date(now.getTime() + 24 * HOUR)), [newSecret]);

    // Both verify, each with the standardwebhooks package, while both sign.
    const headers = signatureHeaders(rotated, 'evt_1', body, now);
    assert.equal(headers['webhook-signature']!.split(' ').length, 2);
    assert.doesNotThrow(() => new Webhook(oldSecret).verify(body, headers));
    assert.doesNotThrow(() => new Webhook(newSecret).verify(body, headers));
  });

  it('with no overlap, or rotating again, drops the secret replaced', () => {
    const [a, b, c] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
    assert.deepEqual(rotation({ secret: a }, b, now, 0), { secret: b, previousSecret: null, previousSecretExpiresAt: null });
    const twice = rotation(rotation({ secret: a }, b, now, 3600), c, now, 3600);
    assert.deepEqual(signingSecrets(twice, now), [c, b]);
  });

  it('treats webhooks from before rotation (no previous secret stored) as one secret', () => {
    const secret = newWebhookSecret();
    assert.deepEqual(signingSecrets({ secret }, now), [secret]);
  });
});

describe('retry schedule', () => {
  it('backs off over about three days, ten attempts in all', () => {
    const waits = Array.from({ length: 12 }, (_, i) => retryDelaySeconds(WEBHOOKS.retryScheduleSeconds, i + 1));
    assert.deepEqual(waits, [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 72_000, undefined, undefined, undefined]);
    const total = WEBHOOKS.retryScheduleSeconds.reduce((a, b) => a + b, 0) / 3600;
    assert.ok(total > 70 && total < 74, `${total} hours from the first attempt to the last`);
    assert.ok(WEBHOOKS.retryScheduleSeconds.every((s, i, all) => i === 0 || s >= all[i - 1]!), 'never sooner than the wait before');
    assert.equal(WEBHOOKS.retryScheduleSeconds.length + 1, WEBHOOKS.pauseAfterFailures, 'an event failing every attempt pauses its webhook');
  });
});

describe('what an attempt does to its webhook', () => {
  const active = { status: 'active' as const, pausedReason: null, consecutiveFailures: 3 };

  it('a 2xx clears the failures; anything else counts one', () => {
    for (const ok of [200, 202, 204, 299]) assert.deepEqual(afterAttempt(active, ok, 10), { ...active, consecutiveFailures: 0 });
    for (const bad of [null, 199, 301, 302, 400, 404, 429, 500, 503]) assert.deepEqual(afterAttempt(active, bad, 10), { ...active, consecutiveFailures: 4 }, String(bad));
  });

  it('410 Gone pauses at once', () => {
    assert.deepEqual(afterAttempt({ ...active, consecutiveFailures: 0 }, 410, 10), { status: 'paused', pausedReason: 'gone', consecutiveFailures: 1 });
  });

  it('the failure that reaches the limit pauses it, and a paused webhook stays paused', () => {
    assert.deepEqual(afterAttempt({ ...active, consecutiveFailures: 8 }, 500, 10), { ...active, consecutiveFailures: 9 });
    const paused = afterAttempt({ ...active, consecutiveFailures: 9 }, 500, 10);
    assert.deepEqual(paused, { status: 'paused', pausedReason: 'failures', consecutiveFailures: 10 });
    assert.deepEqual(afterAttempt(paused, 410, 10), { ...paused, consecutiveFailures: 11 });
    assert.deepEqual(afterAttempt({ status: 'paused', pausedReason: 'manual', consecutiveFailures: 0 }, 200, 10), { status: 'paused', pausedReason: 'manual', consecutiveFailures: 0 });
  });
});

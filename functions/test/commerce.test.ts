// Unit tests for commerce's pure logic: fees and totals buckets, payment effects, the buyer
// email, outbound signatures and which addresses a webhook may reach.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { isLoopbackAddress, isPublicAddress } from '../src/domain/address.ts';
import { composeBuyerMail } from '../src/domain/buyerMail.ts';
import { licenseDraft, threatLevelOf, type LicenseRecord } from '../src/domain/license.ts';
import { revokeLicense } from '../src/domain/licenseChanges.ts';
import { deliveryBody, signBody, subscribes } from '../src/domain/outbound.ts';
import { renewalPeriod, reversalAmount } from '../src/domain/payment.ts';
import { SeatkeyError } from '../src/domain/errors.ts';
import { orderTerm } from '../src/domain/license.ts';
import { bucketsCovering, bucketsOf, closedKeyRanges, countsOf, daysBetween, feeBasisPoints, feeCents, summarize, YEAR_KEYS } from '../src/domain/sales.ts';

const d = (s: string) => new Date(s);

describe('platform fee', () => {
  it('parses percentages into basis points and refuses anything else', () => {
    assert.equal(feeBasisPoints('5'), 500);
    assert.equal(feeBasisPoints('2.9'), 290);
    assert.equal(feeBasisPoints(' 0 '), 0);
    assert.equal(feeBasisPoints('100'), 10_000);
    for (const bad of ['', '-1', '5%', '2.999', '101', 'abc']) assert.throws(() => feeBasisPoints(bad), bad);
  });

  it('rounds half up to whole cents', () => {
    assert.equal(feeCents(1000, 500), 50);
    assert.equal(feeCents(1010, 500), 51, '50.5 rounds up');
    assert.equal(feeCents(1009, 500), 50, '50.45 rounds down');
    assert.equal(feeCents(999, 290), 29);
    assert.equal(feeCents(0, 500), 0);
  });
});

describe('totals buckets', () => {
  it('puts an instant in its UTC day, month and year', () => {
    assert.deepEqual(bucketsOf(d('2026-03-09T23:59:59Z')), ['d:2026-03-09', 'm:2026-03', 'y:2026']);
    assert.deepEqual(bucketsOf(d('2026-03-10T00:30:00+01:00')), ['d:2026-03-09', 'm:2026-03', 'y:2026']);
  });

  it('names the closed periods whose shards can be folded, from where a run stopped', () => {
    assert.deepEqual(closedKeyRanges(d('2026-03-09T12:00:00Z')), [
      { kind: 'd', from: 'd:', until: 'd:2026-03-09' },
      { kind: 'm', from: 'm:', until: 'm:2026-03' },
      { kind: 'y', from: 'y:', until: 'y:2026' },
    ]);
    assert.ok(bucketsOf(d('2026-03-08T23:59:59Z'))[0] < 'd:2026-03-09' && bucketsOf(d('2026-03-09T00:00:00Z'))[0] >= 'd:2026-03-09', 'the day before is in the range, the day itself not');
    assert.deepEqual(closedKeyRanges(d('2026-03-09T12:00:00Z'), { d: 'd:2026-03-09', m: 'm:2026-02', y: 'y:2026' }), [{ kind: 'm', from: 'm:2026-02', until: 'm:2026-03' }], 'nothing closed since: no range');
  });

  it('keeps every year bucket, and only those, in the all-time key range', () => {
    const inYears = (key: string) => key >= YEAR_KEYS.from && key < YEAR_KEYS.until;
    for (const at of ['0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '2026-12-31T23:59:59Z', '9999-12-31T23:59:59Z']) {
      assert.deepEqual(bucketsOf(d(at)).map(inYears), [false, false, true], at);
    }
  });

  it('covers a range with whole years, then months, then days', () => {
    assert.deepEqual(bucketsCovering(d('2026-05-14'), d('2026-05-14')), ['d:2026-05-14']);
    assert.deepEqual(bucketsCovering(d('2026-01-01'), d('2026-12-31')), ['y:2026']);
    assert.deepEqual(bucketsCovering(d('2026-02-01'), d('2026-02-28')), ['m:2026-02']);
    assert.deepEqual(bucketsCovering(d('2026-01-30'), d('2026-03-02')), ['d:2026-01-30', 'd:2026-01-31', 'm:2026-02', 'd:2026-03-01', 'd:2026-03-02']);
    const rolling = bucketsCovering(d('2025-11-15'), d('2026-11-14'));
    assert.equal(rolling.length, 16 + 1 + 10 + 14);
    assert.ok(bucketsCovering(d('2020-01-02'), d('2029-12-30')).length < 100, 'ten years stay bounded');
  });

  it('covers every day exactly once', () => {
    const from = d('2024-02-27');
    const to = d('2025-03-03');
    const days = new Set<string>();
    for (const key of bucketsCovering(from, to)) {
      const [kind, value] = key.split(':') as [string, string];
      for (let t = Date.parse(`${value}${kind === 'y' ? '-01-01' : kind === 'm' ? '-01' : ''}`); ; t += 86_400_000) {
        const day = new Date(t).toISOString().slice(0, 10);
        if (!day.startsWith(value)) break;
        assert.ok(!days.has(day), day);
        days.add(day);
        if (kind === 'd') break;
      }
    }
    assert.equal(days.size, daysBetween(from, to));
    assert.ok(days.has('2024-02-29') && days.has('2024-02-27') && days.has('2025-03-03') && !days.has('2025-03-04'));
  });

  it('adds buckets per currency and per product, never across currencies', () => {
    const s = summarize([
      { creatorId: 'c', productId: 'a', currency: 'USD', key: 'd:1', ...countsOf({ kind: 'purchase', amountCents: 1000, feeCents: 50 }) },
      { creatorId: 'c', productId: 'a', currency: 'EUR', key: 'd:1', ...countsOf({ kind: 'renewal', amountCents: 500, feeCents: 25 }) },
      { creatorId: 'c', productId: 'b', currency: 'USD', key: 'd:1', ...countsOf({ kind: 'refund', amountCents: 400, feeCents: 0 }) },
      { creatorId: 'c', productId: 'b', currency: null, key: 'd:1', licensesIssued: 3 },
    ]);
    assert.deepEqual(s.byCurrency.USD, { unitsSold: 1, renewals: 0, refunds: 1, grossCents: 1000, refundedCents: 400, platformFeeCents: 50, netCents: 550 });
    assert.deepEqual(s.byCurrency.EUR, { unitsSold: 0, renewals: 1, refunds: 0, grossCents: 500, refundedCents: 0, platformFeeCents: 25, netCents: 475 });
    assert.equal(s.currency, null, 'two currencies');
    assert.equal(s.totals.licensesIssued, 3);
    assert.deepEqual(s.byProduct.map((p) => [p.productId, p.currency, p.licensesIssued]), [['a', null, 0], ['b', 'USD', 3]]);
    assert.equal(summarize([]).currency, null);
  });

  it('never lets the platform fee go negative: a refund keeps the fee, in any range', () => {
    assert.deepEqual(countsOf({ kind: 'refund', amountCents: 2900, feeCents: 145 }), { refunds: 1, refundedCents: 2900 });
    assert.deepEqual(countsOf({ kind: 'chargeback', amountCents: 100, feeCents: 5 }), { refunds: 1, refundedCents: 100 });
    // A range holding only the refund day: the fee is 0, never below.
    const onlyRefund = summarize([{ creatorId: 'c', productId: 'a', currency: 'USD', key: 'd:2', ...countsOf({ kind: 'refund', amountCents: 2900, feeCents: 0 }) }]);
    assert.deepEqual(onlyRefund.byCurrency.USD, { unitsSold: 0, renewals: 0, refunds: 1, grossCents: 0, refundedCents: 2900, platformFeeCents: 0, netCents: -2900 });
    // netCents = gross - refunds - fee, at 5 % as at the default 0 %.
    for (const bp of [500, 0]) {
      const fee = feeCents(2900, bp);
      const s = summarize([
        { creatorId: 'c', productId: 'a', currency: 'USD', key: 'd:1', ...countsOf({ kind: 'purchase', amountCents: 2900, feeCents: fee }) },
        { creatorId: 'c', productId: 'a', currency: 'USD', key: 'd:1', ...countsOf({ kind: 'refund', amountCents: 1000, feeCents: 0 }) },
      ]);
      assert.equal(s.totals.netCents, 2900 - 1000 - fee);
      assert.equal(s.totals.platformFeeCents, fee);
    }
  });
});

const license = (over: Partial<LicenseRecord> = {}): LicenseRecord => ({
  ...licenseDraft(
    { creatorId: 'acme', productId: 'app', variant: null, email: 'a@b.co', licenseType: 'per-machine', maxMachines: 3, maxConcurrent: null, expiresAt: null },
    d('2026-01-01T00:00:00Z'),
  ),
  licenseKey: 'ACME-AAAA-BBBB-CCCC-DD',
  ...over,
});

describe('payment effects', () => {
  it('takes the purchase duration from durationDays, else trialDays, else a trial code', () => {
    assert.deepEqual(orderTerm({ duration: { value: 30, unit: 'days' }, trialDays: 7 }, 14), { duration: { value: 30, unit: 'days' }, trial: false });
    assert.deepEqual(orderTerm({ trialDays: 7 }, 14), { duration: { value: 7, unit: 'days' }, trial: true });
    assert.deepEqual(orderTerm({}, 14), { duration: { value: 14, unit: 'days' }, trial: true });
    assert.deepEqual(orderTerm({}), { trial: false });
  });

  it('renews from the later of now and the paid-until time', () => {
    const now = d('2026-06-01T00:00:00Z');
    const days30 = { value: 30, unit: 'days' as const };
    const ahead = renewalPeriod(undefined, d('2026-06-10T00:00:00Z'), now, days30);
    assert.deepEqual([ahead.repeat, ahead.period.start.toISOString(), ahead.period.end.toISOString()], [false, '2026-06-10T00:00:00.000Z', '2026-07-10T00:00:00.000Z']);
    const lapsed = renewalPeriod(undefined, d('2026-05-01T00:00:00Z'), now, days30);
    assert.equal(lapsed.period.end.toISOString(), '2026-07-01T00:00:00.000Z');
    assert.equal(renewalPeriod(undefined, null, now, days30).period.start.toISOString(), now.toISOString(), 'nothing paid yet: from now');
  });

  it("tells a provider's retry days later from the next renewal by the period it pays for", () => {
    const days30 = { value: 30, unit: 'days' as const };
    // Renewed on 31 May for June: the licence is now paid until 1 July.
    const first = renewalPeriod(undefined, d('2026-06-01T00:00:00Z'), d('2026-05-31T09:00:00Z'), days30);
    const paidUntil = first.period.end;
    // The provider retries the same renewal on 3 June, and again on 14 June: the same period.
    for (const retry of ['2026-06-03T00:00:00Z', '2026-06-14T00:00:00Z']) {
      const again = renewalPeriod(first.period, paidUntil, d(retry), days30);
      assert.deepEqual([again.repeat, again.period], [true, first.period], retry);
    }
    // The July renewal, a day early or a week late, pays for the next period.
    for (const next of ['2026-06-30T00:00:00Z', '2026-07-08T00:00:00Z']) {
      const july = renewalPeriod(first.period, paidUntil, d(next), days30);
      assert.equal(july.repeat, false, next);
      assert.ok(july.period.start.getTime() >= paidUntil.getTime());
    }
    assert.equal(renewalPeriod(first.period, paidUntil, d('2026-06-30T00:00:00Z'), days30).period.start.toISOString(), '2026-07-01T00:00:00.000Z');
  });

  it('gives back at most what is left of a purchase, in its currency', () => {
    const paid = { currency: 'USD', paidCents: 2900, refundedCents: 1000 };
    assert.equal(reversalAmount(paid, { amountCents: 1900, currency: 'USD' }), 1900, 'partial refunds add up to the amount');
    assert.equal(reversalAmount(paid, { amountCents: null, currency: null }), 1900, 'no amount: all that is left');
    const refused = (event: { amountCents: number | null; currency: string | null }, field: RegExp) =>
      assert.throws(() => reversalAmount(paid, event), (e: unknown) => e instanceof SeatkeyError && e.code === 'invalid_request' && field.test(e.message));
    refused({ amountCents: 1901, currency: 'USD' }, /^Invalid request: amount: 1901 .*1900 USD/);
    refused({ amountCents: 100, currency: 'EUR' }, /^Invalid request: currency: .*USD/);
    // An event that waited for its purchase was answered long ago: it is cut, not refused.
    assert.equal(reversalAmount(paid, { amountCents: 5000, currency: 'USD' }, true), 1900);
    assert.equal(reversalAmount(paid, { amountCents: 100, currency: 'EUR' }, true), 0);
  });

  it('revokes at threat level 4 with the dispute reason, keeping the first revocation time', () => {
    const now = d('2026-02-01T00:00:00Z');
    const refunded = revokeLicense(license(), 'refund', now);
    assert.equal(threatLevelOf(refunded), 4);
    assert.equal(refunded.disputeReason, 'refund');
    assert.equal(refunded.revokedAt?.toISOString(), now.toISOString());
    const disputed = revokeLicense(refunded, 'chargeback', d('2026-03-01T00:00:00Z'));
    assert.equal(disputed.disputeReason, 'chargeback');
    assert.equal(disputed.revokedAt?.toISOString(), now.toISOString());
  });
});

describe('buyer email', () => {
  it('carries the key, how to activate, seats and term, with the product template', () => {
    const mail = composeBuyerMail(license({ expiresAt: d('2026-12-31T00:00:00Z'), trial: true }), { name: 'Tiny <App>', emailSubject: 'Your {product} key' });
    assert.equal(mail.subject, 'Your Tiny <App> key');
    assert.match(mail.text, /ACME-AAAA-BBBB-CCCC-DD/);
    assert.match(mail.text, /Activate licence/);
    assert.match(mail.text, /up to 3 machines/);
    assert.match(mail.text, /trial licence; it ends on 31 December 2026/);
    assert.match(mail.html, /<code>ACME-AAAA-BBBB-CCCC-DD<\/code>/);
    assert.match(mail.html, /Tiny &lt;App&gt;/, 'HTML is escaped');
    assert.doesNotMatch(mail.html, /<App>/);
    const plain = composeBuyerMail(license({ licenseType: 'site', maxMachines: -1 }), { name: 'X', emailInstructions: 'Run x --activate KEY.' });
    assert.equal(plain.subject, 'Your licence key for X');
    assert.match(plain.text, /Run x --activate KEY\./);
    assert.match(plain.text, /site licence/);
    assert.match(plain.text, /does not expire/);
  });
});

describe('outbound webhooks', () => {
  it('signs the raw body with HMAC-SHA-256', () => {
    const body = deliveryBody({ id: 'evt_1', type: 'license.created', creatorId: 'c', productId: 'p', licenseKey: 'K', data: { a: 1 }, createdAt: d('2026-01-01T00:00:00Z') });
    assert.deepEqual(JSON.parse(body), {
      id: 'evt_1',
      type: 'license.created',
      event: 'license.created',
      timestamp: '2026-01-01T00:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
      creatorId: 'c',
      productId: 'p',
      licenseKey: 'K',
      data: { a: 1 },
    });
    assert.equal(signBody('whsec_x', body), `sha256=${createHmac('sha256', 'whsec_x').update(body).digest('hex')}`);
    assert.notEqual(signBody('whsec_y', body), signBody('whsec_x', body));
  });

  it('matches events by type and product', () => {
    const e = { type: 'license.created' as const, productId: 'p' };
    assert.equal(subscribes({ events: [], productId: null }, e), true);
    assert.equal(subscribes({ events: ['license.revoked'], productId: null }, e), false);
    assert.equal(subscribes({ events: ['license.created'], productId: 'q' }, e), false);
    assert.equal(subscribes({ events: ['license.created'], productId: 'p' }, e), true);
  });

  it('reaches public addresses only', () => {
    for (const ip of ['8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPublicAddress(ip), true, ip);
    const blocked = ['10.1.2.3', '172.16.0.1', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '2002:c0a8:0101::1', '64:ff9b::10.0.0.1', 'ff02::1', 'example.com'];
    for (const ip of blocked) assert.equal(isPublicAddress(ip), false, ip);
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(ip), true, ip);
    for (const ip of ['10.0.0.1', '8.8.8.8', 'fe80::1']) assert.equal(isLoopbackAddress(ip), false, ip);
  });
});

// domain/limits.ts and the address rate limits count by (http/request.ts): the documented numbers
// of limits that fit the licence, written here as the docs state them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LEASE_RENEWALS, LICENSE_LIMITS } from '../src/config.ts';
import { rateLimitHeaders, renewalLimit, renewLease, scaledLimit, verdictOf, windowAt } from '../src/domain/limits.ts';
import type { Request } from 'firebase-functions/v2/https';
import { clientIp, limitSubject } from '../src/http/request.ts';

const licence = (licenseType: 'per-machine' | 'floating' | 'site', maxMachines: number, maxConcurrent: number | null = null) => ({ licenseType, maxMachines, maxConcurrent });

describe('limits that fit the licence', () => {
  it('activate: 15 an hour, or twice the seats where that is more; site and unlimited licences: none', () => {
    const activate = (l: ReturnType<typeof licence> | undefined) => scaledLimit(LICENSE_LIMITS.activate, l);
    assert.equal(LICENSE_LIMITS.activate.windowSeconds, 3600);
    assert.equal(activate(undefined), 15, 'a key that names no licence');
    assert.equal(activate(licence('per-machine', 1)), 15);
    assert.equal(activate(licence('per-machine', 7)), 15);
    assert.equal(activate(licence('per-machine', 8)), 16);
    assert.equal(activate(licence('per-machine', 500)), 1000);
    assert.equal(activate(licence('floating', 1, 300)), 600, 'floating: twice maxConcurrent');
    assert.equal(activate(licence('site', -1)), null);
    assert.equal(activate(licence('site', 5)), null, 'site licences take no seat');
    assert.equal(activate(licence('per-machine', -1)), null);
  });

  it('deactivate: 10 an hour per licence; floating licences twice their seats where that is more', () => {
    const deactivate = (l: ReturnType<typeof licence> | undefined) => scaledLimit(LICENSE_LIMITS.deactivate, l);
    assert.equal(LICENSE_LIMITS.deactivate.windowSeconds, 3600);
    assert.equal(deactivate(undefined), 10);
    assert.equal(deactivate(licence('per-machine', 1)), 10);
    assert.equal(deactivate(licence('per-machine', 500)), 10, 'per-machine licences do not scale');
    assert.equal(deactivate(licence('floating', 1, 3)), 10);
    assert.equal(deactivate(licence('floating', 1, 8)), 16);
    assert.equal(deactivate(licence('site', -1)), null);
  });

  it("Paperkey's routes: 10 an hour per licence, whatever its type and seats", () => {
    const paperkey = (l: ReturnType<typeof licence> | undefined) => scaledLimit(LICENSE_LIMITS.paperkey, l);
    assert.equal(LICENSE_LIMITS.paperkey.windowSeconds, 3600);
    for (const l of [undefined, licence('per-machine', 1), licence('per-machine', 500), licence('floating', 1, 300), licence('site', -1), licence('per-machine', -1)]) assert.equal(paperkey(l), 10, JSON.stringify(l));
  });

  it('lease renewals: twice what the heartbeat interval needs in a minute (2 at 300 s, 10 at 30 s)', () => {
    assert.equal(renewalLimit(LEASE_RENEWALS, 300), 2);
    assert.equal(renewalLimit(LEASE_RENEWALS, 120), 4, 'every 60 s: at most 2 in a clock minute');
    assert.equal(renewalLimit(LEASE_RENEWALS, 60), 6);
    assert.equal(renewalLimit(LEASE_RENEWALS, 30), 10);
    assert.equal(renewalLimit(LEASE_RENEWALS, 86_400), 2);
  });

  it('counts renewals per clock-aligned minute on the lease and starts again in the next', () => {
    const t = Date.UTC(2030, 0, 1, 12, 0, 10);
    const one = renewLease(undefined, t, 300, LEASE_RENEWALS);
    assert.deepEqual(one.renewals, { window: Date.UTC(2030, 0, 1, 12, 0, 0), count: 1 });
    assert.deepEqual(one.result, { allowed: true, limit: 2, remaining: 1, resetAt: Date.UTC(2030, 0, 1, 12, 1, 0) });
    const two = renewLease(one.renewals, t + 20_000, 300, LEASE_RENEWALS);
    assert.equal(two.result.allowed, true);
    const three = renewLease(two.renewals, t + 40_000, 300, LEASE_RENEWALS);
    assert.equal(three.result.allowed, false);
    assert.equal(three.result.remaining, 0);
    const next = renewLease(two.renewals, t + 50_000, 300, LEASE_RENEWALS);
    assert.deepEqual([next.renewals.count, next.result.allowed], [1, true], 'a new minute');
  });

  it('says when a window ends and what a refusal carries', () => {
    assert.deepEqual(windowAt(3_599_999, 3600), { start: 0, resetAt: 3_600_000 });
    assert.deepEqual(windowAt(3_600_000, 3600), { start: 3_600_000, resetAt: 7_200_000 });
    assert.deepEqual(rateLimitHeaders(verdictOf(16, 15, 3_600_000), 3_590_500), {
      'X-RateLimit-Limit': '15',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '3600',
      'Retry-After': '10',
    });
    assert.deepEqual(rateLimitHeaders(verdictOf(3, 15, 3_600_000), 0), { 'X-RateLimit-Limit': '15', 'X-RateLimit-Remaining': '12', 'X-RateLimit-Reset': '3600' });
  });
});

describe('the address a client is counted by', () => {
  it('is an IPv4 address as it is, an IPv4-mapped one as IPv4, and an IPv6 one as its /64', () => {
    assert.equal(limitSubject('203.0.113.7'), '203.0.113.7');
    assert.equal(limitSubject('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(limitSubject('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(limitSubject('2001:DB8:1:2:ffff::1'), '2001:db8:1:2::/64');
    assert.equal(limitSubject('2001:db8:1:3::1'), '2001:db8:1:3::/64');
    assert.equal(limitSubject('fe80::1%eth0'), 'fe80::/64');
    assert.equal(limitSubject('unknown'), 'unknown');
  });
});

describe('the client address', () => {
  const req = (headers: Record<string, string>) => ({ headers, socket: { remoteAddress: '10.9.9.9' } }) as unknown as Request;

  it('is the right-most X-Forwarded-For entry by default, else the peer', () => {
    assert.equal(clientIp(req({ 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }), ''), '203.0.113.7');
    assert.equal(clientIp(req({ 'x-forwarded-for': '203.0.113.7' }), ''), '203.0.113.7');
    assert.equal(clientIp(req({}), ''), '10.9.9.9');
    assert.equal(clientIp(req({ 'fastly-client-ip': '192.0.2.55', 'x-forwarded-for': '203.0.113.7' }), ''), '203.0.113.7', 'no header is trusted unless configured');
  });

  it('is the configured header when a proxy writes one (CLIENT_IP_HEADER), else X-Forwarded-For', () => {
    const behindHosting = req({ 'fastly-client-ip': '2001:db8:aa:bb::5', 'x-forwarded-for': '151.101.1.1' });
    assert.equal(clientIp(behindHosting, 'Fastly-Client-IP'), '2001:db8:aa:bb::/64');
    assert.equal(clientIp(req({ 'x-forwarded-for': '151.101.1.1' }), 'fastly-client-ip'), '151.101.1.1');
  });
});

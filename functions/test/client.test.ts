// Unit tests for client licensing's pure rules: threat detection and escalation, client access,
// token lifetimes and refresh, and which signing keys the JWKS publishes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coversProduct, heartbeatEvery, refusalOf, seatsOf, warningOf } from '../src/domain/access.ts';
import { licenseDraft, type LicenseRecord } from '../src/domain/license.ts';
import {
  ACTIVITY_MAX_ATTEMPTS,
  DEFAULT_THRESHOLDS,
  detect,
  emptyActivity,
  escalated,
  flag,
  thresholdsOf,
  watched,
  withAttempt,
  type ActivationActivity,
  type ViolationThresholds,
} from '../src/domain/threats.ts';
import { publishable } from '../src/tokens/jwks.ts';
import { inForce } from '../src/tokens/keys.ts';
import { DEGRADED_TOKEN_TTL_SECONDS, tokenExpiry, tokenTtlSeconds } from '../src/tokens/session.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function license(overrides: Partial<LicenseRecord> = {}): LicenseRecord {
  const draft = licenseDraft({ creatorId: 'acme', productId: 'app', variant: null, email: 'a@b.co', licenseType: 'per-machine', maxMachines: 2, maxConcurrent: null, expiresAt: null }, NOW);
  return { ...draft, licenseKey: 'ACME-0000-0000-0000-00', ...overrides };
}

const onlyRule = (d: keyof ViolationThresholds, count: number, windowMinutes = 60): ViolationThresholds => ({
  overLimitAttempts: null,
  machineChurn: null,
  rapidActivations: null,
  [d]: { count, windowMinutes, severity: 2 },
});

const activity = (...attempts: [string, number, 'seated' | 'refused'][]): ActivationActivity => ({
  attempts: attempts.map(([fp, ago, outcome]) => ({ fp, at: minutesAgo(ago), outcome })),
  flaggedAt: {},
});

describe('threat detection', () => {
  it('counts refused attempts within the window', () => {
    const t = onlyRule('overLimitAttempts', 3);
    assert.equal(detect(activity(['a', 1, 'refused'], ['a', 2, 'refused'], ['b', 90, 'refused']), 2, t, NOW).length, 0, 'one is outside the hour');
    const found = detect(activity(['a', 1, 'refused'], ['a', 2, 'refused'], ['b', 3, 'refused'], ['c', 4, 'seated']), 2, t, NOW);
    assert.deepEqual(found, [{ detector: 'overLimitAttempts', details: { refusedAttempts: 3, seatLimit: 2, windowMinutes: 60, threshold: 3 } }]);
  });

  it('counts distinct seated machines beyond the seat limit for churn', () => {
    const t = onlyRule('machineChurn', 2);
    const seatedThree = activity(['a', 1, 'seated'], ['b', 2, 'seated'], ['c', 3, 'seated'], ['c', 4, 'seated'], ['d', 5, 'refused']);
    assert.equal(detect(seatedThree, 2, t, NOW).length, 0, '3 distinct seated on 2 seats is 1 beyond');
    assert.equal(detect(seatedThree, 1, t, NOW)[0]?.detector, 'machineChurn');
  });

  it('counts every distinct machine trying, seated or not, for rapid activations', () => {
    const t = onlyRule('rapidActivations', 2, 10);
    assert.equal(detect(activity(['a', 1, 'seated'], ['b', 2, 'refused'], ['c', 3, 'refused']), 1, t, NOW).length, 1);
    assert.equal(detect(activity(['a', 1, 'seated'], ['b', 2, 'refused'], ['c', 30, 'refused']), 1, t, NOW).length, 0);
  });

  it('counts only attempts after a detector last flagged', () => {
    const t = onlyRule('overLimitAttempts', 2);
    const a = activity(['a', 5, 'refused'], ['a', 4, 'refused'], ['a', 1, 'refused']);
    assert.equal(detect(a, 1, t, NOW).length, 1);
    assert.equal(detect({ ...a, flaggedAt: { overLimitAttempts: minutesAgo(4) } }, 1, t, NOW).length, 0);
  });

  it('keeps attempts within the longest enabled window, at most a fixed number', () => {
    const t = onlyRule('rapidActivations', 2, 10);
    const kept = withAttempt(activity(['a', 30, 'seated'], ['b', 5, 'seated']), { fp: 'c', at: NOW, outcome: 'refused' }, t);
    assert.deepEqual(kept.attempts.map((x) => x.fp), ['b', 'c']);
    let many = emptyActivity();
    for (let i = 0; i < ACTIVITY_MAX_ATTEMPTS + 10; i++) many = withAttempt(many, { fp: `m${i}`, at: NOW, outcome: 'refused' }, DEFAULT_THRESHOLDS);
    assert.equal(many.attempts.length, ACTIVITY_MAX_ATTEMPTS);
    assert.equal(many.attempts.at(-1)?.fp, `m${ACTIVITY_MAX_ATTEMPTS + 9}`);
  });

  it('escalates a violation on a licence that already has unresolved ones', () => {
    assert.equal(escalated(0, 1), 1);
    assert.equal(escalated(0, 2), 2);
    assert.equal(escalated(1, 1), 2);
    assert.equal(escalated(2, 1), 3);
    assert.equal(escalated(3, 2), 3);
    assert.equal(escalated(1, 3), 3);
  });

  it('flags findings into violations and raises the licence level', () => {
    const t = DEFAULT_THRESHOLDS;
    const findings = [
      { detector: 'overLimitAttempts' as const, details: { x: 1 } },
      { detector: 'rapidActivations' as const, details: { y: 2 } },
    ];
    const out = flag(license(), emptyActivity(), findings, t, NOW);
    assert.deepEqual(out.violations.map((v) => [v.type, v.severity]), [['activation_attempts_over_limit', 1], ['rapid_activations', 2]]);
    assert.equal(out.license.violationLevel, 2);
    assert.equal(out.license.unresolvedViolationsCount, 2);
    assert.deepEqual(out.activity.flaggedAt, { overLimitAttempts: NOW, rapidActivations: NOW });
    assert.ok(out.violations.every((v) => v.id.startsWith('vio_') && !v.resolved && v.detectedAt === NOW));
  });

  it('watches only per-machine licences with a seat limit', () => {
    assert.equal(watched(license()), true);
    assert.equal(watched(license({ maxMachines: -1 })), false);
    assert.equal(watched(license({ licenseType: 'site', maxMachines: -1 })), false);
    assert.equal(watched(license({ licenseType: 'floating', maxConcurrent: 2 })), false);
  });

  it('fills in defaults for thresholds a product does not set, and keeps nulls', () => {
    const t = thresholdsOf({ machineChurn: null });
    assert.equal(t.machineChurn, null);
    assert.deepEqual(t.overLimitAttempts, DEFAULT_THRESHOLDS.overLimitAttempts);
    assert.deepEqual(thresholdsOf(null), DEFAULT_THRESHOLDS);
  });
});

describe('client access', () => {
  it('refuses by product, then revocation, suspension and expiry', () => {
    assert.equal(refusalOf(license(), NOW), undefined);
    assert.equal(refusalOf(license(), NOW, 'other')?.code, 'wrong_product');
    assert.equal(refusalOf(license({ unlockedProducts: ['other'] }), NOW, 'other'), undefined);
    assert.equal(refusalOf(license({ revoked: true }), NOW)?.code, 'revoked');
    assert.equal(refusalOf(license({ violationLevel: 3 }), NOW)?.code, 'suspended');
    assert.equal(refusalOf(license({ adminStatus: 'suspended', expiresAt: minutesAgo(1) }), NOW)?.code, 'suspended');
    assert.equal(refusalOf(license({ expiresAt: minutesAgo(1) }), NOW)?.code, 'expired');
    assert.equal(refusalOf(license({ violationLevel: 2 }), NOW), undefined, 'degraded still works');
    assert.equal(coversProduct(license(), 'app'), true);
  });

  it('warns only on degraded licences', () => {
    assert.deepEqual(warningOf(license(), NOW), {});
    assert.ok(warningOf(license({ adminStatus: 'degraded' }), NOW).warning);
    assert.ok(warningOf(license({ violationLevel: 2 }), NOW).warning);
  });

  it('reports the seat limit that applies', () => {
    assert.deepEqual(seatsOf(license({ machinesUsed: 1 })), { machinesUsed: 1, maxMachines: 2 });
    assert.deepEqual(seatsOf(license({ licenseType: 'floating', maxConcurrent: 5 })).maxMachines, 5);
    assert.deepEqual(seatsOf(license({ licenseType: 'site', maxMachines: -1 })).maxMachines, -1);
  });

  it('asks floating clients to renew at half the lease', () => {
    assert.equal(heartbeatEvery(300), 150);
    assert.equal(heartbeatEvery(1), 1);
  });
});

describe('token lifetimes', () => {
  const settings = { tokenTtlDays: 30, heartbeatIntervalSeconds: 300, thresholds: DEFAULT_THRESHOLDS, requirePublishableKey: false, creatorId: 'c' };
  const at = (s: number) => Math.floor(NOW.getTime() / 1000) + s;

  it('lasts the product TTL, or a day on a degraded licence', () => {
    assert.equal(tokenTtlSeconds(license(), settings, NOW), 30 * 86_400);
    assert.equal(tokenTtlSeconds(license({ violationLevel: 2 }), settings, NOW), DEGRADED_TOKEN_TTL_SECONDS);
  });

  it('never outlives the licence: a 14-day trial activated on day 13 gets a token ending on day 14', () => {
    const ttl = 30 * 86_400;
    assert.equal(tokenExpiry(license(), ttl, NOW), at(ttl), 'perpetual: the TTL');
    const trialEnds = new Date(NOW.getTime() + 86_400_000);
    assert.equal(tokenExpiry(license({ expiresAt: trialEnds }), ttl, NOW), Math.floor(trialEnds.getTime() / 1000));
    assert.equal(tokenExpiry(license({ expiresAt: new Date(NOW.getTime() + 90 * 86_400_000) }), ttl, NOW), at(ttl), 'a later expiry: the TTL');
  });
});

describe('JWKS publication', () => {
  const key = (kid: string, signedUntilDays: number | undefined, revoked = false) => ({
    kid,
    jwk: { kty: 'OKP' as const, crv: 'Ed25519' as const, kid, x: kid, alg: 'EdDSA' as const, use: 'sig' as const },
    registeredAt: new Date(NOW.getTime() - 400 * 86_400_000),
    ...(signedUntilDays === undefined ? {} : { signedUntil: new Date(NOW.getTime() + signedUntilDays * 86_400_000) }),
    revokedAt: revoked ? NOW : null,
  });
  const kids = (records: ReturnType<typeof key>[], current: string) => publishable(records, key(current, 1).jwk, NOW).map((k) => k.kid);

  it('publishes a retired key until the last token it signed has expired, whatever other keys exist', () => {
    assert.deepEqual(kids([key('a', -1), key('b', 3), key('c', 30)], 'c'), ['b', 'c']);
    assert.deepEqual(kids([key('b', 3)], 'c'), ['b', 'c'], 'the current key before it signed anything');
    assert.equal(inForce(key('b', 0.001), NOW), true);
    assert.equal(inForce(key('b', 0), NOW), false, 'gone the moment its last token expires');
    assert.equal(inForce(key('legacy', undefined), NOW), true, 'a record from before signedUntil was kept: until revoked');
  });

  it('never publishes a revoked key, not even the current one', () => {
    assert.deepEqual(kids([key('a', 30, true), key('b', 30)], 'b'), ['b']);
    assert.deepEqual(kids([key('a', 30, true)], 'a'), []);
    assert.equal(inForce(key('a', 30, true), NOW), false);
  });

  it("always publishes this instance's own key while it is not revoked (a rollback)", () => {
    assert.deepEqual(kids([key('a', -100), key('b', 30)], 'a'), ['a', 'b']);
  });
});

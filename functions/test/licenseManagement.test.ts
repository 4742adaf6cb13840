// Unit tests for licence management's pure rules: admin edits, revocation, violations, codes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { beyondLimit, codeKey, codeTerms, trialProductOf, type CodeRecord } from '../src/domain/code.ts';
import { SeatkeyError } from '../src/domain/errors.ts';
import { baseStatusOf, licenseDraft, statusAt, threatLevelOf, type LicenseRecord } from '../src/domain/license.ts';
import { editLicense, needsReinstating, reinstateLicense, revokeLicense, withViolations } from '../src/domain/licenseChanges.ts';
import { generateLicenseKey, keyPrefixOf } from '../src/domain/licenseKey.ts';

const t0 = new Date('2026-03-01T00:00:00Z');
const later = new Date('2026-03-02T00:00:00Z');

function aLicense(over: Partial<LicenseRecord> = {}): LicenseRecord {
  const draft = licenseDraft(
    { creatorId: 'acme', productId: 'app', variant: null, email: 'a@b.co', licenseType: 'per-machine', maxMachines: 3, maxConcurrent: null, expiresAt: null },
    t0,
  );
  return { ...draft, licenseKey: generateLicenseKey('ACME'), ...over };
}

const badRequest = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof SeatkeyError && e.code === 'invalid_request' && message.test(e.message));

describe('licenseDraft', () => {
  it('starts clean: no seats, active, no violations, not a trial', () => {
    const l = aLicense();
    assert.equal(l.machinesUsed, 0);
    assert.equal(statusAt(l, t0), 'active');
    assert.equal(threatLevelOf(l), 0);
    assert.equal(l.trial, false);
    assert.deepEqual([l.purchaseId, l.discountCode, l.bundleId], [null, null, null]);
    assert.deepEqual(l.metadata, {});
  });
});

describe('editLicense', () => {
  it('changes only what the edit names, and lists what changed', () => {
    const l = aLicense();
    const { license, changed } = editLicense(l, { maxMachines: 5, status: 'suspended', email: 'a@b.co' }, later, 1);
    assert.deepEqual(changed.sort(), ['maxMachines', 'status']);
    assert.equal(license.maxMachines, 5);
    assert.equal(license.adminStatus, 'suspended');
    assert.equal(baseStatusOf(license), 'suspended');
    assert.equal(license.updatedAt, later);
    assert.equal(license.createdAt, t0);
  });

  it('returns the same licence when nothing changes', () => {
    const l = aLicense({ expiresAt: later, metadata: { a: 1 } });
    const { license, changed } = editLicense(l, { expiresAt: new Date(later), metadata: { a: 1 }, maxMachines: 3 }, later, 1);
    assert.deepEqual(changed, []);
    assert.equal(license, l);
  });

  it('clears the expiry with null', () => {
    const { license, changed } = editLicense(aLicense({ expiresAt: later }), { expiresAt: null }, later, 1);
    assert.equal(license.expiresAt, null);
    assert.deepEqual(changed, ['expiresAt']);
  });

  it('gives a licence switched to floating a maxConcurrent, and takes it from other types', () => {
    const floating = editLicense(aLicense(), { licenseType: 'floating' }, later, 4).license;
    assert.equal(floating.maxConcurrent, 4);
    assert.equal(editLicense(aLicense(), { licenseType: 'floating', maxConcurrent: 2 }, later, 4).license.maxConcurrent, 2);
    const perMachine = editLicense(floating, { licenseType: 'per-machine' }, later, 4).license;
    assert.equal(perMachine.maxConcurrent, null);
    assert.equal(perMachine.maxMachines, 4, "a floating licence's seats become its machines");
    assert.equal(editLicense(floating, { licenseType: 'per-machine', maxMachines: 2 }, later, 4).license.maxMachines, 2);
    badRequest(() => editLicense(aLicense(), { maxConcurrent: 2 }, later, 1), /floating/);
  });

  it('makes a licence switched to site unlimited unless maxMachines is given', () => {
    assert.equal(editLicense(aLicense(), { licenseType: 'site' }, later, 1).license.maxMachines, -1);
    assert.equal(editLicense(aLicense(), { licenseType: 'site', maxMachines: 10 }, later, 1).license.maxMachines, 10);
  });
});

describe('revoke and reinstate', () => {
  it('revokes with a reason; refunds and chargebacks are disputes', () => {
    const manual = revokeLicense(aLicense(), 'manual', later);
    assert.equal(statusAt(manual, later), 'revoked');
    assert.equal(threatLevelOf(manual), 4);
    assert.equal(manual.revokedAt, later);
    assert.equal(manual.disputeReason, null);
    assert.equal(revokeLicense(aLicense(), 'chargeback', later).disputeReason, 'chargeback');
    const again = revokeLicense(manual, 'refund', new Date(later.getTime() + 1000));
    assert.equal(again.revokedAt, later, 'revoked since the first time');
    assert.equal(again.disputeReason, 'refund');
  });

  it('reinstates a revoked or suspended licence to active: violations resolved, threat level 0', () => {
    const violations = [{ severity: 2 as const, resolved: false }, { severity: 3 as const, resolved: false }, { severity: 1 as const, resolved: true }];
    const revoked = revokeLicense(aLicense({ violationLevel: 3, unresolvedViolationsCount: 2 }), 'refund', later);
    const suspended = aLicense({ adminStatus: 'suspended' });
    for (const before of [revoked, suspended, aLicense({ violationLevel: 3, unresolvedViolationsCount: 2 })]) {
      assert.equal(needsReinstating(before), true);
      const back = reinstateLicense(before, violations, later);
      assert.deepEqual([back.revoked, back.revokeReason, back.disputeReason, back.adminStatus], [false, null, null, 'active']);
      assert.deepEqual([back.violationLevel, back.unresolvedViolationsCount, threatLevelOf(back), statusAt(back, later)], [0, 0, 0, 'active']);
    }
    assert.equal(needsReinstating(aLicense()), false, 'an active, clean licence is left alone');
    const expired = reinstateLicense(revokeLicense(aLicense({ expiresAt: t0 }), 'manual', later), [], later);
    assert.equal(statusAt(expired, later), 'expired', 'expiry is untouched');
  });
});

describe('withViolations', () => {
  it('recomputes the level and count from the unresolved violations', () => {
    const l = aLicense({ violationLevel: 3, unresolvedViolationsCount: 3 });
    const next = withViolations(l, [{ severity: 3, resolved: true }, { severity: 2, resolved: false }, { severity: 1, resolved: false }], later);
    assert.equal(next.violationLevel, 2);
    assert.equal(next.unresolvedViolationsCount, 2);
    assert.equal(baseStatusOf(next), 'degraded');
    assert.equal(withViolations(l, [{ severity: 3, resolved: true }], later).violationLevel, 0);
  });
});

describe('codes', () => {
  const trial: CodeRecord = {
    code: 'Launch',
    creatorId: 'acme',
    productId: null,
    type: 'trial',
    trialDays: 14,
    percentOff: null,
    amountOffCents: null,
    maxUses: 5,
    usedCount: 0,
    active: true,
    expiresAt: null,
    createdAt: t0,
    updatedAt: t0,
  };

  it('keeps only the amount of the code type, with 14 trial days by default', () => {
    assert.deepEqual(codeTerms({ type: 'trial', percentOff: 10 }), { type: 'trial', trialDays: 14, percentOff: null, amountOffCents: null });
    assert.deepEqual(codeTerms({ type: 'percent', percentOff: 10, trialDays: 3 }), { type: 'percent', trialDays: null, percentOff: 10, amountOffCents: null });
    assert.deepEqual(codeTerms({ type: 'fixed', amountOffCents: 99 }), { type: 'fixed', trialDays: null, percentOff: null, amountOffCents: 99 });
    badRequest(() => codeTerms({ type: 'percent' }), /percentOff/);
    badRequest(() => codeTerms({ type: 'fixed', amountOffCents: null }), /amountOffCents/);
  });

  it('matches codes without regard to case', () => {
    assert.equal(codeKey('launch'), codeKey('LAUNCH'));
  });

  it('redeems a trial code for its product, or any named product when it has none', () => {
    assert.equal(trialProductOf({ ...trial, productId: 'app' }, undefined, later), 'app');
    assert.equal(trialProductOf({ ...trial, productId: 'app' }, 'app', later), 'app');
    assert.equal(trialProductOf(trial, 'other', later), 'other');
    badRequest(() => trialProductOf(trial, undefined, later), /productId is required/);
    badRequest(() => trialProductOf({ ...trial, productId: 'app' }, 'other', later), /not for product other/);
    badRequest(() => trialProductOf({ ...trial, active: false }, 'app', later), /not active/);
    badRequest(() => trialProductOf({ ...trial, expiresAt: later }, 'app', later), /expired/);
    badRequest(() => trialProductOf({ ...trial, type: 'percent' }, 'app', later), /not a trial code/);
  });

  it('counts uses against maxUses, with -1 unlimited', () => {
    assert.equal(beyondLimit(trial, 5), false);
    assert.equal(beyondLimit(trial, 6), true);
    assert.equal(beyondLimit({ maxUses: -1 }, 1_000_000), false);
  });
});

describe('keyPrefixOf', () => {
  it("is the creator prefix a key was drawn with", () => {
    assert.equal(keyPrefixOf(generateLicenseKey('ACMESTUD')), 'ACMESTUD');
  });
});

// Unit tests for the pure rules behind issue 12's lifecycle: the transfer limit
// (domain/transfers.ts), grace after expiry and expiry reminders (domain/license.ts), permanent
// deactivation (domain/licenseChanges.ts, domain/access.ts), the buyer email's kinds
// (domain/buyerMail.ts) and the token's end (tokens/session.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { refusalOf, warningOf } from '../src/domain/access.ts';
import { composeBuyerMail } from '../src/domain/buyerMail.ts';
import { SeatkeyError } from '../src/domain/errors.ts';
import { dueForReminder, endsAt, licenseDraft, statusAt, type LicenseRecord } from '../src/domain/license.ts';
import { assertChangeable, deactivateLicense, editLicense, reinstateLicense } from '../src/domain/licenseChanges.ts';
import { TRANSFER_WINDOW_MS, transfersWithin, withTransfer } from '../src/domain/transfers.ts';
import { tokenExpiry } from '../src/tokens/session.ts';

const d = (s: string) => new Date(s);
const DAY = 86_400_000;
const now = d('2026-06-01T00:00:00Z');
const license = (over: Partial<LicenseRecord> = {}): LicenseRecord => ({
  ...licenseDraft({ creatorId: 'acme', productId: 'app', variant: null, email: 'a@b.co', licenseType: 'per-machine', maxMachines: 3, maxConcurrent: null, expiresAt: null }, d('2026-01-01T00:00:00Z')),
  licenseKey: 'ACME-AAAA-BBBB-CCCC-DD',
  ...over,
});

describe('transfer limit', () => {
  it('admits maxTransfers in 30 days, then refuses with 429 transfer_limit and a Retry-After until the oldest leaves', () => {
    let l = license({ maxTransfers: 2 });
    l = withTransfer(l, new Date(now.getTime() - 10 * DAY));
    l = withTransfer(l, now);
    assert.equal(transfersWithin(l, now).length, 2);
    const e = (() => {
      try {
        withTransfer(l, now);
      } catch (x) {
        return x;
      }
    })();
    assert.ok(e instanceof SeatkeyError);
    assert.equal(e.code, 'transfer_limit');
    assert.equal(e.headers['Retry-After'], String(20 * 86_400));
    // Once the oldest leaves the window, one more is admitted and the old one is dropped.
    const later = new Date(now.getTime() - 10 * DAY + TRANSFER_WINDOW_MS);
    assert.equal(withTransfer(l, later).transfers?.length, 2);
  });

  it('never limits a licence without maxTransfers, nor a floating licence', () => {
    const open = license();
    assert.equal(withTransfer(open, now), open);
    const floating = license({ licenseType: 'floating', maxConcurrent: 2, maxTransfers: 0 });
    assert.equal(withTransfer(floating, now), floating);
    assert.throws(() => withTransfer(license({ maxTransfers: 0 }), now), /Transfer limit reached/);
  });

  it('is set and cleared by updateLicense without touching licences that never had one', () => {
    const { license: set, changed } = editLicense(license(), { maxTransfers: 3 }, now, 1);
    assert.deepEqual(changed, ['maxTransfers']);
    assert.equal(set.maxTransfers, 3);
    assert.deepEqual(editLicense(license(), { email: 'a@b.co' }, now, 1).changed, [], 'no spurious change');
    assert.equal(editLicense(set, { maxTransfers: null }, now, 1).license.maxTransfers, null);
  });
});

describe('grace after expiry', () => {
  const expiresAt = d('2026-05-30T00:00:00Z');
  it('is grace until graceDays after expiry, then expired; degraded stays degraded', () => {
    const l = license({ expiresAt, graceDays: 3 });
    assert.equal(endsAt(l)?.toISOString(), '2026-06-02T00:00:00.000Z');
    assert.equal(statusAt(l, d('2026-05-29T00:00:00Z')), 'active');
    assert.equal(statusAt(l, now), 'grace');
    assert.equal(refusalOf(l, now), undefined);
    assert.match(warningOf(l, now).warning ?? '', /grace period until 2026-06-02/);
    assert.equal(warningOf(l, now).graceEndsAt, '2026-06-02T00:00:00.000Z');
    assert.equal(statusAt(l, d('2026-06-02T00:00:00Z')), 'expired');
    assert.equal(refusalOf(l, d('2026-06-02T00:00:00Z'))?.code, 'expired');
    assert.equal(statusAt(license({ expiresAt }), now), 'expired', 'no grace without graceDays');
    assert.equal(statusAt(license({ expiresAt, graceDays: 3, adminStatus: 'degraded' }), now), 'degraded');
    assert.equal(statusAt(license({ expiresAt, graceDays: 3, adminStatus: 'suspended' }), now), 'suspended');
  });

  it('ends tokens with the grace period', () => {
    const l = license({ expiresAt, graceDays: 3 });
    assert.equal(tokenExpiry(l, 30 * 86_400, now) * 1000, d('2026-06-02T00:00:00Z').getTime());
    assert.equal(tokenExpiry(license({ expiresAt: d('2026-07-01T00:00:00Z') }), 86_400, now) * 1000, now.getTime() + DAY);
  });
});

describe('expiry reminders', () => {
  it('are due within reminderDays of a future expiry, for a licence in force only', () => {
    const soon = license({ expiresAt: new Date(now.getTime() + 5 * DAY) });
    assert.equal(dueForReminder(soon, 7, now), true);
    assert.equal(dueForReminder(soon, 4, now), false);
    assert.equal(dueForReminder(soon, 0, now), false, '0 turns reminders off');
    assert.equal(dueForReminder(license(), 7, now), false, 'perpetual');
    assert.equal(dueForReminder(license({ expiresAt: new Date(now.getTime() - DAY) }), 7, now), false, 'already expired');
    assert.equal(dueForReminder({ ...soon, revoked: true }, 7, now), false);
    assert.equal(dueForReminder({ ...soon, adminStatus: 'suspended' }, 7, now), false);
  });

  it('have their own email, as does a regenerated key', () => {
    const l = license({ expiresAt: d('2026-06-06T00:00:00Z') });
    const reminder = composeBuyerMail(l, { name: 'Tiny App' }, 'reminder');
    assert.equal(reminder.subject, 'Your Tiny App licence expires on 6 June 2026');
    assert.match(reminder.text, /ACME-AAAA-BBBB-CCCC-DD/);
    assert.match(reminder.text, /Renew it/);
    const regenerated = composeBuyerMail(l, { name: 'Tiny App', emailSubject: 'ignored {product}' }, 'regenerated');
    assert.equal(regenerated.subject, 'Your new licence key for Tiny App');
    assert.match(regenerated.text, /old key no longer works/);
    assert.match(regenerated.html, /<code>ACME-AAAA-BBBB-CCCC-DD<\/code>/);
  });
});

describe('permanent deactivation', () => {
  it('revokes for good: clients get deactivated, and no change may follow', () => {
    const gone = deactivateLicense(license(), now);
    assert.equal(statusAt(gone, now), 'revoked');
    assert.equal(refusalOf(gone, now)?.code, 'deactivated');
    assert.throws(() => assertChangeable(gone), /permanently deactivated/);
    assert.doesNotThrow(() => assertChangeable(license()));
    // Even a reinstatement computed anyway leaves the mark, so clients stay refused.
    assert.equal(refusalOf(reinstateLicense(gone, [], now), now)?.code, 'deactivated');
  });
});

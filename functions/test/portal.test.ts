// Unit tests for the buyer portal's pure rules (domain/portal.ts): which licences a buyer sees, and
// the reference that names a licence without its key; and the sign-in email (domain/buyerMail.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { composeBuyerMail, composePortalLinkMail } from '../src/domain/buyerMail.ts';
import { licenseDraft, type LicenseRecord } from '../src/domain/license.ts';
import { buyerMaySee, licenseRefOf } from '../src/domain/portal.ts';

const license = (over: Partial<LicenseRecord> = {}): LicenseRecord => ({
  ...licenseDraft({ creatorId: 'acme', productId: 'app', variant: null, email: 'ann@example.com', licenseType: 'per-machine', maxMachines: 3, maxConcurrent: null, expiresAt: null }, new Date('2026-01-01T00:00:00Z')),
  licenseKey: 'ACME-AAAA-BBBB-CCCC-DD',
  ...over,
});
const on = { portalEnabled: true };

describe('what a buyer sees', () => {
  it('sees a live licence sold to their address of a product with the portal on', () => {
    assert.equal(buyerMaySee('ann@example.com', license(), on), true);
    assert.equal(buyerMaySee('ann@example.com', license({ adminStatus: 'suspended' }), on), true, 'suspended is shown, with its status');
    assert.equal(buyerMaySee('ann@example.com', license({ expiresAt: new Date('2020-01-01T00:00:00Z') }), on), true, 'expired is shown, with its status');
  });

  it('never sees another address\'s, a revoked, a deactivated or a sandbox licence, or a product with the portal off', () => {
    assert.equal(buyerMaySee('bob@example.com', license(), on), false);
    assert.equal(buyerMaySee('ann@example.com', license({ revoked: true, revokeReason: 'refund', revokedAt: new Date() }), on), false);
    assert.equal(buyerMaySee('ann@example.com', license({ deactivatedAt: new Date() }), on), false);
    assert.equal(buyerMaySee('ann@example.com', license({ sandbox: true }), on), false);
    assert.equal(buyerMaySee('ann@example.com', license(), { portalEnabled: false }), false);
    assert.equal(buyerMaySee('ann@example.com', license(), {}), false);
    assert.equal(buyerMaySee('ann@example.com', license(), undefined), false);
  });
});

describe('licence references', () => {
  it('are 32 hex characters, the same for one key, different for another, and do not contain the key', () => {
    const ref = licenseRefOf('ACME-AAAA-BBBB-CCCC-DD');
    assert.match(ref, /^[0-9a-f]{32}$/);
    assert.equal(licenseRefOf('ACME-AAAA-BBBB-CCCC-DD'), ref);
    assert.notEqual(licenseRefOf('ACME-AAAA-BBBB-CCCC-DE'), ref);
  });
});

describe('the portal\'s emails', () => {
  it('sends the sign-in link as text and as an escaped HTML link', () => {
    const link = 'http://127.0.0.1:9099/emulator/action?mode=signIn&oobCode=abc&continueUrl=x';
    const mail = composePortalLinkMail(link);
    assert.equal(mail.subject, 'Your sign-in link');
    assert.ok(mail.text.includes(link));
    assert.ok(mail.html.includes(`href="${link.replaceAll('&', '&amp;')}"`));
    assert.ok(!mail.html.includes('&oobCode'), 'the ampersands are escaped');
  });

  it('resends a key in the words of the first email', () => {
    const l = license();
    assert.deepEqual(composeBuyerMail(l, { name: 'Tiny App' }, 'resent'), composeBuyerMail(l, { name: 'Tiny App' }, 'issued'));
  });
});

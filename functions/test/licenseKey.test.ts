// The licence key format: generation, normalisation, and a check value that catches every
// single-character typo and every adjacent transposition, proven exhaustively.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CROCKFORD, generateLicenseKey, licenseKeyForm, maskLicenseKey, normalizeLicenseKey, uncheckedKey } from '../src/domain/licenseKey.ts';

const TYPED = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// Prefixes with the characters the random part maps (O, I, L) and rejects (U).
const PREFIXES = ['ACME', 'A', 'OIL', 'U', 'LOUIS', 'Z9Z9Z9Z9', 'SK', '0', 'BUILD42'];

/** What a key means once normalised; typos that mean the same key are not typos. */
const meaning = (k: string) => normalizeLicenseKey(k);

describe('licence keys', () => {
  it('generates well-formed keys with 60 random bits that normalise to themselves', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const key = generateLicenseKey('ACME');
      assert.match(key, /^ACME-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/);
      assert.equal(normalizeLicenseKey(key), key);
      seen.add(key);
    }
    assert.equal(seen.size, 2000);
    assert.equal(CROCKFORD.length, 32);
  });

  it('normalises case, spaces, missing dashes and Crockford look-alikes', () => {
    const real = generateLicenseKey('ACME');
    const body = real.slice(5, 19);
    assert.equal(normalizeLicenseKey(real.toLowerCase()), real);
    assert.equal(normalizeLicenseKey(`  ${real}  `), real);
    assert.equal(normalizeLicenseKey(real.replace(/-/g, '')), real);
    assert.equal(normalizeLicenseKey(real.replace(/-/g, ' ')), real);
    assert.equal(normalizeLicenseKey(`ACME${body.replace(/-/g, '')}${real.slice(-2)}`), real);
    const withZeroAndOne = generateWith('ACME', '0101ZZZZ1111');
    assert.equal(normalizeLicenseKey(withZeroAndOne.replace(/0/g, 'O').replace(/1/g, 'l')), withZeroAndOne);
    assert.equal(normalizeLicenseKey(withZeroAndOne.replace(/1/g, 'I')), withZeroAndOne);
  });

  it('rejects malformed input', () => {
    for (const bad of ['', 'ACME', 'ACME-1234', 'ACME-0000-0000-0000', 'ACME-0000-0000-0000-0000-00', 'AC ME!-0000-0000-0000-00', 'TOOLONGPREFIX-0000-0000-0000-00', 'ACME-UUUU-0000-0000-00']) {
      assert.equal(normalizeLicenseKey(bad), null, bad);
    }
  });

  it('catches every single-character typo (exhaustive over each position and character)', () => {
    let checked = 0;
    for (const prefix of PREFIXES) {
      for (let n = 0; n < 40; n++) {
        const key = generateLicenseKey(prefix);
        for (let i = 0; i < key.length; i++) {
          if (key[i] === '-') continue;
          for (const c of TYPED) {
            const typo = key.slice(0, i) + c + key.slice(i + 1);
            const m = meaning(typo);
            if (m === key) continue; // a look-alike of the same character: not a typo
            assert.equal(m, null, `${key} → ${typo} was accepted as ${m}`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 100_000);
  });

  it('catches every adjacent transposition (exhaustive over each adjacent pair)', () => {
    let checked = 0;
    for (const prefix of PREFIXES) {
      for (let n = 0; n < 400; n++) {
        const key = generateLicenseKey(prefix);
        const compact = key.replace(/-/g, '');
        for (let i = 0; i + 1 < compact.length; i++) {
          if (compact[i] === compact[i + 1]) continue;
          const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
          assert.equal(meaning(swapped), null, `${key}: swapping ${i},${i + 1} → ${swapped} was accepted`);
          checked++;
        }
      }
    }
    assert.ok(checked > 50_000);
  });

  it('catches adjacent transpositions in the typed, dashed form too', () => {
    for (let n = 0; n < 500; n++) {
      const key = generateLicenseKey('ACME');
      for (let i = 0; i + 1 < key.length; i++) {
        if (key[i] === key[i + 1]) continue;
        const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
        const m = meaning(swapped);
        // Swapping a character with a dash only moves the dash: still the same key.
        if (key[i] === '-' || key[i + 1] === '-') assert.ok(m === key || m === null, swapped);
        else assert.equal(m, null, `${key} → ${swapped}`);
      }
    }
  });

  it('masks the random part', () => {
    assert.equal(maskLicenseKey('ACME-ABCD-EFGH-JKMN-7Q'), 'ACME-****-****-****-7Q');
    assert.equal(maskLicenseKey('0F3A1-99B2C-77D4E'), '0F3A****4E');
  });
});

describe('licenseKeyForm (minted and imported keys)', () => {
  it('normalises a minted key, typed any way, to its canonical form', () => {
    const key = generateLicenseKey('ACME');
    assert.equal(licenseKeyForm(` ${key.toLowerCase().replaceAll('-', '')} `), key);
  });

  it('keeps a key of another format verbatim, upper-cased and trimmed', () => {
    assert.equal(licenseKeyForm('  0f3a1-99b2c-77d4e '), '0F3A1-99B2C-77D4E');
    const uuid = '3f2b8c1e-4d5a-4e6f-9a7b-1c2d3e4f5a6b';
    assert.equal(licenseKeyForm(uuid), uuid.toUpperCase());
    assert.equal(licenseKeyForm('LEGACY_KEY.001'), 'LEGACY_KEY.001');
  });

  it("keeps a key of Seatkey's shape that fails the check verbatim, marked unchecked (an imported one or a typo)", () => {
    const key = generateLicenseKey('ACME');
    const typo = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    assert.equal(licenseKeyForm(typo.toLowerCase()), typo);
    assert.equal(uncheckedKey(typo), true);
    assert.equal(uncheckedKey(key.slice(0, -1)), true, 'a truncated key');
    assert.equal(uncheckedKey(key), false, 'a minted key passes its check');
    // Permisoft's own example: Seatkey's shape, not Seatkey's check value.
    assert.equal(normalizeLicenseKey('MYAPP-A3B7-K9D2-M4F8-42'), null);
    assert.equal(licenseKeyForm(' myapp-a3b7-k9d2-m4f8-42 '), 'MYAPP-A3B7-K9D2-M4F8-42');
    assert.equal(uncheckedKey('MYAPP-A3B7-K9D2-M4F8-42'), true);
    assert.equal(uncheckedKey('ABCD-1234-5678-9012'), false, "four groups of four is another system's format");
    assert.equal(uncheckedKey('0F3A1-99B2C-77D4E'), false);
  });

  it('refuses what can be no key', () => {
    assert.equal(licenseKeyForm('ABCD-1234-5678-9012'), 'ABCD-1234-5678-9012');
    for (const bad of ['', 'abc', 'a b c d e f', 'KEY/WITH/SLASH', '__NAME__', '-LEADING', 'X'.repeat(101), 'ÄÖÜ-1234-5678']) assert.equal(licenseKeyForm(bad), null, bad);
  });
});

/** A valid key with a chosen random part (for look-alike tests). */
function generateWith(prefix: string, body: string): string {
  for (const a of CROCKFORD) for (const b of CROCKFORD) {
    const k = `${prefix}-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}-${a}${b}`;
    if (normalizeLicenseKey(k) === k) return k;
  }
  throw new Error('unreachable: one check value always fits');
}

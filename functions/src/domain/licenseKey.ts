// Licence keys: PREFIX-XXXX-XXXX-XXXX-CC.
//
// PREFIX is the creator's (upper-case letters and digits), the twelve X are Crockford base32
// from a CSPRNG (60 bits), and CC is a check value over PREFIX and X: the sum of each
// character's base-36 value times its 1-based position, modulo 1021 (the largest prime below
// 32²), written as two Crockford characters. Because 1021 is prime, larger than any difference
// of two character values, and larger than any difference of two weights, changing one
// character or swapping two adjacent different characters always changes the sum; a swap
// across the last X and the first C is caught too (see the unit test, which checks every
// single-character typo and every adjacent transposition exhaustively).
import { randomInt } from 'node:crypto';

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 12;
const CHECK_LENGTH = 2;
const MODULUS = 1021;
export const MAX_PREFIX_LENGTH = 8;

function checkValue(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum = (sum + (i + 1) * parseInt(text[i]!, 36)) % MODULUS;
  return sum;
}

function checkChars(text: string): string {
  const v = checkValue(text);
  return CROCKFORD[Math.floor(v / 32)]! + CROCKFORD[v % 32]!;
}

const format = (prefix: string, body: string, check: string): string =>
  `${prefix}-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}-${check}`;

/** A new key for a creator's prefix: 60 bits from the CSPRNG. */
export function generateLicenseKey(prefix: string): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += CROCKFORD[randomInt(32)]!;
  return format(prefix, body, checkChars(prefix + body));
}

/**
 * The canonical form of a typed key, or null if it is not a well-formed key with a correct
 * check value. Accepts any case, spaces and missing or misplaced dashes, and Crockford's
 * look-alikes in the random part (O for 0, I and L for 1). Pure: no lookup happens for a key
 * that fails here.
 */
export function normalizeLicenseKey(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]+/g, '');
  const tail = BODY_LENGTH + CHECK_LENGTH;
  if (!/^[A-Z0-9]+$/.test(compact) || compact.length <= tail || compact.length > tail + MAX_PREFIX_LENGTH) return null;
  const prefix = compact.slice(0, -tail);
  const rest = compact.slice(-tail).replace(/O/g, '0').replace(/[IL]/g, '1');
  if (![...rest].every((c) => CROCKFORD.includes(c))) return null;
  const body = rest.slice(0, BODY_LENGTH);
  const check = rest.slice(BODY_LENGTH);
  if (checkChars(prefix + body) !== check) return null;
  return format(prefix, body, check);
}

const MINTED_MIDDLE = /-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-/;

/**
 * The key with its random part hidden, for logs, listings and support: `ACME-****-****-****-7Q`.
 * An imported key of another format keeps only its first four and last two characters.
 */
export const maskLicenseKey = (key: string): string =>
  MINTED_MIDDLE.test(key) ? key.replace(MINTED_MIDDLE, '-****-****-****-') : `${key.slice(0, 4)}****${key.slice(-2)}`;

/** The creator prefix of a canonical key: the part before its first dash. */
export const keyPrefixOf = (key: string): string => key.slice(0, key.indexOf('-'));

/**
 * Keys imported from another system (importLicenses) keep their own format: upper-cased and
 * trimmed, then stored and looked up verbatim. 6 to 100 characters of letters, digits and
 * `- _ . : + = ~`, starting with a letter or digit, so the form is always a valid document id.
 */
const IMPORTED_KEY = /^[A-Z0-9][A-Z0-9_.:+=~-]{5,99}$/;

/**
 * Seatkey's own shape, `PREFIX-XXXX-XXXX-XXXX-CC` (or with a check character dropped). Other
 * systems mint keys of this shape too (Permisoft's `MYAPP-A3B7-K9D2-M4F8-42`), so such a key whose
 * check value fails may be an imported one: see `uncheckedKey`.
 */
const MINTED_SHAPE = /^[A-Z0-9]{1,8}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{1,2}$/;

/**
 * The form a typed key is stored and looked up under, or null when it can be no key at all:
 * a Seatkey key normalised (when its check value holds), else the key verbatim (upper-cased and
 * trimmed), as imports store it.
 */
export function licenseKeyForm(input: string): string | null {
  const minted = normalizeLicenseKey(input);
  if (minted !== null) return minted;
  const verbatim = input.trim().toUpperCase();
  return IMPORTED_KEY.test(verbatim) ? verbatim : null;
}

/**
 * A key form (licenseKeyForm) of Seatkey's shape whose check value fails: a mistyped Seatkey key,
 * unless a licence was imported under it. A request naming one is refused as a typo, exactly as
 * before any lookup, unless such an imported licence exists and is the caller's
 * (licensing/importedKeys.ts); an import stores it as it is.
 */
export const uncheckedKey = (form: string): boolean => MINTED_SHAPE.test(form) && normalizeLicenseKey(form) === null;

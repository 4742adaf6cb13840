// Hashing, random tokens and constant-time comparison for secrets. Pure: no I/O.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export const sha256Base64Url = (value: string): string => createHash('sha256').update(value, 'utf8').digest('base64url');

/**
 * A document id from several parts: NUL never occurs in them, so different parts never give the
 * same id, and hashing keeps ids short and free of characters Firestore refuses (like `/`).
 */
export const compoundId = (...parts: string[]): string => sha256Base64Url(parts.join('\u0000'));

/** `bytes` of CSPRNG output as base64url (6 bits a character). */
export const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');

/**
 * Constant-time equality of two secrets of any length: both sides are hashed first, so neither
 * the position of the first difference nor the length of the expected value leaks.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

/** Constant-time equality of two hex digests of the same algorithm. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

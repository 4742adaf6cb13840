// What makes an ADMIN_SECRET too weak to guard super-admin access. Pure: no I/O.

/** The shortest ADMIN_SECRET that turns super-admin access on. */
export const ADMIN_SECRET_MIN_LENGTH = 32;

// Values copied from examples and templates, however long they are made by repeating them.
const PLACEHOLDERS = /change.?me|replace.?me|placeholder|your.?(?:admin.?)?secret|secret.?here|example|password|passw0rd|letmein|qwerty|dummy|insecure|not.?a.?secret|todo|fixme/i;

/**
 * Why `secret` must not be the super admin's secret, or undefined when it may. Too short, a
 * well-known placeholder, or too few distinct characters (`aaaa…`, `0101…`) to be random.
 */
export function adminSecretWeakness(secret: string): string | undefined {
  if (secret.length < ADMIN_SECRET_MIN_LENGTH) return `it is ${secret.length} characters long; at least ${ADMIN_SECRET_MIN_LENGTH} are needed`;
  if (PLACEHOLDERS.test(secret)) return 'it contains a well-known placeholder';
  if (new Set(secret).size < 8) return 'it has fewer than 8 distinct characters';
  return undefined;
}

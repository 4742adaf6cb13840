// What every dialect needs to translate: reading its credential from the request, and naming its
// own fields in the core's error messages so a client sees the words it sent.

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearerOf(header: (name: string) => string | undefined): string | undefined {
  return header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/**
 * Picks the system's fields and names them as the core does: `{ key: 'licenseKey' }` turns the
 * system's `key` into the core's `licenseKey`. Fields the system does not document are dropped, so
 * a dialect accepts exactly its own vocabulary.
 */
export function renamed(fields: Record<string, unknown>, names: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [theirs, ours] of Object.entries(names)) if (fields[theirs] !== undefined) out[ours] = fields[theirs];
  return out;
}

/** A core message with the core's field names replaced by the system's (the inverse of `renamed`). */
export function inTheirWords(message: string, names: Readonly<Record<string, string>>): string {
  let out = message;
  for (const [theirs, ours] of Object.entries(names)) out = out.replace(new RegExp(`\\b${ours}\\b`, 'g'), theirs);
  return out;
}

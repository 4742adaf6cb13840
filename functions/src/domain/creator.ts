// Creators and the key prefix each one gets from its id.

/** Upper-case letters and digits of the creator id, at most 8 of them: `acme-studio` → `ACMESTUD`. */
export function keyPrefixFor(creatorId: string): string {
  const prefix = creatorId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8);
  return prefix.length > 0 ? prefix : 'SK';
}

export const CREATOR_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

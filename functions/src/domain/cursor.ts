// Opaque pagination cursors: a listing's position as base64url JSON. A cursor that does not
// decode to a position the listing accepts is refused as bad input, never half-used.
import { invalidRequest } from './errors.js';

export const encodeCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

export function decodeCursor<T>(cursor: string, accepts: (position: unknown) => position is T): T {
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  if (!accepts(position)) throw invalidRequest('Invalid request: cursor is not one this listing returned (list again without it)');
  return position;
}

// Who is calling an admin endpoint, and what they may see. Anything outside the caller's
// scope is reported as not found, never as forbidden, so its existence does not leak.
import { invalidRequest, notFound } from './errors.js';

export type Caller =
  | { kind: 'super' }
  | { kind: 'creator'; creatorId: string; apiKeyId: string };

export const isSuper = (caller: Caller): boolean => caller.kind === 'super';

/** Whether the caller may see a resource owned by `creatorId`. */
export const canSee = (caller: Caller, creatorId: string): boolean =>
  caller.kind === 'super' || caller.creatorId === creatorId;

/** Throws 404 unless the caller may see a resource owned by `creatorId`. */
export function assertVisible(caller: Caller, creatorId: string, what: string): void {
  if (!canSee(caller, creatorId)) throw notFound(what);
}

/**
 * The creator a call acts for. A creator's key acts for its own creator (naming another is a 404);
 * the super admin must name one when `required`, and otherwise acts across all creators (undefined).
 */
export function actingCreator(caller: Caller, requested: string | undefined, required: true): string;
export function actingCreator(caller: Caller, requested: string | undefined, required?: false): string | undefined;
export function actingCreator(caller: Caller, requested: string | undefined, required = false): string | undefined {
  if (caller.kind === 'creator') {
    if (requested !== undefined && requested !== caller.creatorId) throw notFound('Creator');
    return caller.creatorId;
  }
  if (required && requested === undefined) throw invalidRequest('creatorId is required with adminSecret');
  return requested;
}

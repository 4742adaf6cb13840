// Who is calling an admin endpoint, and what they may see. Anything outside the caller's
// scope is reported as not found, never as forbidden, so its existence does not leak.
import { invalidRequest, notFound } from './errors.js';

/**
 * Whose resources a request may name: everyone's (the super admin, the platform's webhook
 * secret) or one creator's (an API key, a creator's webhook secret, an import for a creator).
 */
export type Scope = { kind: 'super' } | { kind: 'creator'; creatorId: string };

export type Caller = { kind: 'super' } | { kind: 'creator'; creatorId: string; apiKeyId: string };

export const isSuper = (caller: Scope): boolean => caller.kind === 'super';

/** Whether the scope may see a resource owned by `creatorId`. */
export const canSee = (scope: Scope, creatorId: string): boolean =>
  scope.kind === 'super' || scope.creatorId === creatorId;

/** Throws 404 unless the scope may see a resource owned by `creatorId`. */
export function assertVisible(scope: Scope, creatorId: string, what: string): void {
  if (!canSee(scope, creatorId)) throw notFound(what);
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

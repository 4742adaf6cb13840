// Who is calling an admin endpoint, and what they may see. Anything outside the caller's
// scope is reported as not found, never as forbidden, so its existence does not leak.
import type { ApiScope } from './apiScopes.js';
import { invalidRequest, notAllowed, notFound, unauthorized } from './errors.js';

/**
 * Whose resources a request may name: everyone's (the super admin, the platform's webhook
 * secret) or one creator's (an API key, a creator's webhook secret, an import for a creator).
 */
export type Scope = { kind: 'super' } | { kind: 'creator'; creatorId: string };

/** A creator's people: the owner (who signed it up) and the teammates the owner invited. */
export type Role = 'owner' | 'member';

/** A person signed in with Firebase Authentication and belonging to a creator. */
export interface SignedInMember {
  uid: string;
  email: string;
  role: Role;
}

/**
 * A creator's caller is either one of its API keys (`apiKeyId`) or one of its people signed in
 * with a Firebase ID token (`member`); both see exactly the creator's own resources.
 */
export type Caller =
  | { kind: 'super' }
  | {
      kind: 'creator';
      creatorId: string;
      apiKeyId: string;
      member?: undefined;
      /** What the key may do (undefined: everything; domain/apiScopes.ts). */
      scopes?: readonly ApiScope[] | undefined;
      /** A test key (`sk_test_`): it sees and makes only sandbox licences. */
      mode?: Mode | undefined;
    }
  | { kind: 'creator'; creatorId: string; member: SignedInMember; apiKeyId?: undefined; scopes?: undefined; mode?: undefined };

/** Live data, or the sandbox that test keys (`sk_test_`, `pk_test_`) work in. */
export type Mode = 'live' | 'test';

/** The mode a caller works in: test keys in the sandbox, everyone else (people, the super admin) live. */
export const modeOf = (caller: Caller): Mode => (caller.kind === 'creator' && caller.mode === 'test' ? 'test' : 'live');

/** The admin rate limit's subject for a signed-in person (with or without a creator yet). */
export const personSubject = (uid: string): string => `user:${uid}`;

/** What the admin rate limit counts a call against: its API key, or the signed-in person. */
export const limitSubject = (caller: Extract<Caller, { kind: 'creator' }>): string =>
  caller.member ? personSubject(caller.member.uid) : caller.apiKeyId;

/** People-only actions (making API keys): the super admin or a signed-in member; an API key gets 401. */
export function assertPerson(caller: Caller): void {
  if (caller.kind === 'creator' && !caller.member) throw unauthorized('This endpoint requires a signed-in user (Firebase ID token) or adminSecret');
}

/** Owner-only actions (members, closing the account): a teammate gets 403 `forbidden`. */
export function assertOwner(caller: Caller): void {
  assertPerson(caller);
  if (caller.kind === 'creator' && caller.member?.role !== 'owner') throw notAllowed('Only the account owner can do this');
}

export const isSuper = (caller: Scope): boolean => caller.kind === 'super';

/** Whether the scope may see a resource owned by `creatorId`. */
export const canSee = (scope: Scope, creatorId: string): boolean =>
  scope.kind === 'super' || scope.creatorId === creatorId;

/**
 * Whether the caller may see the licence: its creator's, and in the caller's mode. An API key
 * sees only its mode's licences (a test key only sandbox ones, a live key only live ones); the
 * creator's people and the super admin see both.
 */
export const canSeeLicense = (caller: Caller, license: { creatorId: string; sandbox?: boolean | undefined }): boolean =>
  canSee(caller, license.creatorId) && (caller.kind === 'super' || caller.member !== undefined || (license.sandbox === true) === (caller.mode === 'test'));

/** Throws 404 unless the caller may see the licence (canSeeLicense). */
export function assertLicenseVisible(caller: Caller, license: { creatorId: string; sandbox?: boolean | undefined }): void {
  if (!canSeeLicense(caller, license)) throw notFound('Licence');
}

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

// Firebase ID tokens: people signed in to the console present one as `Authorization: Bearer`.
// They are told apart from API keys by shape (a JWT; API keys start `sk_live_` or `sk_test_`), verified with
// firebase-admin's Auth (which accepts the Auth emulator's tokens when FIREBASE_AUTH_EMULATOR_HOST
// is set), and mapped to the creator the person belongs to (store/members.ts). firebase-admin/auth
// loads on the first token, never at cold start.
import type { Request } from 'firebase-functions/v2/https';
import { unauthorized } from '../domain/errors.js';
import type { Buyer } from '../domain/portal.js';
import type { Caller } from '../domain/scope.js';
import { membershipOf } from '../store/members.js';
import { header } from './request.js';

/** A verified person, who may not belong to any creator yet (before sign-up completes). */
export interface SignedInUser {
  uid: string;
  email: string | undefined;
  emailVerified: boolean;
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The bearer token when it has a JWT's shape (so not an API key), else undefined. */
export function presentedIdToken(req: Request): string | undefined {
  const bearer = header(req, 'authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer !== undefined && JWT.test(bearer) ? bearer : undefined;
}

let auth: Promise<import('firebase-admin/auth').Auth> | undefined;
async function loadAuth() {
  const [{ getApps, initializeApp }, { getAuth }] = await Promise.all([import('firebase-admin/app'), import('firebase-admin/auth')]);
  return getAuth(getApps()[0] ?? initializeApp());
}

export async function verifyIdToken(token: string): Promise<SignedInUser> {
  auth ??= loadAuth();
  try {
    const decoded = await (await auth).verifyIdToken(token);
    return { uid: decoded.uid, email: decoded.email, emailVerified: decoded.email_verified === true };
  } catch {
    // The library's reasons (expired, wrong audience, bad signature) all mean "sign in again".
    throw unauthorized('Invalid or expired ID token; sign in again');
  }
}

/** The person behind a request that must carry an ID token (account endpoints). */
export async function authenticateUser(req: Request): Promise<SignedInUser> {
  const token = presentedIdToken(req);
  if (token === undefined) throw unauthorized('Missing ID token: send Authorization: Bearer <Firebase ID token>');
  return verifyIdToken(token);
}

/** An admin caller from an ID token: the person's creator, exactly like that creator's API key. */
export async function memberCaller(token: string, now: Date): Promise<Caller> {
  const user = await verifyIdToken(token);
  const member = await membershipOf(user, now);
  if (!member) throw unauthorized('This user has no Seatkey account yet: create one with createAccount');
  return { kind: 'creator', creatorId: member.creatorId, member: { uid: member.uid, email: member.email, role: member.role } };
}

/**
 * A buyer in the portal: any person whose email is verified (an email-link sign-in verifies it),
 * acting only on the licences sold to that address. Membership plays no part, and a buyer's token
 * reaches no admin endpoint unless the person is also one of a creator's people.
 */
export async function authenticateBuyer(req: Request): Promise<Buyer> {
  const user = await authenticateUser(req);
  if (!user.email || !user.emailVerified) throw unauthorized('Sign in with the link emailed to you: this sign-in has no verified email address');
  return { uid: user.uid, email: user.email.toLowerCase() };
}

/** A one-time email sign-in link for `email` that leads to `continueUrl` (firebase-admin; the Auth emulator locally). */
export async function emailSignInLink(email: string, continueUrl: string): Promise<string> {
  auth ??= loadAuth();
  return (await auth).generateSignInWithEmailLink(email, { url: continueUrl, handleCodeInApp: true });
}

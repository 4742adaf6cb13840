// People in tests: users made in the Auth emulator through its REST API (the same calls the
// Firebase JS SDK makes), their ID tokens, and creator accounts signed up with them.
import { call, uid, PROJECT, type CallOptions, type Reply } from './helpers.ts';

const AUTH_HOST = process.env.SEATKEY_AUTH_HOST;
if (!AUTH_HOST) throw new Error('SEATKEY_AUTH_HOST is not set: run the emulator tests through `npm test`');
const IDENTITY = `http://${AUTH_HOST}/identitytoolkit.googleapis.com/v1`;

async function identity<T>(path: string, body: unknown, admin = false): Promise<T> {
  const res = await fetch(`${IDENTITY}/${path}${admin ? '' : '?key=demo-api-key'}`, {
    method: 'POST',
    // The Auth emulator treats `Bearer owner` as an administrator's credential.
    headers: { 'content-type': 'application/json', ...(admin ? { authorization: 'Bearer owner' } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`Auth emulator ${path}: ${res.status} ${json.error?.message}`);
  return json;
}

export interface Person {
  uid: string;
  email: string;
  password: string;
  idToken: string;
}

/** A new Firebase Auth user (email and password), signed in. */
export async function newPerson(prefix = 'person', email = `${uid(prefix)}@example.com`): Promise<Person> {
  const password = `pw-${uid('x')}`;
  const r = await identity<{ localId: string; idToken: string }>('accounts:signUp', { email, password, returnSecureToken: true });
  return { uid: r.localId, email, password, idToken: r.idToken };
}

/** Signs the person in again: a fresh ID token with their current claims (email_verified). */
export async function signInAgain(p: Person): Promise<Person> {
  const r = await identity<{ idToken: string }>('accounts:signInWithPassword', { email: p.email, password: p.password, returnSecureToken: true });
  return { ...p, idToken: r.idToken };
}

/** Marks the person's email verified (what following the verification link does), and signs in again. */
export async function verifyEmail(p: Person): Promise<Person> {
  await identity(`projects/${PROJECT}/accounts:update`, { localId: p.uid, emailVerified: true }, true);
  return signInAgain(p);
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** A call with a person's ID token. */
export const asPerson = <T = any>(p: Person | string, name: string, body: Record<string, unknown> = {}, opts: CallOptions = {}): Promise<Reply<T>> =>
  call<T>(name, body, { ...opts, headers: { ...bearer(typeof p === 'string' ? p : p.idToken), ...opts.headers } });

export interface Owner extends Person {
  creatorId: string;
}

/** A person who signed up a new creator account, so is its owner. */
export async function newOwner(prefix = 'acct'): Promise<Owner> {
  const person = await newPerson(prefix);
  const creatorId = uid(prefix);
  const r = await asPerson(person, 'createAccount', { creatorId, name: `Account ${creatorId}` });
  if (r.status !== 200) throw new Error(`createAccount failed: ${r.status} ${r.text}`);
  return { ...person, creatorId };
}

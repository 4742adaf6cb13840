// Firebase Authentication for the console (the modular firebase/auth only). The web config comes
// from /seatkey-config.json when the local harness serves one (it also names the Auth emulator),
// else from Firebase Hosting's own /__/firebase/init.json in production. The session is Firebase
// Auth's own (IndexedDB); the console stores nothing else in the browser.
import { initializeApp } from 'firebase/app';
import {
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  indexedDBLocalPersistence,
  initializeAuth,
  onIdTokenChanged,
  sendEmailVerification,
  signInWithEmailAndPassword,
  signOut,
  type Auth,
  type User,
} from 'firebase/auth';

interface WebConfig {
  apiKey: string;
  authDomain?: string;
  projectId: string;
  authEmulatorUrl?: string;
}

async function readJson(url: string): Promise<WebConfig | undefined> {
  try {
    const res = await fetch(url, { cache: 'no-store' });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return undefined;
    return (await res.json()) as WebConfig;
  } catch {
    return undefined;
  }
}

/**
 * Firebase Auth for the Firebase app named `appName`: the console's (the default app) or the buyer
 * portal's ("portal"), so a buyer's session and a creator's never share one browser session.
 */
export async function startAuth(appName?: string): Promise<Auth> {
  const config = (await readJson('/seatkey-config.json')) ?? (await readJson('/__/firebase/init.json'));
  if (!config) throw new Error('The page could not load its Firebase configuration');
  const app = initializeApp({ apiKey: config.apiKey, authDomain: config.authDomain, projectId: config.projectId }, ...(appName ? [appName] : []));
  const a = initializeAuth(app, { persistence: indexedDBLocalPersistence });
  if (config.authEmulatorUrl) connectAuthEmulator(a, config.authEmulatorUrl, { disableWarnings: true });
  return a;
}

let authPromise: Promise<Auth> | undefined;

export function auth(): Promise<Auth> {
  authPromise ??= startAuth();
  return authPromise;
}

/** Calls `listener` with the signed-in user (or null) now and whenever it changes. */
export async function watchUser(listener: (user: User | null) => void): Promise<() => void> {
  return onIdTokenChanged(await auth(), listener);
}

export const signIn = async (email: string, password: string) => (await signInWithEmailAndPassword(await auth(), email, password)).user;
export const signUp = async (email: string, password: string) => (await createUserWithEmailAndPassword(await auth(), email, password)).user;
export const signOutUser = async () => signOut(await auth());
export const verifyEmail = async (user: User) => sendEmailVerification(user);

/** The current ID token (refreshed by the SDK when it is near expiry), or undefined when signed out. */
export async function idToken(forceRefresh = false): Promise<string | undefined> {
  return (await auth()).currentUser?.getIdToken(forceRefresh);
}

/** Firebase Auth's error codes in words a person can act on. */
export function authMessage(error: unknown): string {
  const code = (error as { code?: string })?.code ?? '';
  const messages: Record<string, string> = {
    'auth/invalid-credential': 'Wrong email or password.',
    'auth/invalid-login-credentials': 'Wrong email or password.',
    'auth/wrong-password': 'Wrong email or password.',
    'auth/user-not-found': 'Wrong email or password.',
    'auth/email-already-in-use': 'An account with this email already exists. Sign in instead.',
    'auth/weak-password': 'Choose a password of at least 6 characters.',
    'auth/invalid-email': 'Enter a valid email address.',
    'auth/too-many-requests': 'Too many attempts. Wait a moment and try again.',
    'auth/network-request-failed': 'The sign-in service could not be reached.',
  };
  return messages[code] ?? (error instanceof Error ? error.message : String(error));
}

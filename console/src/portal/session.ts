// The buyer portal's own Firebase Auth session (a Firebase app of its own, so it never mixes with
// a creator's console session), email-link sign-in, and its calls to the portal functions.
import { isSignInWithEmailLink, onIdTokenChanged, signInWithEmailLink, signOut, type Auth, type User } from 'firebase/auth';
import { api, type Endpoint } from '../api';
import { startAuth } from '../firebase';

let authPromise: Promise<Auth> | undefined;
const portalAuth = (): Promise<Auth> => (authPromise ??= startAuth('portal'));

/**
 * The address a link was asked for, kept until the link is opened in this browser (Firebase's
 * own recipe: the link alone must not sign in whoever holds it). Removed once signed in.
 */
const PENDING = 'seatkey-portal-email';
export const rememberEmail = (email: string): void => localStorage.setItem(PENDING, email);
export const rememberedEmail = (): string | null => localStorage.getItem(PENDING);

export async function watchBuyer(listener: (user: User | null) => void): Promise<() => void> {
  return onIdTokenChanged(await portalAuth(), listener);
}

/** Whether this page's address is a sign-in link. */
export const isSignInLink = async (href: string): Promise<boolean> => isSignInWithEmailLink(await portalAuth(), href);

export async function completeSignIn(email: string, href: string): Promise<void> {
  await signInWithEmailLink(await portalAuth(), email, href);
  localStorage.removeItem(PENDING);
}

export const signOutBuyer = async (): Promise<void> => signOut(await portalAuth());

const buyerToken = async (forceRefresh = false) => (await portalAuth()).currentUser?.getIdToken(forceRefresh);

/** A portal function with the buyer's ID token. */
export const portalApi = <T = undefined, N extends Extract<Endpoint, `portal${string}`> = Extract<Endpoint, `portal${string}`>>(name: N, body: Record<string, unknown> = {}) =>
  api<T, N>(name, body, buyerToken);

/** Firebase's email-link errors in words a buyer can act on. */
export function linkMessage(error: unknown): string {
  const code = (error as { code?: string })?.code ?? '';
  if (code === 'auth/invalid-action-code' || code === 'auth/expired-action-code') return 'This sign-in link has expired or was already used. Ask for a new one.';
  if (code === 'auth/invalid-email') return 'That is not the address the link was sent to. Check it and try again.';
  return error instanceof Error ? error.message : String(error);
}

export interface PortalActivation {
  activationId: string;
  label: string;
  firstSeen: string | null;
  lastSeen: string | null;
  sessionActive: boolean;
  blocked: boolean;
  metadata: Record<string, unknown>;
}

export interface PortalLicense {
  licenseRef: string;
  keyMasked: string;
  licenseKey?: string;
  product: { productId: string; name: string; supportEmail: string | null };
  status: string;
  licenseType: string;
  expiresAt: string | null;
  machinesUsed: number;
  maxMachines: number;
  maxConcurrent: number | null;
  maxTransfers: number | null;
  transfersUsed: number;
  trial: boolean;
  metadata: Record<string, unknown>;
  activations: PortalActivation[];
}

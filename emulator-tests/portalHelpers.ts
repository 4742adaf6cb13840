// Buyers in the portal tests: a sign-in link asked for through portalRequestLink, read back from the
// Auth emulator (where the admin SDK made it), and completed the way Firebase's
// signInWithEmailLink does, giving the buyer's ID token.
import { call, PROJECT, type CallOptions, type Reply } from './helpers.ts';
import { bearer } from './accountHelpers.ts';

const AUTH_HOST = process.env.SEATKEY_AUTH_HOST;
if (!AUTH_HOST) throw new Error('SEATKEY_AUTH_HOST is not set: run the emulator tests through `npm test`');

/** The Origin a local portal page sends: the emulator lets the link lead back to it. */
export const PORTAL_ORIGIN = 'http://127.0.0.1:5002';

export const requestLink = (email: string, opts: CallOptions = {}): Promise<Reply> =>
  call('portalRequestLink', { email }, { ...opts, headers: { origin: PORTAL_ORIGIN, ...opts.headers } });

export interface OobCode {
  email: string;
  oobCode: string;
  oobLink: string;
  requestType: string;
}

/** Every email sign-in link the Auth emulator has made for `email`, oldest first. */
export async function signInLinksFor(email: string): Promise<OobCode[]> {
  const res = await fetch(`http://${AUTH_HOST}/emulator/v1/projects/${PROJECT}/oobCodes`);
  const { oobCodes } = (await res.json()) as { oobCodes: OobCode[] };
  return oobCodes.filter((c) => c.requestType === 'EMAIL_SIGNIN' && c.email === email);
}

/** Completes a sign-in link as the Firebase JS SDK does: the buyer's ID token. */
export async function completeLink(email: string, code: OobCode): Promise<string> {
  const res = await fetch(`http://${AUTH_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithEmailLink?key=demo-api-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, oobCode: code.oobCode, returnSecureToken: true }),
  });
  const json = (await res.json()) as { idToken?: string; error?: { message: string } };
  if (!json.idToken) throw new Error(`signInWithEmailLink: ${res.status} ${json.error?.message}`);
  return json.idToken;
}

/** A buyer signed in to the portal by email link: asks for the link, follows it, returns the ID token. */
export async function signInBuyer(email: string, opts: CallOptions = {}): Promise<string> {
  const before = (await signInLinksFor(email)).length;
  const r = await requestLink(email, opts);
  if (r.status !== 200) throw new Error(`portalRequestLink: ${r.status} ${r.text}`);
  const links = await signInLinksFor(email);
  const link = links[links.length - 1];
  if (links.length !== before + 1 || !link) throw new Error(`no new sign-in link for ${email}`);
  return completeLink(email, link);
}

/** A portal call with the buyer's ID token. */
export const asBuyer = <T = any>(token: string, name: string, body: Record<string, unknown> = {}, opts: CallOptions = {}): Promise<Reply<T>> =>
  call<T>(name, body, { ...opts, headers: { ...bearer(token), ...opts.headers } });

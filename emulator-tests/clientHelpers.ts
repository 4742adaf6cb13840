// Fixtures for the client-endpoint tests: licences, a client bound to one IP, direct reads (and,
// as test setup, writes) of stored state, and tokens signed the way the server signs them.
import { SignJWT, importJWK, type JWK } from 'jose';
import { listActivations } from '../functions/src/store/activations.ts';
import { getLicenseRecord, writeLicense } from '../functions/src/store/licenses.ts';
import { db } from '../functions/src/store/firestore.ts';
import type { LicenseRecord } from '../functions/src/domain/license.ts';
import { BASE_URL, asCreator, call, newCreator, newProduct, randomIp, uid, type CreatorFixture, type Reply } from './helpers.ts';

export interface LicenseFixture {
  creator: CreatorFixture;
  productId: string;
  licenseKey: string;
}

/** A fresh creator, product (with `product` settings) and licence (with `license` terms). */
export async function newLicense(product: Record<string, unknown> = {}, license: Record<string, unknown> = {}): Promise<LicenseFixture> {
  const creator = await newCreator('client');
  const productId = await newProduct(creator, product);
  const r = await asCreator(creator.apiKey, 'createLicense', { email: 'buyer@example.com', productId, ...license });
  if (r.status !== 200) throw new Error(`createLicense failed: ${r.status} ${r.text}`);
  return { creator, productId, licenseKey: r.body.licenseKey };
}

/** Calls from one client IP of their own, so tests do not share the per-IP limit. */
export function client(ip = randomIp()) {
  return <T = any>(name: string, body?: unknown, method = 'POST'): Promise<Reply<T>> => call<T>(name, body, { ip, method });
}

export const machine = (): string => uid('machine');

/** The contract's error body for verify and validate. */
export const isValidError = (body: any, code: string): boolean =>
  body?.valid === false && body?.code === code && typeof body?.error === 'string' && body.error.length > 0;

export async function storedLicense(licenseKey: string): Promise<LicenseRecord> {
  const l = await getLicenseRecord(licenseKey);
  if (!l) throw new Error(`no licence ${licenseKey}`);
  return l;
}

/** Test setup for states whose admin endpoints live elsewhere (revoked, suspended). */
export async function patchLicense(licenseKey: string, patch: Partial<LicenseRecord>): Promise<void> {
  const batch = (await db()).batch();
  await writeLicense(batch, { ...(await storedLicense(licenseKey)), ...patch });
  await batch.commit();
}

export const activationsOf = listActivations;

export async function eventsOf(licenseKey: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const snap = await (await db()).collection('events').where('licenseKey', '==', licenseKey).get();
  return snap.docs.map((d) => d.data() as { type: string; data: Record<string, unknown> });
}

export const seatsHeld = async (licenseKey: string): Promise<number> => (await activationsOf(licenseKey)).filter((a) => a.sessionActive).length;

/** The server's current signing key (tests get the run's secrets as SEATKEY_<NAME>). */
export const currentKeyJwk = (): JWK & { kid: string } => JSON.parse(process.env.SEATKEY_SIGNING_KEY ?? '') as JWK & { kid: string };

/** A token signed like the server's (header alg EdDSA, kid, typ JWT) with any claims. */
export async function signToken(claims: Record<string, unknown>, jwk: JWK & { kid: string } = currentKeyJwk()): Promise<string> {
  const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, 'EdDSA');
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid, typ: 'JWT' }).sign(key);
}

export const decodePart = (token: string, i: 0 | 1): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[i] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * Runs a v2 scheduled function in the Functions emulator: it serves one as an HTTP function, at
 * its trigger key (name plus a load generation, `sweepExpired-0`), which its 404 for the bare name lists.
 */
export async function runScheduled(name: string): Promise<number> {
  const probe = await fetch(`${BASE_URL}/${name}`, { method: 'POST' });
  const listed = (await probe.text()).match(new RegExp(`-(${name}-\\d+)\\b`));
  if (!listed?.[1]) throw new Error(`scheduled function ${name} not found in the emulator`);
  const r = await fetch(`${BASE_URL}/${listed[1]}`, { method: 'POST' });
  await r.text();
  return r.status;
}

/**
 * Starts `width` emulator workers for an endpoint in waves of ten, each request built by `body`
 * (one that reaches Firestore warms its client too), so a concurrency test then measures the
 * endpoint, not dozens of workers loading at once.
 */
export async function warmWorkers(name: string, width: number, body: () => unknown = () => ({})): Promise<void> {
  const call = client();
  for (let n = Math.min(10, width); ; n = Math.min(width, n + 10)) {
    await Promise.all(Array.from({ length: n }, () => call(name, body())));
    if (n === width) return;
  }
}

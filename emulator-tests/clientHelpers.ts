// Fixtures for the client-endpoint tests: licences, a client bound to one IP, licence states set
// through the admin endpoints, direct reads of stored state, and tokens signed the way the
// server signs them.
import { SignJWT, importJWK, type JWK } from 'jose';
import { fingerprintHash } from '../functions/src/domain/activation.ts';
import { run as sweepExpired } from '../functions/src/jobs/sweepExpired.ts';
import { activationRef, listActivations } from '../functions/src/store/activations.ts';
import { getLicenseRecord } from '../functions/src/store/licenses.ts';
import { db } from '../functions/src/store/firestore.ts';
import type { LicenseRecord } from '../functions/src/domain/license.ts';
import { asAdmin, asCreator, call, newCreator, newProduct, randomIp, uid, type CreatorFixture, type Reply } from './helpers.ts';

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

/** What an admin can make of a licence through updateLicense and revokeLicense. */
export interface AdminState {
  status?: 'active' | 'degraded' | 'suspended';
  expiresAt?: Date | null;
  /** Revokes the licence for this reason. */
  revoke?: 'manual' | 'fraud' | 'cancelled' | 'refund' | 'chargeback';
}

/** Puts a licence in a state through the admin endpoints, as its creator's tools would. */
export async function setLicenseState(licenseKey: string, state: AdminState): Promise<void> {
  const { revoke, expiresAt, status } = state;
  if (status !== undefined || expiresAt !== undefined) {
    const r = await asAdmin('updateLicense', { licenseKey, status, expiresAt: expiresAt === undefined ? undefined : (expiresAt?.toISOString() ?? null) });
    if (r.status !== 200) throw new Error(`updateLicense failed: ${r.status} ${r.text}`);
  }
  if (revoke !== undefined) {
    const r = await asAdmin('revokeLicense', { licenseKey, reason: revoke });
    if (r.status !== 200) throw new Error(`revokeLicense failed: ${r.status} ${r.text}`);
  }
}

/**
 * The licence-record fields setLicenseState can produce, for tests written against the stored
 * record (`revoked: true` revokes with `revokeReason`); goes through the admin endpoints too.
 */
export function patchLicense(licenseKey: string, patch: Pick<Partial<LicenseRecord>, 'adminStatus' | 'expiresAt' | 'revoked' | 'revokeReason' | 'revokedAt'>): Promise<void> {
  return setLicenseState(licenseKey, {
    ...(patch.adminStatus ? { status: patch.adminStatus } : {}),
    ...(patch.expiresAt !== undefined ? { expiresAt: patch.expiresAt } : {}),
    ...(patch.revoked ? { revoke: patch.revokeReason ?? 'manual' } : {}),
  });
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
 * Test setup: the machine's floating lease ran out a minute ago. Written directly because only
 * time makes a lease lapse, and the shortest heartbeat interval (30 s) is too long to wait for.
 */
export async function lapse(licenseKey: string, machineFingerprint: string): Promise<void> {
  await (await activationRef(licenseKey, fingerprintHash(machineFingerprint))).update({ leaseExpiresAt: new Date(Date.now() - 60_000) });
}

/**
 * The scheduled sweep (jobs/sweepExpired), run here over the given licences only, so test files
 * running at the same time never end each other's leases or delete each other's counters.
 */
export const sweepOf = (now: Date, ...licenseKeys: string[]) => sweepExpired(now, { licenseKeys });

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

/** A licence's seats as stored: its own `machinesUsed` (without the shards), and each seat shard's count by id. */
export async function seatShards(licenseKey: string): Promise<{ machinesUsed: number; updatedAt: unknown; shards: number[]; byShard: Record<string, number> }> {
  const ref = (await db()).collection('licenses').doc(licenseKey);
  const [doc, shards] = await Promise.all([ref.get(), ref.collection('seats').get()]);
  const byShard = Object.fromEntries(shards.docs.map((d) => [d.id, d.get('count') as number]));
  return { machinesUsed: doc.get('machinesUsed') as number, updatedAt: doc.get('updatedAt'), shards: Object.values(byShard), byShard };
}

export const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * The Functions emulator's own answer when a worker ran past its 60 s timeout (a cold worker on a
 * loaded machine): not Seatkey's reply, and whether the call committed is unknown.
 */
export const dropped = (r: Reply): boolean => r.status === 500 && r.body?.code === 'ECONNRESET';

/** The seat count as an admin (both places), validate and verify see it, each from an IP of its own. */
export async function countsSeen(licenseKey: string, creatorKey: string, fingerprint: string) {
  const [admin, validate, verify] = await Promise.all([
    asCreator(creatorKey, 'getLicense', { licenseKey }),
    client()('validate', { licenseKey, machineFingerprint: fingerprint }),
    client()('verify', { licenseKey }),
  ]);
  for (const r of [admin, validate, verify]) if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
  return { admin: admin.body.machinesUsed as number, license: admin.body.license.machinesUsed as number, validate: validate.body.machinesUsed as number, verify: verify.body.machinesUsed as number };
}

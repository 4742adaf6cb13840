// paymentConnections/{id}: a creator's account at a payment provider and its product mapping.
// The signing secret lives apart, in paymentConnectionSecrets/{id}, read only by the provider
// webhook path (connectionForWebhook): nothing that lists or presents a connection touches it.
// Beside them, what provider webhooks learn over time: providerCustomers (a customer's email,
// and purchases held until it is known) and providerRefs (a provider's other ids for a purchase).
import { compoundId, randomToken } from '../domain/crypto.js';
import { CONNECTION_ID_PREFIX, type PaymentConnection, type ProviderEvent } from '../domain/paymentConnection.js';
import { COLLECTIONS } from './collections.js';
import { converter, db, transaction } from './firestore.js';

interface ConnectionSecret {
  secret: string;
}

const connections = async () => (await db()).collection(COLLECTIONS.paymentConnections).withConverter(converter<PaymentConnection>());
const secrets = async () => (await db()).collection(COLLECTIONS.paymentConnectionSecrets).withConverter(converter<ConnectionSecret>());

export const newConnectionId = (): string => `${CONNECTION_ID_PREFIX}${randomToken(16)}`;

/** Writes the connection and its secret together. */
export async function insertConnection(connection: PaymentConnection, secret: string): Promise<void> {
  const [firestore, col, sec] = await Promise.all([db(), connections(), secrets()]);
  const batch = firestore.batch();
  batch.create(col.doc(connection.id), connection);
  batch.create(sec.doc(connection.id), { secret });
  await batch.commit();
}

export async function getConnection(id: string): Promise<PaymentConnection | undefined> {
  return (await (await connections()).doc(id).get()).data();
}

/** A creator's connections (every creator's, for the super admin), oldest first. */
export async function listConnectionRecords(creatorId: string | undefined): Promise<PaymentConnection[]> {
  const col = await connections();
  const snap = await (creatorId === undefined ? col : col.where('creatorId', '==', creatorId)).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * Applies `change` to the connection (and replaces the secret when one is given) in one
 * transaction, if `allowed` accepts the connection as it stands; undefined if it does not exist.
 */
export async function patchConnection(
  id: string,
  allowed: (current: PaymentConnection) => boolean,
  change: Partial<Pick<PaymentConnection, 'name' | 'products' | 'sellerId' | 'updatedAt'>>,
  secret?: string,
): Promise<PaymentConnection | undefined> {
  const [col, sec] = await Promise.all([connections(), secrets()]);
  return transaction(async (tx) => {
    const current = (await tx.get(col.doc(id))).data();
    if (!current || !allowed(current)) return undefined;
    const next = { ...current, ...change };
    tx.set(col.doc(id), next);
    if (secret !== undefined) tx.set(sec.doc(id), { secret });
    return next;
  });
}

export async function deleteConnectionRecord(id: string, allowed: (current: PaymentConnection) => boolean): Promise<boolean> {
  const [col, sec] = await Promise.all([connections(), secrets()]);
  return transaction(async (tx) => {
    const current = (await tx.get(col.doc(id))).data();
    if (!current || !allowed(current)) return false;
    tx.delete(col.doc(id));
    tx.delete(sec.doc(id));
    return true;
  });
}

/** The connection and its secret, for checking a webhook's signature; undefined if unknown. */
export async function connectionForWebhook(id: string): Promise<{ connection: PaymentConnection; secret: string } | undefined> {
  const [col, sec] = await Promise.all([connections(), secrets()]);
  const [c, s] = await Promise.all([col.doc(id).get(), sec.doc(id).get()]);
  const connection = c.data();
  const secret = s.data()?.secret;
  return connection && secret !== undefined ? { connection, secret } : undefined;
}

// --- what webhooks learn ---------------------------------------------------------------

export type HeldPurchase = Extract<ProviderEvent, { kind: 'purchase' }>;

interface ProviderCustomer {
  connectionId: string;
  customerId: string;
  email: string | null;
  /** Purchases that named this customer before its email was known, in arrival order. */
  held: HeldPurchase[];
}

const customers = async () => (await db()).collection(COLLECTIONS.providerCustomers).withConverter(converter<ProviderCustomer>());
const customerRef = async (connectionId: string, customerId: string) => (await customers()).doc(compoundId(connectionId, customerId));

/**
 * The customer's email if known; else holds the purchase on the customer's record, in the same
 * transaction that read it, so a customer event writing the email at the same time either comes
 * first (and the email is returned) or finds the purchase held.
 */
export async function emailOrHold(connectionId: string, customerId: string, purchase: HeldPurchase): Promise<string | null> {
  const ref = await customerRef(connectionId, customerId);
  return transaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    if (current?.email) return current.email;
    const held = (current?.held ?? []).filter((p) => p.purchaseId !== purchase.purchaseId);
    tx.set(ref, { connectionId, customerId, email: null, held: [...held, purchase] });
    return null;
  });
}

/** Records the customer's email; returns the purchases held for it (still held until released). */
export async function learnEmail(connectionId: string, customerId: string, email: string): Promise<HeldPurchase[]> {
  const ref = await customerRef(connectionId, customerId);
  return transaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    const held = current?.held ?? [];
    tx.set(ref, { connectionId, customerId, email, held });
    return held;
  });
}

/** Drops these purchases from the customer's held list once they are issued. */
export async function releaseHeld(connectionId: string, customerId: string, purchaseIds: readonly string[]): Promise<void> {
  const ref = await customerRef(connectionId, customerId);
  await transaction(async (tx) => {
    const current = (await tx.get(ref)).data();
    if (!current) return;
    tx.set(ref, { ...current, held: current.held.filter((p) => !purchaseIds.includes(p.purchaseId)) });
  });
}

interface ProviderRef {
  connectionId: string;
  ref: string;
  purchaseId: string;
}

const refs = async () => (await db()).collection(COLLECTIONS.providerRefs).withConverter(converter<ProviderRef>());

/** Notes that later events may name the purchase by these ids. */
export async function rememberRefs(connectionId: string, purchaseId: string, ids: readonly string[]): Promise<void> {
  const wanted = ids.filter((id) => id !== purchaseId);
  if (wanted.length === 0) return;
  const [firestore, col] = await Promise.all([db(), refs()]);
  const batch = firestore.batch();
  for (const ref of wanted) batch.set(col.doc(compoundId(connectionId, ref)), { connectionId, ref, purchaseId });
  await batch.commit();
}

/** The purchase id the first of `ids` that is a known reference stands for; else the first id itself. */
export async function purchaseIdOf(connectionId: string, ids: readonly string[]): Promise<string> {
  const col = await refs();
  const snaps = await (await db()).getAll(...ids.map((id) => col.doc(compoundId(connectionId, id))));
  const found = snaps.map((s) => s.data()).find((r) => r !== undefined);
  return found?.purchaseId ?? ids[0]!;
}

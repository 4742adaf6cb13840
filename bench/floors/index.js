// Benchmark floors (a second functions codebase, staged only by `npm run bench`, never
// deployed): each does the least Firestore work its client endpoint needs, behind the same
// Functions emulator hop, so the client suite's ratios measure what Seatkey adds on top.
// They read the same licence and activation documents the real endpoints read.
import { onRequest } from 'firebase-functions/v2/https';

let firestore;
async function db() {
  if (!firestore) {
    const [{ getApps, initializeApp }, { getFirestore }] = await Promise.all([import('firebase-admin/app'), import('firebase-admin/firestore')]);
    firestore = getFirestore(getApps()[0] ?? initializeApp());
  }
  return firestore;
}

const licence = (f, key) => f.collection('licenses').doc(key);

/** activate: one transaction that reads one document and writes one. */
export const floorActivate = onRequest({ region: 'us-central1' }, async (req, res) => {
  const f = await db();
  const { licenseKey, fingerprint } = req.body;
  await f.runTransaction(async (tx) => {
    const snap = await tx.get(licence(f, licenseKey));
    tx.set(licence(f, licenseKey).collection('floorActivations').doc(fingerprint), { seated: snap.exists, at: new Date() });
  });
  res.json({ success: true });
});

/** verify: one document read. */
export const floorVerify = onRequest({ region: 'us-central1' }, async (req, res) => {
  const snap = await licence(await db(), req.body.licenseKey).get();
  res.json({ valid: snap.exists });
});

/**
 * validate: one batched read of the licence and the machine's activation. Less is not enough:
 * validate must see the licence's current state and whether this activation still exists.
 */
export const floorValidate = onRequest({ region: 'us-central1' }, async (req, res) => {
  const f = await db();
  const { licenseKey, fingerprint } = req.body;
  const [l, a] = await f.getAll(licence(f, licenseKey), licence(f, licenseKey).collection('activations').doc(fingerprint));
  res.json({ valid: l.exists && a.exists });
});

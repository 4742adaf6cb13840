// Licence management's benchmarks: a listLicenses page deep in a listing against the first page
// (the cursor must keep a page's cost flat with depth), and createLicense against the `health`
// floor, each pair measured interleaved in one run.
import { keyPrefixFor } from '../functions/src/domain/creator.ts';
import { licenseDraft } from '../functions/src/domain/license.ts';
import { generateLicenseKey } from '../functions/src/domain/licenseKey.ts';
import { db } from '../functions/src/store/firestore.ts';
import { writeLicense } from '../functions/src/store/licenses.ts';
import { get, newCreator, post } from './http.ts';
import { interleaved, median, warm, type Results } from './lib.ts';

const SEEDED = 2_050;
const DEPTH = 2_000;
const PAGE = 50;

/** Writes `n` licences straight into Firestore in batches: seeding is not what is measured. */
async function seed(creatorId: string, productId: string, n: number): Promise<void> {
  const firestore = await db();
  const prefix = keyPrefixFor(creatorId);
  const start = Date.now() - n * 1000;
  for (let done = 0; done < n; ) {
    const batch = firestore.batch();
    for (const end = Math.min(n, done + 500); done < end; done++) {
      const at = new Date(start + done * 1000);
      const draft = licenseDraft(
        { creatorId, productId, variant: null, email: `buyer${done}@example.com`, licenseType: 'per-machine', maxMachines: 1, maxConcurrent: null, expiresAt: null },
        at,
      );
      await writeLicense(batch, { ...draft, licenseKey: generateLicenseKey(prefix) });
    }
    await batch.commit();
  }
}

export async function run(results: Results): Promise<void> {
  console.log('\nlicenses');
  const creator = await newCreator('licenses');
  const auth = { 'x-api-key': creator.apiKey };
  const listed = `${creator.creatorId}-listed`;
  const sold = `${creator.creatorId}-sold`;
  for (const slug of [listed, sold]) await post('createProduct', { name: slug, slug }, auth);
  await seed(creator.creatorId, listed, SEEDED);

  const page = (filter: Record<string, unknown>, cursor?: string) => post('listLicenses', { ...filter, limit: PAGE, ...(cursor ? { cursor } : {}) }, auth);
  for (const [label, filter] of [
    ['', {}],
    [' (status=active, ordered by expiry)', { status: 'active' }],
  ] as const) {
    // Walk the first 2,000 licences page by page; the cursor then points at the 2,001st.
    let cursor: string | undefined;
    for (let walked = 0; walked < DEPTH; ) {
      const r = await page(filter, cursor);
      walked += r.licenses.length;
      cursor = r.nextCursor;
    }
    if (!cursor) throw new Error('the walk ended before 2,000 licences');
    const deep = cursor;
    const ops = { first: () => page(filter), deep: () => page(filter, deep) };
    await warm(ops.first, 5);
    await warm(ops.deep, 5);
    const lat = await interleaved(ops, 60);
    results.add({
      name: `listLicenses page of ${PAGE} after walking ${DEPTH} licences${label}`,
      value: median(lat.deep!),
      unit: 'ms',
      reference: 'the first page',
      referenceValue: median(lat.first!),
      target: '≤ 1.2',
    });
  }

  let n = 0;
  const ops = {
    health: () => get('health'),
    createLicense: () => post('createLicense', { email: `bench${n++}@example.com`, productId: sold }, auth),
  };
  await warm(ops.health, 10);
  await warm(ops.createLicense, 10);
  const lat = await interleaved(ops, 100);
  results.add({
    name: 'createLicense median latency (emulator)',
    value: median(lat.createLicense!),
    unit: 'ms',
    reference: 'health',
    referenceValue: median(lat.health!),
  });
}

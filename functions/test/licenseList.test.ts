// listLicenses' query plans: the status each filter finds, and a composite index in
// firestore.indexes.json for every query shape (the emulator does not enforce indexes, so this
// is where a missing one is caught).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LICENSE_STATUSES, type ListedStatus } from '../src/domain/license.ts';
import { listPlan, type LicenseFilter, type ListPlan } from '../src/store/licenseList.ts';

interface IndexField {
  fieldPath: string;
  order?: 'ASCENDING' | 'DESCENDING';
}
interface Index {
  collectionGroup: string;
  queryScope: string;
  fields: IndexField[];
}

const indexes = (JSON.parse(readFileSync(new URL('../../firestore.indexes.json', import.meta.url), 'utf8')) as { indexes: Index[] }).indexes;
const now = new Date('2026-06-01T00:00:00Z');

function everyFilter(): LicenseFilter[] {
  const out: LicenseFilter[] = [];
  for (const creatorId of [undefined, 'acme'])
    for (const productId of [undefined, 'app'])
      for (const email of [undefined, 'a@b.co'])
        for (const status of [undefined, ...LICENSE_STATUSES] as (ListedStatus | undefined)[]) out.push({ creatorId, productId, email, status });
  return out;
}

/** The composite index a plan needs: equality fields (any order), then the sort field. */
function needed(plan: ListPlan): { equalities: string[]; sort: IndexField } {
  const equalities = plan.where.filter(([, op]) => op === '==' || op === 'in').map(([f]) => f);
  const ranges = plan.where.filter(([, op]) => op !== '==' && op !== 'in').map(([f]) => f);
  for (const r of ranges) assert.equal(r, plan.order.field, 'a range filter must be on the sort field, which leads the order');
  return { equalities, sort: { fieldPath: plan.order.field, order: plan.order.direction === 'asc' ? 'ASCENDING' : 'DESCENDING' } };
}

function served(plan: ListPlan): boolean {
  const { equalities, sort } = needed(plan);
  // One field alone is served by Firestore's automatic single-field index.
  if (equalities.length === 0) return true;
  return indexes.some((ix) => {
    if (ix.collectionGroup !== 'licenses' || ix.queryScope !== 'COLLECTION') return false;
    const head = ix.fields.slice(0, equalities.length);
    const rest = ix.fields.slice(equalities.length);
    return (
      head.every((f) => f.order === 'ASCENDING' && equalities.includes(f.fieldPath)) &&
      new Set(head.map((f) => f.fieldPath)).size === equalities.length &&
      rest.length === 1 &&
      rest[0]!.fieldPath === sort.fieldPath &&
      rest[0]!.order === sort.order
    );
  });
}

describe('listLicenses query plans', () => {
  it('have a composite index for every combination of filters', () => {
    const missing = everyFilter()
      .map((f) => listPlan(f, now))
      .filter((p) => !served(p))
      .map((p) => JSON.stringify(needed(p)));
    assert.deepEqual([...new Set(missing)], []);
  });

  it('declare no licence index that no query uses', () => {
    // Besides the listings: countActiveMachines' sum of sandbox seats (store/licenses.ts), per product, creator or all.
    const sandboxSeats = [[], ['creatorId'], ['productId']].map((lead) => ({ equalities: [...lead, 'sandbox', 'baseStatus'], sort: { fieldPath: 'lapsesAt', order: 'ASCENDING' } }));
    const used = [...everyFilter().map((f) => needed(listPlan(f, now))), ...sandboxSeats];
    for (const ix of indexes.filter((i) => i.collectionGroup === 'licenses')) {
      const ok = used.some((u) => ix.fields.length === u.equalities.length + 1 && ix.fields.slice(0, -1).every((f) => u.equalities.includes(f.fieldPath)) && ix.fields.at(-1)!.fieldPath === u.sort.fieldPath && ix.fields.at(-1)!.order === u.sort.order);
      assert.ok(ok, `unused index ${JSON.stringify(ix.fields)}`);
    }
  });

  it('filter the derived status the way statusAt derives it', () => {
    const where = (status: ListedStatus) => listPlan({ creatorId: 'acme', status }, now).where;
    assert.deepEqual(where('revoked'), [['creatorId', '==', 'acme'], ['baseStatus', '==', 'revoked']]);
    assert.deepEqual(where('suspended'), [['creatorId', '==', 'acme'], ['baseStatus', '==', 'suspended']]);
    assert.deepEqual(where('active'), [['creatorId', '==', 'acme'], ['baseStatus', '==', 'active'], ['lapsesAt', '>', now]]);
    assert.deepEqual(where('degraded'), [['creatorId', '==', 'acme'], ['baseStatus', '==', 'degraded'], ['lapsesAt', '>', now]]);
    assert.deepEqual(where('expired'), [['creatorId', '==', 'acme'], ['baseStatus', 'in', ['active', 'degraded']], ['lapsesAt', '<=', now]]);
  });

  it('let a product filter stand in for the creator filter', () => {
    assert.deepEqual(listPlan({ creatorId: 'acme', productId: 'app' }, now).where, [['productId', '==', 'app']]);
  });
});

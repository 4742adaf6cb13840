// The index configuration of the collections written on every call (firestore.indexes.json):
// fields no query needs are exempt from indexing, so their writes cost no index entries and a
// monotonically increasing field (a timestamp) puts no collection under Firestore's limit of
// about 500 writes a second to one index range. The emulator does not enforce indexes, so this
// is where an exemption that a query needs is caught: every query the store runs on these
// collections is listed here, checked against the configuration, and the modules are scanned
// so a new query on a field the list does not know fails until it is listed (and served).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

type Order = 'ASCENDING' | 'DESCENDING';
interface IndexField {
  fieldPath: string;
  order?: Order;
}
interface Config {
  indexes: { collectionGroup: string; queryScope: string; fields: IndexField[] }[];
  fieldOverrides: { collectionGroup: string; fieldPath: string; ttl?: boolean; indexes: { order?: Order; arrayConfig?: string; queryScope: string }[] }[];
}
const config = JSON.parse(readFileSync(new URL('../../firestore.indexes.json', import.meta.url), 'utf8')) as Config;
const source = (file: string) => readFileSync(new URL(`../src/store/${file}`, import.meta.url), 'utf8');

/** A query: its equality (or `in`) fields, and the field it ranges over or sorts by. */
interface QueryShape {
  what: string;
  group: string;
  scope?: 'COLLECTION' | 'COLLECTION_GROUP';
  equalities: string[];
  sort?: IndexField;
}

/** Every query the store runs on the hot collections, by module. */
const QUERIES: Record<string, QueryShape[]> = {
  'events.ts': [
    ...[[], ['creatorId'], ['licenseKey'], ['type'], ['creatorId', 'licenseKey'], ['creatorId', 'type'], ['licenseKey', 'type'], ['creatorId', 'licenseKey', 'type']].map((eq) => ({
      what: `listEvents filtered by ${eq.join(', ') || 'nothing'}`,
      group: 'events',
      equalities: eq,
      sort: { fieldPath: 'createdAt', order: 'DESCENDING' as const },
    })),
    { what: 'the outbox sweep', group: 'eventOutbox', equalities: [], sort: { fieldPath: 'createdAt', order: 'ASCENDING' } },
  ],
  'activations.ts': [
    { what: 'an activation by its id', group: 'activations', equalities: ['activationId'] },
    { what: "a licence's lapsed leases", group: 'activations', equalities: [], sort: { fieldPath: 'leaseExpiresAt', order: 'ASCENDING' } },
    { what: 'every lapsed lease (the sweep)', group: 'activations', scope: 'COLLECTION_GROUP', equalities: [], sort: { fieldPath: 'leaseExpiresAt', order: 'ASCENDING' } },
  ],
  'sales.ts': [
    { what: 'totals buckets', group: 'salesTotals', equalities: ['key', 'creatorId', 'productId'] },
    { what: "a creator's year buckets (all-time totals)", group: 'salesTotals', equalities: ['creatorId'], sort: { fieldPath: 'key', order: 'ASCENDING' } },
    { what: "everyone's year buckets (all-time totals, super-admin)", group: 'salesTotals', equalities: [], sort: { fieldPath: 'key', order: 'ASCENDING' } },
    { what: "a purchase's ledger entries (provider refunds and disputes)", group: 'sales', equalities: ['purchaseId'] },
    { what: "listSales for a creator", group: 'sales', equalities: ['creatorId'], sort: { fieldPath: 'occurredAt', order: 'DESCENDING' } },
    { what: "listSales for a product", group: 'sales', equalities: ['productId'], sort: { fieldPath: 'occurredAt', order: 'DESCENDING' } },
  ],
  'accounts.ts': [
    { what: "a closed account's events (the purge)", group: 'events', equalities: ['creatorId'], sort: { fieldPath: 'createdAt', order: 'DESCENDING' } },
    { what: "a closed account's sales (the purge)", group: 'sales', equalities: ['creatorId'], sort: { fieldPath: 'occurredAt', order: 'DESCENDING' } },
    { what: "a closed account's totals (the purge)", group: 'salesTotals', equalities: ['creatorId'] },
    { what: "a closed account's expiry notices (the purge)", group: 'expiryNotices', equalities: ['licenseKey'] },
    { what: "a closed account's trial claims (the purge)", group: 'trialClaims', equalities: ['productId'] },
    { what: 'closed accounts not yet purged (the job)', group: 'creators', equalities: ['purgePending'] },
    { what: "a closed account's provider customers and ids (the purge)", group: 'providerCustomers', equalities: ['connectionId'] },
  ],
  'rateLimits.ts': [{ what: 'expired counters', group: 'rateLimits', equalities: [], sort: { fieldPath: 'expireAt', order: 'ASCENDING' } }],
  'seatCounts.ts': [
    ...[['sandbox'], ['sandbox', 'productId'], ['sandbox', 'creatorId']].map((eq) => ({ what: `seats on shards by ${eq.join(', ')} (stats)`, group: 'seats', scope: 'COLLECTION_GROUP' as const, equalities: eq })),
  ],
};
/** Fields a module only sums (an aggregation needs no index of its own). */
const SUMMED: Record<string, string[]> = { 'seatCounts.ts': ['count'] };
/** Queries the scoped (test-only) runs of the jobs add; the emulator needs no index for them. */
const SCOPED_ONLY: Record<string, string[]> = { 'events.ts': ['creatorId'] };

/** Whether Firestore's single-field index on `field` exists in this order and scope. */
function singleField(group: string, field: string, order: Order, scope = 'COLLECTION'): boolean {
  const override = config.fieldOverrides.find((o) => o.collectionGroup === group && o.fieldPath === field);
  // Without an override, Firestore keeps ascending and descending collection-scope indexes.
  if (!override) return scope === 'COLLECTION';
  return override.indexes.some((i) => i.order === order && i.queryScope === scope);
}

function served(q: QueryShape): boolean {
  const scope = q.scope ?? 'COLLECTION';
  if (q.equalities.length === 0) return q.sort ? singleField(q.group, q.sort.fieldPath, q.sort.order!, scope) : true;
  if (!q.sort) {
    // Equalities alone: Firestore merges the single-field indexes.
    return q.equalities.every((f) => singleField(q.group, f, 'ASCENDING', scope));
  }
  return config.indexes.some((ix) => {
    if (ix.collectionGroup !== q.group || ix.queryScope !== scope) return false;
    const fields = ix.fields.filter((f) => f.fieldPath !== '__name__');
    const head = fields.slice(0, q.equalities.length);
    return (
      fields.length === q.equalities.length + 1 &&
      head.every((f) => q.equalities.includes(f.fieldPath)) &&
      fields[q.equalities.length]!.fieldPath === q.sort!.fieldPath &&
      fields[q.equalities.length]!.order === q.sort!.order
    );
  });
}

/** The field names a module filters, sorts or sums on. */
function queriedFields(file: string): Set<string> {
  const found = new Set<string>();
  for (const m of source(file).matchAll(/\.(?:where|orderBy)\('([A-Za-z_.]+)'|AggregateField\.sum\('([A-Za-z_.]+)'\)/g)) found.add((m[1] ?? m[2])!);
  return found;
}

describe('index configuration', () => {
  it('serves every query the store runs on the collections written on every call', () => {
    const unserved = Object.values(QUERIES)
      .flat()
      .filter((q) => !served(q))
      .map((q) => `${q.group}: ${q.what}`);
    assert.deepEqual(unserved, []);
  });

  it('lists every field those modules query (a new query must be added above, and served)', () => {
    for (const [file, queries] of Object.entries(QUERIES)) {
      const listed = new Set([...queries.flatMap((q) => [...q.equalities, ...(q.sort ? [q.sort.fieldPath] : [])]), ...(SCOPED_ONLY[file] ?? []), ...(SUMMED[file] ?? [])]);
      assert.deepEqual([...queriedFields(file)].sort(), [...listed].sort(), file);
    }
  });

  it('exempts the fields written on every call that no query needs', () => {
    const exempt = (group: string, field: string) => config.fieldOverrides.some((o) => o.collectionGroup === group && o.fieldPath === field && o.indexes.length === 0);
    for (const field of ['data', 'creatorId', 'licenseKey', 'type']) assert.ok(exempt('events', field), `events.${field}`);
    for (const field of ['lastSeen', 'firstSeen', 'hostname', 'countries']) assert.ok(exempt('activations', field), `activations.${field}`);
    for (const field of ['occurredAt', 'creatorId']) assert.ok(exempt('sales', field), `sales.${field}`);
    assert.ok(exempt('licenses', 'updatedAt'), 'licenses.updatedAt');
    // The timestamps that stay indexed keep one direction only: the one their query reads.
    assert.ok(!singleField('events', 'createdAt', 'ASCENDING') && singleField('events', 'createdAt', 'DESCENDING'));
    assert.ok(singleField('eventOutbox', 'createdAt', 'ASCENDING') && !singleField('eventOutbox', 'createdAt', 'DESCENDING'));
  });

  it('never exempts a field a licence listing or the expiry job needs', () => {
    for (const field of ['createdAt', 'lapsesAt', 'expiresAt', 'creatorId', 'productId', 'email', 'baseStatus', 'machinesUsed']) {
      assert.ok(!config.fieldOverrides.some((o) => o.collectionGroup === 'licenses' && o.fieldPath === field), `licenses.${field}`);
    }
  });
});

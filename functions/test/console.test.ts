// Pure pieces behind the console: the daily sales series, and the Hosting config that routes
// /api/<name> to every HTTP function (the console calls nothing else).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dailySeries, daysCovering, type TotalsBucket } from '../src/domain/sales.ts';
import { limitSubject, assertOwner, assertPerson, type Caller } from '../src/domain/scope.ts';
import { SeatkeyError } from '../src/domain/errors.ts';

const bucket = (key: string, productId: string, currency: string | null, counts: Partial<TotalsBucket>): TotalsBucket => ({ creatorId: 'c', productId, currency, key, ...counts });

describe('daysCovering', () => {
  it('lists every UTC day of the range, both ends included, across month and leap-day edges', () => {
    assert.deepEqual(daysCovering(new Date('2024-02-27T10:00:00Z'), new Date('2024-03-01T23:00:00Z')), ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
    assert.deepEqual(daysCovering(new Date('2025-01-01'), new Date('2025-01-01')), ['2025-01-01']);
  });
});

describe('dailySeries', () => {
  const days = ['2025-03-01', '2025-03-02', '2025-03-03'];
  it('gives one series per product and currency with every day present, zero where nothing sold', () => {
    const series = dailySeries(days, [
      bucket('d:2025-03-02', 'app', 'USD', { unitsSold: 2, grossCents: 5000, refundedCents: 0 }),
      bucket('d:2025-03-03', 'app', 'USD', { unitsSold: 1, grossCents: 2500, refundedCents: 2500 }),
      bucket('d:2025-03-01', 'app', 'EUR', { unitsSold: 1, grossCents: 900 }),
      bucket('d:2025-03-01', 'app', null, { licensesIssued: 4 }),
      bucket('m:2025-03', 'app', 'USD', { unitsSold: 99, grossCents: 99 }),
      bucket('d:2025-02-28', 'app', 'USD', { unitsSold: 99, grossCents: 99 }),
    ]);
    assert.deepEqual(series.map((s) => [s.productId, s.currency]), [['app', 'EUR'], ['app', 'USD']]);
    assert.deepEqual(series[1]!.points, [
      { date: '2025-03-01', unitsSold: 0, grossCents: 0, refundedCents: 0 },
      { date: '2025-03-02', unitsSold: 2, grossCents: 5000, refundedCents: 0 },
      { date: '2025-03-03', unitsSold: 1, grossCents: 2500, refundedCents: 2500 },
    ]);
    assert.deepEqual(series[0]!.points.map((p) => p.grossCents), [900, 0, 0]);
  });

  it('is empty when nothing sold', () => {
    assert.deepEqual(dailySeries(days, [bucket('d:2025-03-01', 'app', null, { licensesIssued: 1 })]), []);
  });
});

describe('callers: people and API keys', () => {
  const key: Caller = { kind: 'creator', creatorId: 'c', apiKeyId: 'key_1' };
  const owner: Caller = { kind: 'creator', creatorId: 'c', member: { uid: 'u1', email: 'o@example.com', role: 'owner' } };
  const mate: Caller = { kind: 'creator', creatorId: 'c', member: { uid: 'u2', email: 'm@example.com', role: 'member' } };
  const code = (f: () => void) => {
    try {
      f();
      return 'ok';
    } catch (e) {
      return (e as SeatkeyError).code;
    }
  };
  it('counts the admin limit per API key or per person', () => {
    assert.equal(limitSubject(key), 'key_1');
    assert.equal(limitSubject(owner), 'user:u1');
  });
  it('lets people, not keys, act as people; only the owner manage members', () => {
    assert.deepEqual([key, owner, mate, { kind: 'super' } as Caller].map((c) => code(() => assertPerson(c))), ['unauthorized', 'ok', 'ok', 'ok']);
    assert.deepEqual([key, owner, mate, { kind: 'super' } as Caller].map((c) => code(() => assertOwner(c))), ['unauthorized', 'ok', 'forbidden', 'ok']);
  });
});

describe('firebase.json hosting', () => {
  const config = JSON.parse(readFileSync(new URL('../../firebase.json', import.meta.url), 'utf8'));
  const index = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
  // CG's routes (dialects/cg/) are the contract's own functions: the console calls them at /api/<name>.
  const cgRoutes = [...index.matchAll(/export const (\w+) = dialectFunction\([^)]*\) => import\('\.\/dialects\/cg\//g)].map((m) => m[1]!);
  const httpFunctions = [...[...index.matchAll(/export const (\w+) = (?:admin|account|buyer|client|webhook|open)Function\(/g)].map((m) => m[1]!), ...cgRoutes];
  // Other systems' routes are served at their own documented paths (docs/dialects.md).
  const dialectRoutes = [...index.matchAll(/export const (\w+) = dialectFunction\(/g)].map((m) => m[1]!).filter((n) => !cgRoutes.includes(n));
  // Provider webhooks take the connection id in the path: /api/<name>/<connectionId>.
  const providerFunctions = [...index.matchAll(/export const (\w+) = providerFunction\(/g)].map((m) => m[1]);

  it('serves the console build and rewrites /api/<name> to every HTTP function, the SPA fallback last', () => {
    assert.equal(config.hosting.public, 'console/dist');
    const rewrites = config.hosting.rewrites as { source: string; function?: { functionId: string; region: string }; destination?: string }[];
    const api = rewrites.filter((r) => r.function && !dialectRoutes.includes(r.function.functionId));
    assert.deepEqual(api.map((r) => r.source).sort(), [...httpFunctions.map((n) => `/api/${n}`), ...providerFunctions.map((n) => `/api/${n}/**`)].sort());
    for (const r of api) assert.equal(r.source.replace(/\/\*\*$/, ''), `/api/${r.function!.functionId}`);
    assert.equal(providerFunctions.length, 5);
    assert.ok(httpFunctions.includes('createAccount') && httpFunctions.length > 50);
    assert.deepEqual(rewrites.at(-1), { source: '**', destination: '/index.html' });
  });

  it('serves every other system\'s route at a path of its own, none of them a console path, before the SPA fallback', () => {
    const rewrites = config.hosting.rewrites as { source: string; function?: { functionId: string } }[];
    assert.ok(dialectRoutes.length >= 14, 'index.ts was read');
    for (const name of dialectRoutes) {
      const at = rewrites.filter((r) => r.function?.functionId === name);
      assert.equal(at.length, 1, `${name} has one rewrite`);
      assert.ok(!httpFunctions.some((f) => at[0]!.source === `/api/${f}`), `${name}'s path is not a console path`);
    }
    const sources = rewrites.map((r) => r.source);
    assert.equal(new Set(sources).size, sources.length, 'no path is rewritten twice');
  });
});

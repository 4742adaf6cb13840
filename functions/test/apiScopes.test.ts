// API key scopes: every admin endpoint index.ts exports declares the scope it needs, in the one
// table (domain/apiScopes.ts), and a key holds exactly the scopes it was given.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { API_SCOPES, assertScope, ENDPOINT_SCOPES } from '../src/domain/apiScopes.ts';
import { SeatkeyError } from '../src/domain/errors.ts';

const INDEX = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
// Admin functions, and dialect routes that take an API key (admin ones, and the License
// Verification Server's client routes, which check the tenant's key themselves).
const adminEndpoints = [
  ...[...INDEX.matchAll(/adminFunction\('([A-Za-z]+)'/g)].map((m) => m[1]!),
  ...[...INDEX.matchAll(/dialectFunction\('([A-Za-z]+)', 'admin'/g)].map((m) => m[1]!),
  ...[...INDEX.matchAll(/dialectFunction\('(lvs(?!Pubkey)[A-Za-z]+)'/g)].map((m) => m[1]!),
];

describe('API key scopes', () => {
  it('has a scope for every admin endpoint index.ts exports', () => {
    assert.ok(adminEndpoints.length > 40, 'index.ts was read');
    const missing = adminEndpoints.filter((name) => ENDPOINT_SCOPES[name] === undefined);
    assert.deepEqual(missing, []);
  });

  it('names only known scopes', () => {
    for (const [name, scope] of Object.entries(ENDPOINT_SCOPES)) assert.ok((API_SCOPES as readonly string[]).includes(scope), `${name}: ${scope}`);
  });

  it('lets a key without scopes do anything, and a scoped key only what its scopes cover', () => {
    assert.doesNotThrow(() => assertScope('createLicense', undefined));
    assert.doesNotThrow(() => assertScope('getLicense', ['licenses:read']));
    assert.throws(
      () => assertScope('createLicense', ['licenses:read']),
      (e) => e instanceof SeatkeyError && e.code === 'insufficient_scope' && /licenses:write/.test(e.message),
    );
    assert.throws(() => assertScope('getStats', []), (e) => e instanceof SeatkeyError && e.code === 'insufficient_scope');
  });

  it('refuses an admin endpoint that declares no scope (fail closed)', () => {
    assert.throws(() => assertScope('noSuchEndpoint', undefined), /declares no scope/);
  });
});

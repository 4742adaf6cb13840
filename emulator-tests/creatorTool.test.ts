// What CG's creator tool expects: Reinstate makes a suspended or a revoked licence active (its
// violations resolved, threat level 0), getLicense carries machinesUsed at the top level, and
// activations carry the countries they were used from.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, eventsOf, machine, newLicense } from './clientHelpers.ts';
import { asCreator, call, randomIp } from './helpers.ts';

async function inspect(apiKey: string, licenseKey: string) {
  const r = await asCreator(apiKey, 'getLicense', { licenseKey });
  assert.equal(r.status, 200, r.text);
  return r.body as { license: any; activations: any[]; violations: any[]; machinesUsed: number };
}

describe('reinstateLicense, as the creator tool uses it', () => {
  it('makes a licence an admin suspended active again', async () => {
    const { creator, licenseKey, productId } = await newLicense();
    const suspended = await asCreator(creator.apiKey, 'updateLicense', { licenseKey, status: 'suspended' });
    assert.deepEqual([suspended.body.license.status, suspended.body.license.threatLevel], ['suspended', 3]);
    const r = await asCreator(creator.apiKey, 'reinstateLicense', { licenseKey, reason: 'manual' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.license.status, r.body.license.threatLevel], ['active', 0]);
    const act = await client()('activate', { licenseKey, machineFingerprint: machine(), productId });
    assert.equal(act.status, 200, act.text);
    const event = (await eventsOf(licenseKey)).find((e) => e.type === 'license.reinstated');
    assert.deepEqual([event?.data.previousStatus, event?.data.previousThreatLevel, event?.data.reason], ['suspended', 3, 'manual']);
  });

  it('makes a licence its violations suspended active again, resolving them (they stay listed)', async () => {
    const { creator, licenseKey, productId } = await newLicense({
      maxMachines: 1,
      violationThresholds: { machineChurn: null, rapidActivations: null, overLimitAttempts: { count: 2, windowMinutes: 60, severity: 3 } },
    });
    const call = client();
    const seated = machine();
    assert.equal((await call('activate', { licenseKey, machineFingerprint: seated, productId })).status, 200);
    const intruder = machine();
    for (let i = 0; i < 2; i++) await call('activate', { licenseKey, machineFingerprint: intruder, productId });
    let state = await inspect(creator.apiKey, licenseKey);
    assert.deepEqual([state.license.status, state.license.threatLevel, state.violations.length], ['suspended', 3, 1]);
    const refused = await call('verify', { licenseKey });
    assert.equal(refused.body.code, 'suspended');

    const r = await asCreator(creator.apiKey, 'reinstateLicense', { licenseKey });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.license.status, r.body.license.threatLevel, r.body.license.unresolvedViolationsCount], ['active', 0, 0]);
    state = await inspect(creator.apiKey, licenseKey);
    assert.equal(state.violations.length, 1, 'kept on record');
    assert.equal(state.violations[0].resolved, true);
    assert.ok(state.violations[0].resolvedAt);
    assert.equal((await call('verify', { licenseKey })).body.status, 'active');
    assert.equal(state.machinesUsed, 1, 'its activations are as they were');
    const event = (await eventsOf(licenseKey)).find((e) => e.type === 'license.reinstated');
    assert.deepEqual(event?.data.resolvedViolationIds, [state.violations[0].id]);
  });

  it('makes a revoked licence active, and leaves an active one alone (no event)', async () => {
    const { creator, licenseKey } = await newLicense();
    assert.equal((await asCreator(creator.apiKey, 'revokeLicense', { licenseKey, reason: 'chargeback' })).status, 200);
    const r = await asCreator(creator.apiKey, 'reinstateLicense', { licenseKey });
    assert.deepEqual([r.body.license.status, r.body.license.threatLevel, r.body.license.disputeReason], ['active', 0, null]);
    const again = await asCreator(creator.apiKey, 'reinstateLicense', { licenseKey });
    assert.equal(again.status, 200);
    assert.equal((await eventsOf(licenseKey)).filter((e) => e.type === 'license.reinstated').length, 1);
  });
});

describe('getLicense for the creator tool', () => {
  it('carries machinesUsed at the top level, and each activation its countries', async () => {
    const { creator, licenseKey, productId } = await newLicense({ maxMachines: 3 });
    const ip = randomIp();
    const send = (name: string, body: unknown, headers: Record<string, string> = {}) => call(name, body, { ip, headers });
    const travelling = machine();
    const quiet = machine();
    assert.equal((await send('activate', { licenseKey, machineFingerprint: travelling, productId }, { 'x-appengine-country': 'de' })).status, 200);
    assert.equal((await send('heartbeat', { licenseKey, machineFingerprint: travelling }, { 'cf-ipcountry': 'FR' })).status, 200);
    assert.equal((await send('activate', { licenseKey, machineFingerprint: travelling, productId }, { 'x-client-geo-location': 'DE,Berlin' })).status, 200);
    // Unknown and made-up values are no country.
    assert.equal((await send('activate', { licenseKey, machineFingerprint: quiet, productId }, { 'x-appengine-country': 'ZZ', 'cf-ipcountry': 'T1', 'x-country-code': 'Germany' })).status, 200);

    const state = await inspect(creator.apiKey, licenseKey);
    assert.equal(state.machinesUsed, 2);
    assert.equal(state.machinesUsed, state.license.machinesUsed);
    const [first, second] = state.activations;
    assert.deepEqual([first.countries, first.lastCountry], [['FR', 'DE'], 'DE']);
    assert.deepEqual([second.countries, second.lastCountry], [[], '']);
  });
});

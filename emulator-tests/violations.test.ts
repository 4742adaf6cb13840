// Threat detection: attempts past the seat limit, machine churn and rapid activations flag
// violations with per-product thresholds; repeated violations escalate; level 2 degrades (short
// tokens, a warning), level 3 suspends.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { client, eventsOf, machine, newLicense } from './clientHelpers.ts';
import { asCreator, isErrorShape } from './helpers.ts';

/** The default thresholds as docs/client.md (Threat levels) states them. */
const DOCUMENTED_DEFAULTS = {
  overLimitAttempts: { count: 10, windowMinutes: 24 * 60, severity: 1 },
  machineChurn: { count: 5, windowMinutes: 30 * 24 * 60, severity: 2 },
  rapidActivations: { count: 5, windowMinutes: 60, severity: 2 },
};

const only = (rule: string, settings: Record<string, unknown>) => ({
  violationThresholds: { overLimitAttempts: null, machineChurn: null, rapidActivations: null, [rule]: settings },
});

async function inspect(apiKey: string, licenseKey: string) {
  const r = await asCreator(apiKey, 'getLicense', { licenseKey });
  assert.equal(r.status, 200, r.text);
  return r.body as { license: any; violations: any[] };
}

describe('violations', () => {
  it('products carry documented default thresholds, which they can change or switch off', async () => {
    const { creator, productId } = await newLicense();
    const listed = await asCreator(creator.apiKey, 'listProducts', {});
    const product = listed.body.products.find((p: any) => p.productId === productId);
    assert.deepEqual(product.violationThresholds, DOCUMENTED_DEFAULTS);
    const u = await asCreator(creator.apiKey, 'updateProduct', { productId, violationThresholds: { machineChurn: null, rapidActivations: { count: 8, windowMinutes: 30, severity: 3 } } });
    assert.equal(u.status, 200, u.text);
    assert.deepEqual(u.body.product.violationThresholds, { ...DOCUMENTED_DEFAULTS, machineChurn: null, rapidActivations: { count: 8, windowMinutes: 30, severity: 3 } });
    const bad = await asCreator(creator.apiKey, 'updateProduct', { productId, violationThresholds: { rapidActivations: { count: 0, windowMinutes: 30, severity: 4 } } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /violationThresholds\.rapidActivations/);
  });

  it('flags repeated attempts past the seat limit, once per burst, and escalates a repeat to degraded', async () => {
    const { creator, licenseKey, productId } = await newLicense({ maxMachines: 1, ...only('overLimitAttempts', { count: 3, windowMinutes: 60, severity: 1 }) });
    const call = client();
    const seated = machine();
    await call('activate', { licenseKey, machineFingerprint: seated, productId });
    const intruder = machine();
    for (let i = 0; i < 3; i++) assert.equal((await call('activate', { licenseKey, machineFingerprint: intruder, productId })).status, 403);
    let state = await inspect(creator.apiKey, licenseKey);
    assert.equal(state.violations.length, 1);
    const [v] = state.violations;
    assert.equal(v.type, 'activation_attempts_over_limit');
    assert.equal(v.severity, 1);
    assert.equal(v.resolved, false);
    assert.ok(Date.parse(v.detectedAt) > Date.now() - 60_000);
    assert.deepEqual(v.details, { refusedAttempts: 3, seatLimit: 1, windowMinutes: 60, threshold: 3 });
    assert.equal(state.license.threatLevel, 1);
    assert.equal(state.license.status, 'active', 'a warning changes nothing for the client');
    assert.equal(state.license.unresolvedViolationsCount, 1);

    // The next refused attempts start a new count: two more flag nothing, the third does.
    for (let i = 0; i < 2; i++) await call('activate', { licenseKey, machineFingerprint: intruder, productId });
    assert.equal((await inspect(creator.apiKey, licenseKey)).violations.length, 1);
    await call('activate', { licenseKey, machineFingerprint: intruder, productId });
    state = await inspect(creator.apiKey, licenseKey);
    assert.equal(state.violations.length, 2);
    assert.equal(state.violations[0].severity, 2, 'a violation on a flagged licence escalates');
    assert.equal(state.license.threatLevel, 2);
    assert.equal(state.license.status, 'degraded');
    const again = await call('activate', { licenseKey, machineFingerprint: seated, productId });
    assert.equal(again.status, 200);
    assert.ok(again.body.warning);
    assert.ok(Date.parse(again.body.expiresAt) - Date.now() <= 86_400_000 + 60_000, '24-hour token');
    const flagged = (await eventsOf(licenseKey)).filter((e) => e.type === 'violation.flagged');
    assert.equal(flagged.length, 2);
    assert.equal(flagged[0]?.data.type, 'activation_attempts_over_limit');
  });

  it('flags machine churn: more distinct machines seated within the window than the seats allow', async () => {
    const { creator, licenseKey, productId } = await newLicense({ maxMachines: 1, ...only('machineChurn', { count: 2, windowMinutes: 1440, severity: 2 }) });
    const call = client();
    let last: any;
    for (let i = 0; i < 3; i++) {
      const fp = machine();
      last = await call('activate', { licenseKey, machineFingerprint: fp, productId });
      assert.equal(last.status, 200, last.text);
      if (i < 2) {
        assert.equal(last.body.warning, undefined);
        await call('deactivate', { licenseKey, machineFingerprint: fp });
      }
    }
    assert.equal(last.body.status, 'degraded', 'the third machine in a day on a one-seat licence');
    assert.ok(last.body.warning);
    const state = await inspect(creator.apiKey, licenseKey);
    assert.equal(state.violations[0].type, 'machine_churn');
    assert.deepEqual(state.violations[0].details, { distinctMachines: 3, seatLimit: 1, windowMinutes: 1440, threshold: 2 });
  });

  it('suspends on rapid activations from many machines and refuses from then on', async () => {
    const { creator, licenseKey, productId } = await newLicense({ maxMachines: 1, ...only('rapidActivations', { count: 2, windowMinutes: 10, severity: 3 }) });
    const call = client();
    const first = machine();
    const token = (await call('activate', { licenseKey, machineFingerprint: first, productId })).body.token;
    assert.ok(isErrorShape((await call('activate', { licenseKey, machineFingerprint: machine(), productId })).body, 'machine_limit'));
    const third = await call('activate', { licenseKey, machineFingerprint: machine(), productId });
    assert.equal(third.status, 403);
    assert.ok(isErrorShape(third.body, 'suspended'), third.text);
    const state = await inspect(creator.apiKey, licenseKey);
    assert.equal(state.license.status, 'suspended');
    assert.equal(state.license.threatLevel, 3);
    assert.equal(state.violations[0].type, 'rapid_activations');
    assert.equal((await call('validate', { token, machineFingerprint: first })).body.code, 'suspended');
    assert.equal((await call('verify', { licenseKey })).body.code, 'suspended');
    assert.ok(isErrorShape((await call('activate', { licenseKey, machineFingerprint: first, productId })).body, 'suspended'));
    assert.equal(state.license.machinesUsed, 1);
  });

  it('does not watch floating licences, whose concurrency limit is their protection', async () => {
    const { creator, licenseKey, productId } = await newLicense({
      licenseType: 'floating',
      maxConcurrent: 1,
      violationThresholds: { overLimitAttempts: { count: 1, windowMinutes: 60, severity: 3 }, rapidActivations: { count: 1, windowMinutes: 60, severity: 3 } },
    });
    const call = client();
    for (let i = 0; i < 3; i++) await call('activate', { licenseKey, machineFingerprint: machine(), productId });
    const state = await inspect(creator.apiKey, licenseKey);
    assert.equal(state.violations.length, 0);
    assert.equal(state.license.status, 'active');
  });
});

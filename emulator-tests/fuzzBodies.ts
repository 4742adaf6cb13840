// Generated request bodies for the property-based tests (functions/test/schemas.test.ts against
// every endpoint's schema, emulator-tests/untrustedInput.test.ts against every endpoint over HTTP):
// objects whose keys are the contract's field names and whose values mix plausible values with
// the shapes that used to reach Firestore and come back as 500.
import fc from 'fast-check';

/** Every field name the contract's endpoints take. */
export const FIELD_NAMES = [
  'email', 'productId', 'variant', 'variantId', 'licenseType', 'maxMachines', 'maxConcurrent', 'expiresAt', 'durationDays', 'duration',
  'discountCode', 'purchaseId', 'purchasedAt', 'bundleId', 'unlockedProducts', 'metadata', 'licenseKey', 'machineFingerprint', 'hostname',
  'token', 'status', 'reason', 'violationIds', 'activationId', 'code', 'type', 'trialDays', 'percentOff', 'amountOffCents', 'maxUses',
  'active', 'creatorId', 'name', 'slug', 'includeAll', 'limit', 'cursor', 'from', 'to', 'amount', 'currency', 'renewalId', 'refundId',
  'disputeId', 'id', 'webhookId', 'url', 'events', 'description', 'heartbeatIntervalSeconds', 'tokenTtlDays', 'violationThresholds',
  'emailSubject', 'emailFromName', 'emailReplyTo', 'emailInstructions', 'kid',
] as const;

/** Nested past any depth Firestore stores. */
const deep = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { a: deep(levels - 1, leaf) });

/** The inputs that once became 500s, and their relatives. */
const NASTY: unknown[] = [
  { '': 1 },
  { __name__: 1 },
  { a: { '': 2 } },
  deep(25, 1),
  deep(11, [1]),
  [[1, 2], [3]],
  { a: [[1]] },
  { value: 10_000, unit: 'years' },
  { value: 1_300, unit: 'months' },
  { value: 36_501, unit: 'days' },
  { value: 1, unit: 'weeks' },
  '0000-01-01',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '1969-12-31',
  '2026-02-30',
  'a/b',
  '.',
  '..',
  '__x__',
  '',
  ' ',
  '\u0000',
  '\ud800',
  'x'.repeat(5000),
  -1,
  0,
  1e300,
  -1e300,
  0.5,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  false,
  null,
  [],
  {},
  ['a', 'b'],
  'true',
  '1e3',
];

const plausible = fc.oneof(
  fc.constantFrom('per-machine', 'floating', 'site', 'active', 'suspended', 'live', 'trial', 'percent', 'fixed', 'USD', 'eur', 'manual', 'days', 'years'),
  fc.emailAddress(),
  fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,6})?$/),
  fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(3000, 0, 1)), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: -10, max: 100_000 }),
  fc.record({ value: fc.integer({ min: -1, max: 20_000 }), unit: fc.constantFrom('days', 'months', 'years', 'hours') }),
  fc.array(fc.stringMatching(/^[a-z0-9-]{1,10}$/), { maxLength: 4 }),
);

/** Any value a JSON body can carry, weighted towards the ones that matter. */
export const fieldValue = (extra: unknown[] = []): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...NASTY, ...(extra.length > 0 ? extra : [null])), weight: 4 },
    { arbitrary: plausible, weight: 3 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  );

/** A body: some of the contract's field names (and a stray key or two) with generated values. */
export const body = (extra: unknown[] = [], names: readonly string[] = FIELD_NAMES): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(fc.oneof({ arbitrary: fc.constantFrom(...names), weight: 9 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 }), fieldValue(extra), {
    maxKeys: 8,
  });

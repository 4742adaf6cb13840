// Unit tests for the foundation's pure logic: no emulator, no network.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compoundId, secretsEqual, digestsEqual, sha256Base64Url, sha256Hex, randomToken } from '../src/domain/crypto.ts';
import { keyPrefixFor } from '../src/domain/creator.ts';
import { addDuration } from '../src/domain/duration.ts';
import { slugify } from '../src/domain/product.ts';
import { actingCreator, assertVisible, canSee, type Caller } from '../src/domain/scope.ts';
import { SeatkeyError } from '../src/domain/errors.ts';
import { describeIssues } from '../src/http/issues.ts';
import { toErrorReply } from '../src/http/errors.ts';
import { shardsFor, shareOf } from '../src/store/rateLimits.ts';
import { RATE_LIMITS } from '../src/config.ts';

describe('secrets', () => {
  it('compares secrets of any length', () => {
    assert.equal(secretsEqual('abc', 'abc'), true);
    assert.equal(secretsEqual('abc', 'abd'), false);
    assert.equal(secretsEqual('abc', 'abcd'), false);
    assert.equal(secretsEqual('', ''), false, 'an empty expected secret never matches');
    assert.equal(digestsEqual(sha256Hex('a'), sha256Hex('a')), true);
    assert.equal(digestsEqual(sha256Hex('a'), sha256Hex('b')), false);
    assert.equal(digestsEqual('ab', sha256Hex('a')), false);
  });

  it('makes compound document ids that keep their parts apart', () => {
    assert.equal(compoundId('acme', 'order-1'), sha256Base64Url('acme\u0000order-1'));
    assert.notEqual(compoundId('ab', 'c'), compoundId('a', 'bc'));
    assert.match(compoundId('a/b', 'c'), /^[A-Za-z0-9_-]{43}$/);
  });

  it('makes random tokens of the asked size', () => {
    const t = randomToken(32);
    assert.equal(Buffer.from(t, 'base64url').length, 32);
    assert.notEqual(t, randomToken(32));
  });
});

describe('keyPrefixFor', () => {
  it('keeps upper-case letters and digits of the id, at most 8', () => {
    assert.equal(keyPrefixFor('acme'), 'ACME');
    assert.equal(keyPrefixFor('acme-studio-2'), 'ACMESTUD');
    assert.equal(keyPrefixFor('a_b-9'), 'AB9');
    assert.equal(keyPrefixFor('---'), 'SK');
  });
});

describe('addDuration', () => {
  const at = (s: string) => new Date(s);
  it('adds days exactly', () => {
    assert.equal(addDuration(at('2026-01-01T10:00:00Z'), { value: 30, unit: 'days' }).toISOString(), '2026-01-31T10:00:00.000Z');
  });
  it('counts months on the calendar and clamps to the end of a shorter month', () => {
    assert.equal(addDuration(at('2026-01-31T12:00:00Z'), { value: 1, unit: 'months' }).toISOString(), '2026-02-28T12:00:00.000Z');
    assert.equal(addDuration(at('2028-01-31T00:00:00Z'), { value: 1, unit: 'months' }).toISOString(), '2028-02-29T00:00:00.000Z');
    assert.equal(addDuration(at('2026-03-15T00:00:00Z'), { value: 12, unit: 'months' }).toISOString(), '2027-03-15T00:00:00.000Z');
    assert.equal(addDuration(at('2026-11-30T00:00:00Z'), { value: 3, unit: 'months' }).toISOString(), '2027-02-28T00:00:00.000Z');
  });
  it('counts years as twelve months', () => {
    assert.equal(addDuration(at('2028-02-29T08:00:00Z'), { value: 1, unit: 'years' }).toISOString(), '2029-02-28T08:00:00.000Z');
  });
});

describe('slugify', () => {
  it('makes ids from names', () => {
    assert.equal(slugify('Pro (3 seats)'), 'pro-3-seats');
    assert.equal(slugify('  Über Team  '), 'uber-team');
    assert.equal(slugify('!!!'), '');
  });
});

describe('scope', () => {
  const superAdmin: Caller = { kind: 'super' };
  const acme: Caller = { kind: 'creator', creatorId: 'acme', apiKeyId: 'key_1' };
  it('lets a creator see only its own resources, as 404 otherwise', () => {
    assert.equal(canSee(acme, 'acme'), true);
    assert.equal(canSee(acme, 'other'), false);
    assert.equal(canSee(superAdmin, 'other'), true);
    assert.throws(() => assertVisible(acme, 'other', 'Licence'), (e: SeatkeyError) => e.code === 'not_found');
  });
  it('resolves the acting creator', () => {
    assert.equal(actingCreator(acme, undefined), 'acme');
    assert.equal(actingCreator(acme, 'acme'), 'acme');
    assert.throws(() => actingCreator(acme, 'other'), (e: SeatkeyError) => e.code === 'not_found');
    assert.equal(actingCreator(superAdmin, undefined), undefined);
    assert.throws(() => actingCreator(superAdmin, undefined, true), (e: SeatkeyError) => e.code === 'invalid_request');
  });
});

describe('error replies', () => {
  it('maps codes to statuses and the two body shapes', () => {
    const r = toErrorReply(new SeatkeyError('machine_limit', 'Machine limit reached (3). Deactivate another machine first.'), 'success');
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { success: false, error: 'Machine limit reached (3). Deactivate another machine first.', code: 'machine_limit' });
    const v = toErrorReply(new SeatkeyError('invalid_token', 'bad'), 'valid');
    assert.deepEqual(v.body, { valid: false, error: 'bad', code: 'invalid_token' });
  });
  it('turns contention into a retryable 503 and anything else into a bare 500', () => {
    const busy = toErrorReply(Object.assign(new Error('10 ABORTED: Transaction lock timeout'), { code: 10 }), 'success');
    assert.equal(busy.status, 503);
    assert.equal(busy.headers['Retry-After'], '1');
    // The emulator closes a transaction whose locks timed out; the SDK then reports it so.
    const closed = toErrorReply(Object.assign(new Error('3 INVALID_ARGUMENT: Transaction is invalid or closed.'), { code: 3 }), 'success');
    assert.equal(closed.status, 503);
    // Any other invalid argument is a bug of ours: 500, logged.
    assert.equal(toErrorReply(Object.assign(new Error('3 INVALID_ARGUMENT: Value for argument "data" is not a valid Firestore document.'), { code: 3 }), 'success').status, 500);
    const boom = toErrorReply(new Error('secret detail at foo.js:1'), 'success');
    assert.equal(boom.status, 500);
    assert.deepEqual(boom.body, { success: false, error: 'Internal error', code: 'internal' });
    assert.ok(boom.unexpected);
  });
});

describe('schema messages', () => {
  it('names each field', () => {
    assert.equal(
      describeIssues([
        { code: 'invalid_type', path: ['email'], message: 'Invalid input: expected string, received undefined' },
        { code: 'too_small', path: ['duration', 'value'], message: 'Too small' },
        { code: 'custom', path: ['items', 2], message: 'bad' },
      ]),
      'Invalid request: email is required; duration.value: Too small; items[2]: bad',
    );
  });
});

describe('rate-limit shards', () => {
  it('splits each limit so its shares sum to the limit', () => {
    for (const rule of Object.values(RATE_LIMITS)) {
      const shards = shardsFor(rule);
      let sum = 0;
      for (let i = 0; i < shards; i++) sum += shareOf(rule.limit, shards, i);
      assert.equal(sum, rule.limit);
      // Each shard admits at most about one write per second over its window.
      assert.ok(shareOf(rule.limit, shards, 0) <= rule.windowSeconds);
    }
    assert.equal(shardsFor(RATE_LIMITS.validate), 1);
    assert.equal(shardsFor(RATE_LIMITS.admin), 10);
  });
});

describe('redact', () => {
  it('masks licence keys, API keys, webhook secrets and tokens in logged error texts', async () => {
    const { redact, loggable } = await import('../src/domain/redact.ts');
    const text =
      'NOT_FOUND: projects/demo/databases/(default)/documents/licenses/ACME-7K3M-Q9ZP-W2XH-4D ' +
      'key sk_live_AbC-123_xyz secret whsec_c_Zz99 admin adm_QQ token eyJhbGciOi.eyJzdWIiOi.sig_-1';
    const out = redact(text);
    assert.doesNotMatch(out, /7K3M|Q9ZP|W2XH|AbC-123|Zz99|adm_QQ|eyJzdWIiOi/);
    assert.match(out, /licenses\/ACME-\*\*\*\*-\*\*\*\*-\*\*\*\*-4D/);
    assert.match(out, /sk_live_\[redacted\]/);
    assert.match(out, /whsec_\[redacted\]/);
    assert.match(loggable(new Error('for ACME-7K3M-Q9ZP-W2XH-4D')), /ACME-\*\*\*\*/);
    assert.equal(redact('nothing secret here: status 503'), 'nothing secret here: status 503');
  });
});

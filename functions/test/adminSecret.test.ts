// A weak ADMIN_SECRET turns super-admin access off: which secrets are weak, what the pipeline's
// check does with one (the right value refused too, one log line saying why), and that the
// secrets `npm start` and `npm test` generate are strong.
import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { adminSecretWeakness, ADMIN_SECRET_MIN_LENGTH } from '../src/domain/adminSecret.ts';
import { isAdminSecret } from '../src/http/auth.ts';
import { SeatkeyError } from '../src/domain/errors.ts';
import { newSecrets } from '../../emulator-tests/harness/secrets.mjs';

const STRONG = 'Zq8-vR2_kL9mXw4TbN7cYp1sHd6JfG3e';

describe('adminSecretWeakness', () => {
  it('refuses secrets shorter than 32 characters', () => {
    assert.equal(ADMIN_SECRET_MIN_LENGTH, 32);
    assert.match(adminSecretWeakness(STRONG.slice(0, 31)) ?? '', /31 characters/);
    assert.match(adminSecretWeakness('') ?? '', /0 characters/);
    assert.equal(adminSecretWeakness(STRONG), undefined);
  });

  it('refuses well-known placeholders however long they are made', () => {
    for (const s of ['changeme-changeme-changeme-changeme', 'your-admin-secret-goes-here-0123456789', 'REPLACE_ME_REPLACE_ME_REPLACE_ME_1', 'this-is-an-example-value-of-32-chars', 'password1password2password3passwd']) {
      assert.match(adminSecretWeakness(s) ?? '', /placeholder/, s);
    }
  });

  it('refuses long strings with too few distinct characters', () => {
    assert.match(adminSecretWeakness('a'.repeat(64)) ?? '', /distinct/);
    assert.match(adminSecretWeakness('0123'.repeat(10)) ?? '', /distinct/);
  });

  it('accepts what npm start and npm test generate', () => {
    for (let i = 0; i < 50; i++) assert.equal(adminSecretWeakness(newSecrets().ADMIN_SECRET), undefined);
  });
});

describe('isAdminSecret', () => {
  it('compares against a strong secret in constant time', () => {
    assert.equal(isAdminSecret(STRONG, STRONG), true);
    assert.equal(isAdminSecret(`${STRONG}x`, STRONG), false);
  });

  it('refuses even the right value when the configured secret is weak, and logs why once', () => {
    const written: string[] = [];
    const write = mock.method(process.stderr, 'write', (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      for (let i = 0; i < 3; i++) {
        assert.throws(
          () => isAdminSecret('changeme', 'changeme'),
          (e: unknown) => e instanceof SeatkeyError && e.code === 'unauthorized' && /too weak/.test(e.message) && !e.message.includes('changeme'),
        );
      }
    } finally {
      write.mock.restore();
    }
    const lines = written.filter((l) => l.includes('Super-admin access is off'));
    assert.equal(lines.length, 1, written.join(''));
    assert.match(lines[0]!, /8 characters long; at least 32/);
    assert.doesNotMatch(lines[0]!, /changeme/, 'the log never holds the secret');
  });
});

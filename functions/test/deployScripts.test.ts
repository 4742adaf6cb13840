// `npm run deploy` and `npm run rotate-signing-key`: their dry runs (every command printed, none
// run: the scripts run here with child processes and fetch made to throw, so nothing can reach
// Google), their refusals, and the keys and secrets they generate.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { calculateJwkThumbprint, CompactSign, compactVerify, importJWK } from 'jose';
import { newSecrets, newSigningKey } from '../../emulator-tests/harness/secrets.mjs';
import { adminSecretWeakness } from '../src/domain/adminSecret.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Preloaded into the scripts: any attempt to run a command or make a request fails the run.
const NO_ESCAPE = `data:text/javascript,${encodeURIComponent(`
import cp from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  cp[name] = () => { throw new Error('dry run tried to run a command'); };
}
syncBuiltinESMExports();
globalThis.fetch = () => { throw new Error('dry run tried to make a request'); };
`)}`;

function run(script: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', NO_ESCAPE, `scripts/${script}.mjs`, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The `[dry run]` lines, in order. */
const commands = (out: string) => out.split('\n').filter((l) => l.startsWith('[dry run] ')).map((l) => l.slice('[dry run] '.length));

test('deploy --dry-run prints every step’s command, in order, with no secret value, and runs none', () => {
  const { status, out } = run('deploy', ['--dry-run', '--project', 'my-shop-1234', '--creator', 'acme']);
  assert.equal(status, 0, out);
  const p = '--project my-shop-1234';
  const secretSteps = ['ADMIN_SECRET', 'WEBHOOK_SECRET', 'SIGNING_KEY'].flatMap((name) => [
    `npx firebase functions:secrets:get ${name} ${p}`,
    `printf %s '<new ${name}>' | npx firebase functions:secrets:set ${name} --data-file - --non-interactive ${p}`,
  ]);
  assert.deepEqual(commands(out), [
    'npx firebase projects:list --json',
    ...secretSteps,
    `npx firebase deploy --only functions,firestore:rules,firestore:indexes,hosting ${p} --non-interactive`,
    `curl -s -X POST https://us-central1-my-shop-1234.cloudfunctions.net/createApiKey -H 'content-type: application/json' -H 'X-Admin-Secret: <ADMIN_SECRET>' -d '{"creatorId":"acme","name":"first key (npm run deploy)"}'`,
  ]);
  assert.match(out, /Functions base URL : https:\/\/us-central1-my-shop-1234\.cloudfunctions\.net/);
  assert.match(out, /Console {12}: https:\/\/my-shop-1234\.web\.app/);
  assert.match(out, /npx firebase functions:secrets:access ADMIN_SECRET --project my-shop-1234/);
  assert.match(out, /SIGNING_KEY: a new Ed25519 key, kid [\w-]{16}/);
  assert.doesNotMatch(out, /adm_|whsec_|"d":/, 'a generated secret was printed');
});

test('deploy --dry-run without --creator says where to sign up instead', () => {
  const { status, out } = run('deploy', ['--dry-run', '--project', 'my-shop-1234']);
  assert.equal(status, 0, out);
  assert.ok(!commands(out).some((c) => c.includes('createApiKey')));
  assert.match(out, /Sign up in the console at https:\/\/my-shop-1234\.web\.app/);
});

test('deploy refuses what it cannot deploy to, before running anything', () => {
  const none = run('deploy', ['--dry-run']);
  assert.equal(none.status, 1);
  assert.match(none.out, /No Firebase project selected: pass --project <id>/);
  const demo = run('deploy', ['--dry-run', '--project', 'demo-seatkey']);
  assert.equal(demo.status, 1);
  assert.match(demo.out, /local demo project/);
  const bad = run('deploy', ['--dry-run', '--project', 'My Project']);
  assert.equal(bad.status, 1);
  assert.match(bad.out, /not a Firebase project id/);
  const creator = run('deploy', ['--dry-run', '--project', 'my-shop-1234', '--creator', 'Not Valid!']);
  assert.equal(creator.status, 1);
  assert.match(creator.out, /--creator "Not Valid!"/);
  const unknown = run('deploy', ['--dry-run', '--project', 'my-shop-1234', '--force']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.out, /npm run deploy -- \[--project <id>\]/);
});

test('rotate-signing-key --dry-run sets a new SIGNING_KEY and redeploys the functions, a new kid each time', () => {
  const first = run('rotate-signing-key', ['--dry-run', '--project', 'my-shop-1234']);
  const second = run('rotate-signing-key', ['--dry-run', '--project', 'my-shop-1234']);
  assert.equal(first.status, 0, first.out);
  assert.deepEqual(commands(first.out), [
    "printf %s '<new SIGNING_KEY>' | npx firebase functions:secrets:set SIGNING_KEY --data-file - --non-interactive --project my-shop-1234",
    'npx firebase deploy --only functions --project my-shop-1234 --non-interactive',
  ]);
  const kid = (out: string) => out.match(/kid ([\w-]{16})/)?.[1];
  assert.ok(kid(first.out));
  assert.notEqual(kid(first.out), kid(second.out));
  assert.match(first.out, /Tokens already issued stay valid/);
  assert.doesNotMatch(first.out, /"d":/);
});

test('a generated signing key is an Ed25519 private JWK whose kid is its RFC 7638 thumbprint, and it signs', async () => {
  const a = newSigningKey();
  const b = newSigningKey();
  assert.equal(a.kty, 'OKP');
  assert.equal(a.crv, 'Ed25519');
  assert.equal(a.alg, 'EdDSA');
  assert.equal(typeof a.d, 'string');
  assert.notEqual(a.x, b.x);
  assert.equal(a.kid, (await calculateJwkThumbprint({ kty: a.kty, crv: a.crv, x: a.x })).slice(0, 16));
  const jws = await new CompactSign(new TextEncoder().encode('seatkey')).setProtectedHeader({ alg: 'EdDSA', kid: a.kid }).sign(await importJWK(a, 'EdDSA'));
  const { d: _d, ...publicJwk } = a;
  const { payload } = await compactVerify(jws, await importJWK(publicJwk, 'EdDSA'));
  assert.equal(new TextDecoder().decode(payload), 'seatkey');
  await assert.rejects(compactVerify(jws, await importJWK({ kty: b.kty, crv: b.crv, x: b.x }, 'EdDSA')));
});

test('generated secrets are strong: the admin secret passes the weakness check, all differ each time', () => {
  const a = newSecrets();
  const b = newSecrets();
  assert.equal(adminSecretWeakness(a.ADMIN_SECRET), undefined);
  assert.match(a.WEBHOOK_SECRET, /^whsec_[\w-]{43}$/);
  assert.notEqual(a.ADMIN_SECRET, b.ADMIN_SECRET);
  assert.notEqual(a.WEBHOOK_SECRET, b.WEBHOOK_SECRET);
  assert.notEqual(JSON.parse(a.SIGNING_KEY).kid, JSON.parse(b.SIGNING_KEY).kid);
});

test('the guard these dry runs pass under does stop a real run at its first command', () => {
  const { status, out } = run('rotate-signing-key', ['--project', 'my-shop-1234']);
  assert.notEqual(status, 0);
  assert.match(out, /dry run tried to run a command/);
});

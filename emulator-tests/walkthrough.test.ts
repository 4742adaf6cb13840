// README.md's walkthrough, run as written: its fenced block is parsed from README.md, run with
// `sh` against the test emulators with the variables `npm start` prints (BASE, KEY,
// WEBHOOK_SECRET, ADMIN) set, and each step's output checked against the `# → …` line under it.
// So the README cannot drift from the code. Also: listOutbox, the local inbox it ends with.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ADMIN_SECRET, BASE_URL, WEBHOOK_SECRET, asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, uid } from './helpers.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const MARKER = '<!-- walkthrough:';

interface Step {
  text: string;
  /** The `# → …` line: segments (split on `…`) that must appear in the output, in order. */
  expect: string[];
}

/** The walkthrough's steps: the sh block after the marker, split on blank lines. */
function walkthroughSteps(readme: string): Step[] {
  const at = readme.indexOf(MARKER);
  assert.ok(at >= 0, `README.md has no "${MARKER}" marker`);
  const block = readme.slice(at).match(/```sh\n([\s\S]*?)\n```/);
  assert.ok(block, 'no ```sh block after the walkthrough marker');
  return block[1]!.split(/\n\s*\n/).map((text) => {
    const line = text.split('\n').find((l) => l.startsWith('# → '));
    return { text, expect: line ? line.slice(4).split('…').filter((s) => s.length > 0) : [] };
  });
}

/** Whether `segments` occur in `output` in order. */
function inOrder(output: string, segments: string[]): boolean {
  let from = 0;
  for (const s of segments) {
    const i = output.indexOf(s, from);
    if (i < 0) return false;
    from = i + s.length;
  }
  return true;
}

test('the walkthrough covers product → licence → two machines → third refused → deactivate → purchase → email', () => {
  const steps = walkthroughSteps(README);
  const all = steps.map((s) => s.text).join('\n');
  for (const call of ['createProduct', 'createLicense', 'activate', 'validate', 'deactivate', 'paymentWebhook', 'listOutbox']) {
    assert.match(all, new RegExp(`\\$BASE/${call}\\b`), `the walkthrough has no ${call} step`);
  }
  assert.ok(steps.some((s) => s.expect.some((e) => e.includes('"code":"machine_limit"'))), 'no step shows the third machine refused');
  assert.ok(steps.filter((s) => s.expect.length > 0).length >= 10, 'every step shows what it answers');
});

test("README.md's walkthrough runs as written and answers what it says", async () => {
  const steps = walkthroughSteps(README);
  const { apiKey } = await newCreator('walk');
  // Product ids are global: this run's own instead of the README's `my-app`.
  const slug = uid('my-app');
  const script = steps.map((s, i) => `echo '@@step ${i}@@'\n${s.text.replaceAll('my-app', slug)}`).join('\n');
  const r = spawnSync('sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BASE: BASE_URL, KEY: apiKey, WEBHOOK_SECRET, ADMIN: ADMIN_SECRET },
    timeout: 480_000,
  });
  assert.equal(r.status, 0, `the walkthrough's shell failed: ${r.stderr}`);
  const outputs = r.stdout.split(/@@step \d+@@\n/).slice(1);
  assert.equal(outputs.length, steps.length);
  steps.forEach((step, i) => {
    const expect = step.expect.map((e) => e.replaceAll('my-app', slug));
    if (expect.length === 0) return;
    assert.ok(inOrder(outputs[i]!, expect), `step ${i} answered\n${outputs[i]}\nnot\n${expect.join('…')}\n(${step.text.split('\n')[0]})`);
  });
  // And the server agrees: two machines on the walkthrough's licence, one email for the sale.
  const licenseKey = outputs[2]!.trim().replace(/^licence: /, '');
  const license = await asCreator(apiKey, 'getLicense', { licenseKey });
  assert.equal(license.status, 200);
  assert.equal(license.body.activations.length, 2);
  const outbox = await asCreator(apiKey, 'listOutbox', {});
  assert.equal(outbox.body.emails.length, 1, 'createLicense sends no email; the purchase sends one');
  assert.deepEqual(outbox.body.emails[0].to, ['grace@example.com']);
});

test('listOutbox: the caller’s emails only, newest first, with the key; another creator’s licence is 404', async () => {
  const a = await newCreator('outbox-a');
  const b = await newCreator('outbox-b');
  const productA = await newProduct(a, { name: 'Outbox App' });
  const productB = await newProduct(b);
  const buy = (productId: string, email: string) =>
    call('paymentWebhook', { type: 'purchase.completed', productId, purchaseId: uid('order'), email }, { headers: { 'x-webhook-secret': WEBHOOK_SECRET } });
  const first = await buy(productA, 'first@example.com');
  const second = await buy(productA, 'second@example.com');
  const other = await buy(productB, 'other@example.com');
  for (const r of [first, second, other]) assert.equal(r.status, 200, r.text);
  // createLicense (even with a purchaseId) queues no email.
  assert.equal((await asCreator(a.apiKey, 'createLicense', { email: 'import@example.com', productId: productA, purchaseId: uid('import') })).status, 200);

  const list = await call('listOutbox', undefined, { method: 'GET', query: { apiKey: a.apiKey } });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(
    list.body.emails.map((m: { to: string[] }) => m.to[0]),
    ['second@example.com', 'first@example.com'],
  );
  const mail = list.body.emails[1];
  assert.equal(mail.licenseKey, first.body.licenseKey);
  assert.equal(mail.productId, productA);
  assert.equal(mail.subject, 'Your licence key for Outbox App');
  assert.ok(mail.text.includes(first.body.licenseKey));
  assert.equal(mail.delivery, null);

  const one = await asCreator(a.apiKey, 'listOutbox', { licenseKey: first.body.licenseKey });
  assert.deepEqual(one.body.emails.map((m: { licenseKey: string }) => m.licenseKey), [first.body.licenseKey]);
  const foreign = await asCreator(a.apiKey, 'listOutbox', { licenseKey: other.body.licenseKey });
  assert.equal(foreign.status, 404);
  assert.ok(isErrorShape(foreign.body, 'not_found'));
  assert.equal((await asCreator(a.apiKey, 'listOutbox', { creatorId: b.creatorId })).status, 404);
  const admin = await asAdmin('listOutbox', { creatorId: b.creatorId });
  assert.deepEqual(admin.body.emails.map((m: { to: string[] }) => m.to[0]), ['other@example.com']);
  assert.equal((await call('listOutbox', {})).status, 401);
  assert.equal((await asCreator(a.apiKey, 'listOutbox', { limit: 0 })).status, 400);
});

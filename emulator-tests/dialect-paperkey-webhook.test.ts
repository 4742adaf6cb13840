// Paperkey's webhook delivery format (docs/reference/paperkey-api.txt, docs/dialects.md): a creator
// webhook set to `format: "paperkey"` is delivered through the Cloud Tasks emulator to a local
// receiver with X-Paperkey-Signature / -Event / -Delivery and Paperkey's payload, and the receiver
// checks it the way Paperkey's SDK verifier does: the hex HMAC-SHA-256 of the raw body with the
// secret returned at create time.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asCreator, call, newCreator, newProduct, uid, type CreatorFixture } from './helpers.ts';
import { isIsoTime } from './dialectHelpers.ts';

/** `verifyWebhookSignature(raw, signature, secret)` as @paperkeyhq/sdk's is described: hex HMAC-SHA-256 of the raw body. */
function verifyWebhookSignature(raw: string, signature: string | undefined, secret: string): boolean {
  if (typeof signature !== 'string' || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(raw, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

describe('Paperkey webhook delivery format', () => {
  const received: Received[] = [];
  let server: Server;
  let base = '';
  let c: CreatorFixture;
  let productId: string;

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (b: Buffer) => chunks.push(b));
      req.on('end', () => {
        received.push({ path: req.url ?? '/', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    c = await newCreator('pkhook');
    productId = await newProduct(c, { maxMachines: 3 });
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function arrived(path: string, count: number): Promise<Received[]> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const got = received.filter((r) => r.path === path);
      if (got.length >= count) return got;
      if (Date.now() > deadline) throw new Error(`only ${got.length} of ${count} deliveries reached ${path}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('delivers license.created and activation.created in Paperkey\'s format, verifiable by its SDK\'s check', async () => {
    const path = `/${uid('paperkey-webhook')}`;
    const made = await asCreator(c.apiKey, 'createWebhook', { url: `${base}${path}`, format: 'paperkey', productId });
    assert.equal(made.status, 200, made.text);
    assert.equal(made.body.webhook.format, 'paperkey');
    const secret: string = made.body.secret;

    const lic = await asCreator(c.apiKey, 'createLicense', { productId, email: 'customer@example.com', maxMachines: 3, expiresAt: '2027-04-25T00:00:00.000Z' });
    assert.equal(lic.status, 200, lic.text);
    const key: string = lic.body.licenseKey;
    // An event Paperkey has no name for (license.updated) is not sent to a Paperkey receiver.
    assert.equal((await asCreator(c.apiKey, 'updateLicense', { licenseKey: key, maxMachines: 4 })).status, 200);
    const [created] = await arrived(path, 1);
    const got = created!;

    assert.ok(verifyWebhookSignature(got.raw, got.headers['x-paperkey-signature'] as string, secret), 'the SDK check accepts it');
    assert.equal(verifyWebhookSignature(got.raw, got.headers['x-paperkey-signature'] as string, `${secret}x`), false, 'and refuses another secret');
    assert.equal(verifyWebhookSignature(`${got.raw} `, got.headers['x-paperkey-signature'] as string, secret), false, 'and a changed body');
    assert.equal(got.headers['x-paperkey-event'], 'license.created');
    const event = JSON.parse(got.raw);
    assert.equal(got.headers['x-paperkey-delivery'], event.id);
    assert.match(event.id, /^evt_/);
    assert.equal(event.event, 'license.created');
    assert.ok(isIsoTime(event.createdAt), event.createdAt);
    assert.deepEqual(event.data, { id: key, key, email: 'customer@example.com', maxActivations: 3, expiresAt: '2027-04-25T00:00:00.000Z' });
    assert.deepEqual(Object.keys(event).sort(), ['createdAt', 'data', 'event', 'id']);

    const activated = await call('activate', { licenseKey: key, machineFingerprint: 'pk-machine', hostname: 'MacBook Pro' });
    assert.equal(activated.status, 200, activated.text);
    const deliveries = await arrived(path, 2);
    const second = deliveries.find((d) => d.headers['x-paperkey-event'] === 'activation.created');
    assert.ok(second, deliveries.map((d) => d.headers['x-paperkey-event']).join(','));
    assert.ok(verifyWebhookSignature(second.raw, second.headers['x-paperkey-signature'] as string, secret));
    const body = JSON.parse(second.raw);
    assert.equal(body.data.id, activated.body.activationId);
    assert.equal(body.data.key, key);
    assert.equal(body.data.name, 'MacBook Pro');
    assert.ok(deliveries.every((d) => d.headers['x-paperkey-event'] !== 'license.updated'));
    assert.ok(deliveries.every((d) => d.headers['webhook-signature'] === undefined), 'Paperkey deliveries carry only Paperkey\'s headers');
  });

  it('switches an existing webhook between formats, and refuses an unknown one', async () => {
    const made = await asCreator(c.apiKey, 'createWebhook', { url: `${base}/${uid('plain')}` });
    assert.equal(made.body.webhook.format, 'seatkey');
    const switched = await asCreator(c.apiKey, 'updateWebhook', { webhookId: made.body.webhook.id, format: 'paperkey' });
    assert.equal(switched.status, 200, switched.text);
    assert.equal(switched.body.webhook.format, 'paperkey');
    const bad = await asCreator(c.apiKey, 'updateWebhook', { webhookId: made.body.webhook.id, format: 'keygen' });
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.body.error, /format/);
  });
});

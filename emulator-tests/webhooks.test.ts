// Creators' outbound webhooks through the Cloud Tasks emulator, received by a local HTTP server:
// signatures, the event id header, retries, auto-pause and resume, the delivery log; the URL
// rules; the event log (listEvents); license.expired from the scheduled job; the outbox sweep.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { run as expireLicenses } from '../functions/src/jobs/expireLicenses.ts';
import { recordEvent } from '../functions/src/store/events.ts';
import { db } from '../functions/src/store/firestore.ts';
import { sweepOutbox } from '../functions/src/webhooks/dispatch.ts';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, randomIp, uid, WEBHOOK_SECRET, type CreatorFixture } from './helpers.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** A local receiver: answers each path with the status its script gives (200 when out of script). */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, number[]>();
  private server!: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, raw, body: JSON.parse(raw) });
        const script = this.scripts.get(path);
        res.statusCode = script && script.length > 0 ? (script.length > 1 ? script.shift()! : script[0]!) : 200;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** `statuses` answer the path's requests in turn; the last one repeats for ever. */
  script(path: string, statuses: number[]): string {
    this.scripts.set(path, [...statuses]);
    return `${this.base}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const verify = (secret: string, raw: string, header: string | string[] | undefined): boolean => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(String(header ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
};

const receiver = new Receiver();
before(() => receiver.start());
after(() => receiver.stop());

async function withHook(c: CreatorFixture, path: string, statuses: number[], fields: Record<string, unknown> = {}) {
  const r = await asCreator(c.apiKey, 'createWebhook', { url: receiver.script(path, statuses), ...fields });
  assert.equal(r.status, 200, r.text);
  return { id: r.body.webhook.id as string, secret: r.body.secret as string };
}

const newLicense = async (c: CreatorFixture, productId: string, fields: Record<string, unknown> = {}) => {
  const r = await asCreator(c.apiKey, 'createLicense', { email: 'buyer@example.com', productId, ...fields });
  assert.equal(r.status, 200, r.text);
  return r.body.licenseKey as string;
};

describe('outbound webhooks', () => {
  it('delivers a signed event with its id header, once', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const path = `/${uid('ok')}`;
    const hook = await withHook(c, path, [200], { events: ['license.created'], description: 'CRM' });
    assert.match(hook.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    const key = await newLicense(c, productId);
    const [got] = await waitFor('the delivery', () => receiver.at(path).length > 0 && receiver.at(path));
    assert.ok(verify(hook.secret, got!.raw, got!.headers['x-seatkey-signature']), 'the signature verifies over the raw body');
    assert.equal(verify('whsec_wrong', got!.raw, got!.headers['x-seatkey-signature']), false);
    assert.equal(got!.headers['x-seatkey-event'], 'license.created');
    assert.equal(got!.headers['x-seatkey-event-id'], got!.body.id);
    assert.match(got!.body.id, /^evt_/);
    assert.deepEqual([got!.body.event, got!.body.licenseKey, got!.body.productId, got!.body.data.email], ['license.created', key, productId, 'buyer@example.com']);
    const log = await waitFor('the delivery log', async () => {
      const r = await asCreator(c.apiKey, 'listWebhookDeliveries', { webhookId: hook.id });
      return r.body.deliveries?.length > 0 && r.body;
    });
    assert.deepEqual([log.deliveries[0].eventId, log.deliveries[0].ok, log.deliveries[0].status, log.deliveries[0].attempt], [got!.body.id, true, 200, 1]);
    assert.equal(log.webhook.consecutiveFailures, 0);
    // Only subscribed types are sent: a refund-less revoke is not license.created.
    const listed = await asCreator(c.apiKey, 'listWebhooks');
    assert.equal(listed.body.webhooks.length, 1);
    assert.equal(JSON.stringify(listed.body).includes(hook.secret), false, 'the secret is shown once');
    assert.equal(receiver.at(path).length, 1);
  });

  it('retries an attempt the receiver failed, with the same event id', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const path = `/${uid('flaky')}`;
    const hook = await withHook(c, path, [500, 200]);
    await newLicense(c, productId);
    const [first, second] = await waitFor('a retry', () => receiver.at(path).length >= 2 && receiver.at(path));
    assert.equal(first!.body.id, second!.body.id);
    assert.equal(first!.raw, second!.raw, 'the same body, so the same signature');
    assert.deepEqual([first!.headers['x-seatkey-attempt'], second!.headers['x-seatkey-attempt']], ['1', '2']);
    assert.ok(verify(hook.secret, second!.raw, second!.headers['x-seatkey-signature']));
    const log = await waitFor('both attempts logged', async () => {
      const r = await asCreator(c.apiKey, 'listWebhookDeliveries', { webhookId: hook.id });
      return r.body.deliveries?.length >= 2 && r.body.deliveries;
    });
    assert.deepEqual(log.map((d: any) => [d.attempt, d.ok, d.status]), [[2, true, 200], [1, false, 500]], 'newest first');
    assert.match(log[1].error, /500/);
  });

  it('pauses a webhook after 10 consecutive failures; resuming clears the counter', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const path = `/${uid('down')}`;
    const hook = await withHook(c, path, [503]);
    await Promise.all(Array.from({ length: 10 }, () => newLicense(c, productId)));
    const paused = await waitFor('the pause', async () => {
      const r = await asCreator(c.apiKey, 'listWebhooks');
      const w = r.body.webhooks[0];
      return w.status === 'paused' && w;
    });
    assert.equal(paused.pausedReason, 'failures');
    assert.ok(paused.consecutiveFailures >= 10);
    const log = (await asCreator(c.apiKey, 'listWebhookDeliveries', { webhookId: hook.id })).body.deliveries;
    assert.ok(log.length >= 10 && log.every((d: any) => !d.ok && d.status === 503));

    receiver.script(path, [200]);
    const resumed = await asCreator(c.apiKey, 'updateWebhook', { webhookId: hook.id, status: 'active' });
    assert.equal(resumed.status, 200, resumed.text);
    assert.deepEqual([resumed.body.webhook.status, resumed.body.webhook.consecutiveFailures, resumed.body.webhook.pausedReason], ['active', 0, null]);
    const key = await newLicense(c, productId);
    await waitFor('a delivery after resuming', () => receiver.at(path).some((r) => r.body.licenseKey === key));
  });

  it('sends events a payment recorded, filtered by product', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const otherProduct = await newProduct(c);
    const path = `/${uid('pay')}`;
    await withHook(c, path, [200], { productId, events: 'license.created,license.revoked' });
    const purchaseId = uid('order');
    const headers = { 'x-webhook-secret': WEBHOOK_SECRET };
    const bought = await call('paymentWebhook', { type: 'purchase.completed', email: 'b@x.co', productId, purchaseId }, { headers });
    await call('paymentWebhook', { type: 'purchase.completed', email: 'b@x.co', productId: otherProduct, purchaseId: uid('order') }, { headers });
    await call('paymentWebhook', { type: 'purchase.refunded', productId, purchaseId }, { headers });
    const got = await waitFor('created and revoked', () => receiver.at(path).length >= 2 && receiver.at(path));
    assert.deepEqual(got.map((r) => r.body.event).sort(), ['license.created', 'license.revoked']);
    assert.ok(got.every((r) => r.body.licenseKey === bought.body.licenseKey), 'only the subscribed product');
    assert.equal(got.find((r) => r.body.event === 'license.revoked')!.body.data.disputeReason, 'refund');
  });

  it('refuses URLs that are not https or that reach private, loopback or link-local addresses', async () => {
    const c = await newCreator('hooks');
    for (const url of ['ftp://example.com/x', 'not a url', 'https://10.0.0.7/hook', 'https://192.168.1.5/hook', 'https://169.254.169.254/computeMetadata/v1',
      'https://[fd00::1]/hook', 'https://[fe80::1]/hook', 'https://100.64.0.1/x', 'http://10.0.0.7/hook', 'https://user:pw@127.0.0.1/x', 'https://no-such-host.invalid/x']) {
      const r = await asCreator(c.apiKey, 'createWebhook', { url });
      assert.equal(r.status, 400, url);
      assert.ok(isErrorShape(r.body, 'invalid_request'), url);
      assert.match(r.body.error, /url/, url);
    }
    // Plain http to loopback is for tests in the emulator only.
    assert.equal((await asCreator(c.apiKey, 'createWebhook', { url: `${receiver.base}/x` })).status, 200);
    const hook = (await asCreator(c.apiKey, 'listWebhooks')).body.webhooks[0];
    const moved = await asCreator(c.apiKey, 'updateWebhook', { webhookId: hook.id, url: 'https://10.1.1.1/' });
    assert.equal(moved.status, 400);
  });

  it('keeps webhooks to their creator, and refuses bad input', async () => {
    const c = await newCreator('hooks');
    const other = await newCreator('hooks');
    const otherProduct = await newProduct(other);
    const hook = await withHook(c, `/${uid('scope')}`, [200]);
    for (const name of ['updateWebhook', 'deleteWebhook', 'listWebhookDeliveries']) {
      const r = await asCreator(other.apiKey, name, { webhookId: hook.id, description: 'x' });
      assert.equal(r.status, 404, name);
    }
    assert.equal((await asCreator(other.apiKey, 'listWebhooks')).body.webhooks.length, 0);
    assert.equal((await asCreator(c.apiKey, 'createWebhook', { url: `${receiver.base}/x`, productId: otherProduct })).status, 404);
    assert.equal((await asAdmin('listWebhooks', { creatorId: c.creatorId })).body.webhooks.length, 1);
    assert.equal((await asAdmin('createWebhook', { url: `${receiver.base}/x` })).status, 400, 'the super admin names a creator');

    const bad: [string, Record<string, unknown>][] = [
      ['createWebhook', {}],
      ['createWebhook', { url: 42 }],
      ['createWebhook', { url: `${receiver.base}/x`, events: ['license.exploded'] }],
      ['createWebhook', { url: `${receiver.base}/x`, description: 'x'.repeat(201) }],
      ['createWebhook', { url: `${receiver.base}/x`, productId: 'Bad Slug' }],
      ['updateWebhook', { webhookId: hook.id }],
      ['updateWebhook', { webhookId: hook.id, status: 'broken' }],
      ['updateWebhook', { description: 'x' }],
      ['deleteWebhook', {}],
      ['listWebhookDeliveries', { webhookId: hook.id, limit: 0 }],
      ['listWebhookDeliveries', { webhookId: hook.id, limit: 101 }],
      ['listWebhookDeliveries', {}],
    ];
    for (const [name, body] of bad) {
      const r = await asCreator(c.apiKey, name, body);
      assert.equal(r.status, 400, `${name} ${JSON.stringify(body)}`);
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
    assert.equal((await asCreator(c.apiKey, 'deleteWebhook', { webhookId: 'wh_nope' })).status, 404);
    assert.equal((await call('createWebhook', { url: `${receiver.base}/x` })).status, 401);

    const updated = await asCreator(c.apiKey, 'updateWebhook', { webhookId: hook.id, events: ['license.expired'], status: 'paused', description: 'later' });
    assert.deepEqual([updated.body.webhook.events, updated.body.webhook.status, updated.body.webhook.pausedReason], [['license.expired'], 'paused', 'manual']);
    assert.equal((await asCreator(c.apiKey, 'deleteWebhook', { webhookId: hook.id })).status, 200);
    assert.equal((await asCreator(c.apiKey, 'listWebhooks')).body.webhooks.length, 0);
    assert.equal((await asCreator(c.apiKey, 'listWebhookDeliveries', { webhookId: hook.id })).status, 404);
  });
});

describe('listEvents', () => {
  it("pages through a creator's events newest first, filtered by licence and type", async () => {
    const c = await newCreator('events');
    const productId = await newProduct(c);
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) keys.push(await newLicense(c, productId));
    const seen: any[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await asCreator(c.apiKey, 'listEvents', { limit: 2, ...(cursor ? { cursor } : {}) });
      assert.equal(r.status, 200, r.text);
      seen.push(...r.body.events);
      cursor = r.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen.map((e) => e.id)).size, 5, 'no event twice');
    assert.deepEqual(seen.map((e) => e.licenseKey), [...keys].reverse(), 'newest first');
    assert.ok(seen.every((e) => e.type === 'license.created' && e.productId === productId && e.createdAt));

    const one = await asCreator(c.apiKey, 'listEvents', { licenseKey: keys[2]!.toLowerCase() });
    assert.deepEqual(one.body.events.map((e: any) => e.licenseKey), [keys[2]]);
    const none = await call('listEvents', undefined, { method: 'GET', query: { apiKey: c.apiKey, type: 'license.revoked,license.expired' } });
    assert.deepEqual(none.body.events, []);
    assert.equal(none.body.nextCursor, null);
    const other = await newCreator('events');
    assert.deepEqual((await asCreator(other.apiKey, 'listEvents', { licenseKey: keys[0] })).body.events, [], "another creator's licence shows nothing");
    assert.equal((await asCreator(other.apiKey, 'listEvents', { creatorId: c.creatorId })).status, 404);
    assert.equal((await asAdmin('listEvents', { creatorId: c.creatorId, type: 'license.created' })).body.events.length, 5);
  });

  it('refuses bad input with 400', async () => {
    const c = await newCreator('events');
    for (const body of [{ type: 'license.exploded' }, { licenseKey: 'NOT-A-KEY' }, { limit: 0 }, { limit: 501 }, { cursor: 'garbage' }, { cursor: Buffer.from('[1,"x"]').toString('base64url') }]) {
      const r = await asCreator(c.apiKey, 'listEvents', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
  });
});

describe('client endpoints and webhooks', () => {
  it("hand an activation to a creator's webhook at once, and leave it to the outbox sweep for a creator without one", async () => {
    const ip = randomIp();
    const activate = (licenseKey: string, productId: string) => call('activate', { licenseKey, machineFingerprint: uid('machine'), productId }, { ip });
    const hooked = await newCreator('hooked');
    const hookedProduct = await newProduct(hooked);
    const path = `/${uid('activations')}`;
    await withHook(hooked, path, [200], { events: ['activation.created'] });
    const hookedKey = await newLicense(hooked, hookedProduct);
    assert.equal((await activate(hookedKey, hookedProduct)).status, 200);
    const [got] = await waitFor('the activation delivery', () => receiver.at(path).length > 0 && receiver.at(path));
    assert.deepEqual([got!.body.event, got!.body.licenseKey], ['activation.created', hookedKey]);

    const plain = await newCreator('unhooked');
    const plainProduct = await newProduct(plain);
    const plainKey = await newLicense(plain, plainProduct);
    assert.equal((await activate(plainKey, plainProduct)).status, 200);
    const events = await (await db()).collection('events').where('licenseKey', '==', plainKey).where('type', '==', 'activation.created').get();
    const entry = (await db()).collection('eventOutbox').doc(events.docs[0]!.id);
    assert.equal((await entry.get()).exists, true, 'left in the outbox: no webhook to hand it to');
    await sweepOutbox(new Date(Date.now() + 5 * 60_000));
    assert.equal((await entry.get()).exists, false, 'the sweep clears it');
  });
});

describe('event jobs', () => {
  it('announces license.expired once, from the scheduled job, to the log and the webhooks', async () => {
    const c = await newCreator('expiry');
    const productId = await newProduct(c);
    const path = `/${uid('expired')}`;
    await withHook(c, path, [200], { events: ['license.expired'] });
    const key = await newLicense(c, productId, { expiresAt: new Date(Date.now() + 1500).toISOString() });
    const never = await newLicense(c, productId);
    await new Promise((r) => setTimeout(r, 2000));
    await expireLicenses(new Date());
    await expireLicenses(new Date());
    const expired = (await asCreator(c.apiKey, 'listEvents', { type: 'license.expired' })).body.events;
    assert.deepEqual(expired.map((e: any) => e.licenseKey), [key]);
    assert.notEqual(key, never);
    const got = await waitFor('the expiry delivery', () => receiver.at(path).length > 0 && receiver.at(path));
    assert.equal(got[0]!.body.licenseKey, key);
  });

  it('sweeps events recorded outside any request to the webhooks', async () => {
    const c = await newCreator('sweep');
    const productId = await newProduct(c);
    const path = `/${uid('swept')}`;
    await withHook(c, path, [200]);
    const batch = (await db()).batch();
    const id = await recordEvent(batch, {
      type: 'license.updated',
      creatorId: c.creatorId,
      productId,
      licenseKey: 'SWEEP-0000-0000-0000-00',
      data: { note: 'recorded without a request scope' },
      createdAt: new Date(Date.now() - 5 * 60_000),
    });
    await batch.commit();
    assert.ok((await sweepOutbox(new Date())) >= 1);
    const got = await waitFor('the swept delivery', () => receiver.at(path).length > 0 && receiver.at(path));
    assert.equal(got[0]!.body.id, id);
    assert.equal((await (await db()).collection('eventOutbox').doc(id).get()).exists, false, 'gone from the outbox');
  });
});

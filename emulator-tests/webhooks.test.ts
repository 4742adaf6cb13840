// Creators' outbound webhooks through the Cloud Tasks emulator, received by a local HTTP server:
// Standard Webhooks signatures (checked with the standardwebhooks package's own verify) and the
// older X-Seatkey-Signature, secret rotation, the event id header, retries on the schedule,
// auto-pause and 410, no redirects, the address re-checked at delivery, the delivery log; the URL
// rules; the event log (listEvents); license.expired from the scheduled job; the outbox sweep.
// The emulator runs a task at once whatever its schedule, so a retry schedule of days runs here
// in seconds; the schedule itself is unit-tested (functions/test/outbound.test.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { run as expireLicenses } from '../functions/src/jobs/expireLicenses.ts';
import { recordEvent } from '../functions/src/store/events.ts';
import { db } from '../functions/src/store/firestore.ts';
import { deliver } from '../functions/src/webhooks/deliver.ts';
import { sweepOutbox } from '../functions/src/webhooks/dispatch.ts';
import { asAdmin, asCreator, call, isErrorShape, newCreator, newProduct, randomIp, uid, WEBHOOK_SECRET, type CreatorFixture } from './helpers.ts';

// This process calls the delivery task itself (deliver) as the Functions emulator's workers do,
// where a webhook may point at this test's loopback receiver.
process.env.FUNCTIONS_EMULATOR = 'true';

const HOUR = 3_600_000;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** An answer: a status, or a status with headers (a redirect's Location). */
type Answer = number | { status: number; headers: Record<string, string> };

/** A local receiver: answers each path with the answers its script gives (200 when out of script). */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private server!: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, raw, body: raw ? JSON.parse(raw) : undefined });
        const script = this.scripts.get(path);
        const answer = script && script.length > 0 ? (script.length > 1 ? script.shift()! : script[0]!) : 200;
        if (typeof answer === 'number') res.statusCode = answer;
        else res.writeHead(answer.status, answer.headers);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** `answers` answer the path's requests in turn; the last one repeats for ever. */
  script(path: string, answers: Answer[]): string {
    this.scripts.set(path, [...answers]);
    return `${this.base}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** For waitFor: the requests at `path` (about licence `key`, if given) once there are `count`. */
  arrived(path: string, count = 1, key?: string): () => Received[] | false {
    return () => {
      const got = this.at(path).filter((r) => key === undefined || r.body.licenseKey === key);
      return got.length >= count && got;
    };
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

/** The receiver side of X-Seatkey-Signature, as docs/webhooks.md shows it. */
const legacyVerify = (secret: string, raw: string, header: string | string[] | undefined): boolean => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(String(header ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/** Standard Webhooks verification by its own package: true, or the reason it failed. */
const standardVerify = (secret: string, got: Received): true | string => {
  try {
    new Webhook(secret).verify(got.raw, got.headers as Record<string, string>);
    return true;
  } catch (e) {
    return (e as Error).message;
  }
};

const receiver = new Receiver();
before(() => receiver.start());
after(() => receiver.stop());

async function withHook(c: CreatorFixture, path: string, answers: Answer[], fields: Record<string, unknown> = {}) {
  const r = await asCreator(c.apiKey, 'createWebhook', { url: receiver.script(path, answers), ...fields });
  assert.equal(r.status, 200, r.text);
  return { id: r.body.webhook.id as string, secret: r.body.secret as string };
}

const newLicense = async (c: CreatorFixture, productId: string, fields: Record<string, unknown> = {}) => {
  const r = await asCreator(c.apiKey, 'createLicense', { email: 'buyer@example.com', productId, ...fields });
  assert.equal(r.status, 200, r.text);
  return r.body.licenseKey as string;
};

/** The id of the creator's one event of `type` about `licenseKey`. */
async function eventId(c: CreatorFixture, licenseKey: string, type: string): Promise<string> {
  const r = await asCreator(c.apiKey, 'listEvents', { licenseKey, type });
  assert.equal(r.body.events.length, 1, r.text);
  return r.body.events[0].id;
}

const deliveries = async (c: CreatorFixture, webhookId: string): Promise<any[]> =>
  (await asCreator(c.apiKey, 'listWebhookDeliveries', { webhookId })).body.deliveries;

const webhookOf = async (c: CreatorFixture, id: string): Promise<any> =>
  (await asCreator(c.apiKey, 'listWebhooks')).body.webhooks.find((w: any) => w.id === id);

describe('outbound webhooks', () => {
  it('delivers an event signed per Standard Webhooks and with X-Seatkey-Signature, once, and only the subscribed types', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const path = `/${uid('ok')}`;
    const hook = await withHook(c, path, [200], { events: ['license.created'], description: 'CRM' });
    assert.match(hook.secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'a Standard Webhooks secret: whsec_ and base64 of 32 bytes');
    const key = await newLicense(c, productId);
    const [got] = await waitFor('the delivery', receiver.arrived(path));
    assert.equal(standardVerify(hook.secret, got!), true, 'the standardwebhooks package verifies it');
    assert.match(standardVerify(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, got!) as string, /No matching signature/);
    assert.equal(got!.headers['webhook-id'], got!.body.id);
    assert.ok(Math.abs(Number(got!.headers['webhook-timestamp']) * 1000 - Date.now()) < 5 * 60_000);
    assert.match(String(got!.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]{43}=$/, 'one secret, one signature');
    assert.ok(legacyVerify(hook.secret, got!.raw, got!.headers['x-seatkey-signature']), 'X-Seatkey-Signature still verifies over the raw body');
    assert.equal(legacyVerify('whsec_wrong', got!.raw, got!.headers['x-seatkey-signature']), false);
    assert.equal(got!.headers['x-seatkey-event'], 'license.created');
    assert.equal(got!.headers['x-seatkey-event-id'], got!.body.id);
    assert.match(got!.body.id, /^evt_/);
    assert.deepEqual([got!.body.type, got!.body.event, got!.body.licenseKey, got!.body.productId, got!.body.data.email], ['license.created', 'license.created', key, productId, 'buyer@example.com']);
    const log = await waitFor('the delivery log', async () => {
      const r = await asCreator(c.apiKey, 'listWebhookDeliveries', { webhookId: hook.id });
      return r.body.deliveries?.length > 0 && r.body;
    });
    assert.deepEqual([log.deliveries[0].eventId, log.deliveries[0].ok, log.deliveries[0].status, log.deliveries[0].attempt], [got!.body.id, true, 200, 1]);
    assert.equal(log.webhook.consecutiveFailures, 0);
    const listed = await asCreator(c.apiKey, 'listWebhooks');
    assert.equal(listed.body.webhooks.length, 1);
    assert.equal(JSON.stringify(listed.body).includes(hook.secret), false, 'the secret is shown once');

    // Only subscribed types are sent: a revocation (license.revoked) is recorded, then another
    // licence; once that one has arrived, the revocation (recorded before it) was not sent.
    assert.equal((await asCreator(c.apiKey, 'revokeLicense', { licenseKey: key, reason: 'manual' })).status, 200);
    const later = await newLicense(c, productId);
    await waitFor('the later licence', receiver.arrived(path, 1, later));
    // The delivery task itself refuses it too, if it were ever handed one.
    await deliver({ eventId: await eventId(c, key, 'license.revoked'), webhookId: hook.id });
    assert.deepEqual(receiver.at(path).map((r) => r.body.event), ['license.created', 'license.created']);
  });

  it('retries an attempt the receiver failed, with the same event id and a fresh timestamp', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const path = `/${uid('flaky')}`;
    const hook = await withHook(c, path, [500, 200]);
    await newLicense(c, productId);
    const [first, second] = await waitFor('a retry', receiver.arrived(path, 2));
    assert.equal(first!.body.id, second!.body.id);
    assert.equal(first!.headers['webhook-id'], second!.headers['webhook-id']);
    assert.equal(first!.raw, second!.raw, 'the same body');
    assert.deepEqual([first!.headers['x-seatkey-attempt'], second!.headers['x-seatkey-attempt']], ['1', '2']);
    assert.equal(standardVerify(hook.secret, second!), true);
    assert.ok(legacyVerify(hook.secret, second!.raw, second!.headers['x-seatkey-signature']));
    const log = await waitFor('both attempts logged', async () => {
      const r = await asCreator(c.apiKey, 'listWebhookDeliveries', { webhookId: hook.id });
      return r.body.deliveries?.length >= 2 && r.body.deliveries;
    });
    assert.deepEqual(log.map((d: any) => [d.attempt, d.ok, d.status]), [[2, true, 200], [1, false, 500]], 'newest first');
    assert.match(log[1].error, /500/);
  });

  it('pauses after exactly 10 failed attempts in a row, sends nothing while paused, and resumes', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const path = `/${uid('down')}`;
    const hook = await withHook(c, path, [503]);
    const key = await newLicense(c, productId);
    // One event, failing: its whole schedule (ten attempts, one after another) runs here at once.
    const paused = await waitFor('the pause', async () => {
      const w = await webhookOf(c, hook.id);
      return w.status === 'paused' && w;
    });
    assert.deepEqual([paused.pausedReason, paused.consecutiveFailures], ['failures', 10]);
    const sent = receiver.at(path);
    assert.deepEqual(sent.map((r) => r.headers['x-seatkey-attempt']), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    assert.ok(sent.every((r) => r.body.licenseKey === key));
    const log = await deliveries(c, hook.id);
    assert.deepEqual(log.map((d) => [d.attempt, d.ok, d.status]), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((a) => [a, false, 503]));

    // While paused: an event is handed to the creator's other, active webhook, never to this one…
    const signal = `/${uid('signal')}`;
    await withHook(c, signal, [200]);
    const meanwhile = await newLicense(c, productId);
    await waitFor('the active webhook', receiver.arrived(signal, 1, meanwhile));
    // …and the delivery task sends nothing to a paused webhook, even when handed the event.
    await deliver({ eventId: await eventId(c, meanwhile, 'license.created'), webhookId: hook.id });
    assert.equal(receiver.at(path).length, 10, 'nothing was sent while paused');
    assert.equal((await deliveries(c, hook.id)).length, 10, 'and nothing was attempted');

    receiver.script(path, [200]);
    const resumed = await asCreator(c.apiKey, 'updateWebhook', { webhookId: hook.id, status: 'active' });
    assert.equal(resumed.status, 200, resumed.text);
    assert.deepEqual([resumed.body.webhook.status, resumed.body.webhook.consecutiveFailures, resumed.body.webhook.pausedReason], ['active', 0, null]);
    const after = await newLicense(c, productId);
    await waitFor('a delivery after resuming', receiver.arrived(path, 1, after));
  });

  it('pauses a webhook at once when the receiver answers 410 Gone', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const path = `/${uid('gone')}`;
    const hook = await withHook(c, path, [410]);
    const key = await newLicense(c, productId);
    const paused = await waitFor('the pause', async () => {
      const w = await webhookOf(c, hook.id);
      return w.status === 'paused' && w;
    });
    assert.deepEqual([paused.pausedReason, paused.consecutiveFailures], ['gone', 1]);
    assert.equal(receiver.at(path).length, 1, 'no retry after a 410');
    assert.deepEqual((await deliveries(c, hook.id)).map((d) => [d.attempt, d.ok, d.status]), [[1, false, 410]]);
    await deliver({ eventId: await eventId(c, key, 'license.created'), webhookId: hook.id, attempt: 2 });
    assert.equal(receiver.at(path).length, 1, 'a retry that was already queued sends nothing');
  });

  it('rotates the secret: both sign during the overlap, then only the new one', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const path = `/${uid('rotate')}`;
    const hook = await withHook(c, path, [200]);
    const rotated = await asCreator(c.apiKey, 'rotateWebhookSigningSecret', { webhookId: hook.id });
    assert.equal(rotated.status, 200, rotated.text);
    const next = rotated.body.secret as string;
    assert.match(next, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.notEqual(next, hook.secret);
    assert.ok(Math.abs(Date.parse(rotated.body.webhook.previousSecretExpiresAt) - (Date.now() + 24 * HOUR)) < 5 * 60_000, 'a 24-hour overlap by default');
    const listed = JSON.stringify((await asCreator(c.apiKey, 'listWebhooks')).body);
    assert.ok(!listed.includes(next) && !listed.includes(hook.secret), 'neither secret is shown again');

    const during = await newLicense(c, productId);
    const [got] = await waitFor('a delivery during the overlap', receiver.arrived(path, 1, during));
    assert.equal(String(got!.headers['webhook-signature']).split(' ').length, 2, 'two signatures, space-separated');
    assert.equal(standardVerify(hook.secret, got!), true, 'the old secret still verifies');
    assert.equal(standardVerify(next, got!), true, 'and so does the new one');
    assert.ok(legacyVerify(next, got!.raw, got!.headers['x-seatkey-signature']), 'X-Seatkey-Signature uses the new secret');

    // The creator's own secret, with no overlap: the secrets before it stop at once.
    const own = `whsec_${Buffer.from('a secret the creator brought from another sender').toString('base64')}`;
    const again = await asCreator(c.apiKey, 'rotateWebhookSigningSecret', { webhookId: hook.id, secret: own, overlapHours: 0 });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual([again.body.secret, again.body.webhook.previousSecretExpiresAt], [own, null]);
    const afterwards = await newLicense(c, productId);
    const [last] = await waitFor('a delivery after the overlap', receiver.arrived(path, 1, afterwards));
    assert.equal(standardVerify(own, last!), true);
    assert.match(standardVerify(next, last!) as string, /No matching signature/);
    assert.match(standardVerify(hook.secret, last!) as string, /No matching signature/);

    const other = await newCreator('hooks');
    assert.equal((await asCreator(other.apiKey, 'rotateWebhookSigningSecret', { webhookId: hook.id })).status, 404);
    assert.equal((await call('rotateWebhookSigningSecret', { webhookId: hook.id })).status, 401);
    for (const body of [{}, { webhookId: hook.id, overlapHours: 169 }, { webhookId: hook.id, overlapHours: -1 }, { webhookId: hook.id, secret: 'whsec_c2hvcnQ=' }, { webhookId: hook.id, secret: 'not-a-secret' }]) {
      const r = await asCreator(c.apiKey, 'rotateWebhookSigningSecret', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(isErrorShape(r.body, 'invalid_request'));
    }
    const refused = await asCreator(c.apiKey, 'rotateWebhookSigningSecret', { webhookId: hook.id, secret: 'whsec_c2hvcnQ=' });
    assert.match(refused.body.error, /secret/);
    assert.ok(!refused.text.includes(own), 'a reply never carries the current secret');
  });

  it('does not follow redirects', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    const path = `/${uid('moved')}`;
    const target = `/${uid('target')}`;
    const hook = await withHook(c, path, [{ status: 302, headers: { location: `${receiver.base}${target}` } }, 200]);
    await newLicense(c, productId);
    await waitFor('the retry after the redirect', receiver.arrived(path, 2));
    assert.equal(receiver.at(target).length, 0, 'the Location was never requested');
    const log = await waitFor('both attempts logged', async () => {
      const d = await deliveries(c, hook.id);
      return d.length >= 2 && d;
    });
    assert.deepEqual(log.map((d) => [d.attempt, d.ok, d.status]), [[2, true, 200], [1, false, 302]]);
  });

  it('checks the address again at delivery: one that is no longer allowed is never connected to', async () => {
    const c = await newCreator('hooks');
    const productId = await newProduct(c);
    // 0.0.0.0 reaches this machine, but is no public address: refused at registration…
    let connections = 0;
    const listener = createTcpServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const port = (listener.address() as AddressInfo).port;
      const blocked = `https://0.0.0.0:${port}/hook`;
      assert.equal((await asCreator(c.apiKey, 'createWebhook', { url: blocked })).status, 400);
      // …and at delivery, for a webhook whose address changed since (as a DNS answer can). No
      // endpoint stores such a URL, so the test writes it where the webhook is kept.
      const hook = await withHook(c, `/${uid('moving')}`, [200]);
      await (await db()).collection('webhooks').doc(hook.id).update({ url: blocked });
      await newLicense(c, productId);
      const [attempt] = await waitFor('the refused attempt', async () => {
        const d = await deliveries(c, hook.id);
        return d.length > 0 && d.slice(-1);
      });
      assert.deepEqual([attempt.ok, attempt.status], [false, null]);
      assert.match(attempt.error, /private, loopback or link-local/);
      assert.equal(connections, 0, 'no connection was made');
      // The address does reach the listener: the refusal above is the check's.
      const seen = new Promise((resolve) => listener.once('connection', resolve));
      connect(port, '0.0.0.0').on('error', () => undefined);
      await seen;
      assert.equal(connections, 1);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
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
    const got = await waitFor('created and revoked', receiver.arrived(path, 2));
    assert.deepEqual(got.map((r) => r.body.event).sort(), ['license.created', 'license.revoked']);
    assert.ok(got.every((r) => r.body.licenseKey === bought.body.licenseKey), 'only the subscribed product');
    assert.equal(got.find((r) => r.body.event === 'license.revoked')!.body.data.disputeReason, 'refund');
  });

  it('refuses URLs that are not https or that reach private, loopback or link-local addresses', async () => {
    const c = await newCreator('hooks');
    for (const url of ['ftp://example.com/x', 'not a url', 'https://10.0.0.7/hook', 'https://192.168.1.5/hook', 'https://169.254.169.254/computeMetadata/v1',
      'https://[fd00::1]/hook', 'https://[fe80::1]/hook', 'https://100.64.0.1/x', 'http://10.0.0.7/hook', 'https://user:pw@127.0.0.1/x', 'https://no-such-host.invalid/x', 'https://0.0.0.0/x']) {
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
    for (const body of [{ type: 'license.exploded' }, { licenseKey: 'NOT A KEY' }, { limit: 0 }, { limit: 501 }, { cursor: 'garbage' }, { cursor: Buffer.from('[1,"x"]').toString('base64url') }]) {
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
    const [got] = await waitFor('the activation delivery', receiver.arrived(path));
    assert.deepEqual([got!.body.event, got!.body.licenseKey], ['activation.created', hookedKey]);

    const plain = await newCreator('unhooked');
    const plainProduct = await newProduct(plain);
    const plainKey = await newLicense(plain, plainProduct);
    assert.equal((await activate(plainKey, plainProduct)).status, 200);
    const entry = (await db()).collection('eventOutbox').doc(await eventId(plain, plainKey, 'activation.created'));
    assert.equal((await entry.get()).exists, true, 'left in the outbox: no webhook to hand it to');
    // The sweep, kept to this creator's entries so files running beside this one keep theirs.
    assert.equal(await sweepOutbox(new Date(Date.now() + 5 * 60_000), { creatorId: plain.creatorId }), 1);
    assert.equal((await entry.get()).exists, false, 'the sweep clears it');
  });
});

describe('event jobs', () => {
  it('announces license.expired once, from the scheduled job, to the log and the webhooks', async () => {
    const c = await newCreator('expiry');
    const productId = await newProduct(c);
    const path = `/${uid('expired')}`;
    await withHook(c, path, [200], { events: ['license.expired'] });
    const expiresAt = new Date(Date.now() + HOUR);
    const key = await newLicense(c, productId, { expiresAt: expiresAt.toISOString() });
    const never = await newLicense(c, productId);
    // The job runs at a time after the expiry instead of the test waiting for it.
    const later = new Date(expiresAt.getTime() + 60_000);
    await expireLicenses(later);
    await expireLicenses(later);
    const expired = (await asCreator(c.apiKey, 'listEvents', { type: 'license.expired' })).body.events;
    assert.deepEqual(expired.map((e: any) => e.licenseKey), [key], 'once, and only for the licence that expired');
    assert.notEqual(key, never);
    const got = await waitFor('the expiry delivery', receiver.arrived(path));
    assert.deepEqual([got[0]!.body.licenseKey, got[0]!.body.data.expiresAt], [key, expiresAt.toISOString()]);
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
    assert.equal(await sweepOutbox(new Date(), { creatorId: c.creatorId }), 1);
    const got = await waitFor('the swept delivery', receiver.arrived(path));
    assert.equal(got[0]!.body.id, id);
    assert.equal((await (await db()).collection('eventOutbox').doc(id).get()).exists, false, 'gone from the outbox');
  });
});

// The shared request pipeline every endpoint goes through:
// method (405) → body size (413) → JSON object (400) → credentials (401) → API key scope (403) →
// schema (400) →
// rate limits (429; a key of Seatkey's shape failing its check value and not imported: 400) →
// handler → reply, with every error mapped in http/errors.ts.
// Who is asking comes first: a request to an admin or webhook endpoint without valid credentials
// is 401 whatever its body, so only an authenticated caller learns the schema. Events a handler
// records are handed to creators' webhooks once it succeeds (webhooks/scope.ts).
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'firebase-functions/v2/https';
import * as logger from 'firebase-functions/logger';
import { invalidRequest, unauthorized } from '../domain/errors.js';
import { uncheckedKey } from '../domain/licenseKey.js';
import { loggable } from '../domain/redact.js';
import { once } from '../domain/once.js';
import { assertOwner, assertPerson, limitSubject, personSubject } from '../domain/scope.js';
import type { SignedInUser } from './idToken.js';
import type { Buyer } from '../domain/portal.js';
import type { DialectRoute, Endpoint, EndpointKind, RequestContext, WebhookSource } from './endpoint.js';
import type { Caller } from '../domain/scope.js';
import type { RateLimitName } from '../config.js';
import { toErrorReply, type Shape } from './errors.js';
import { RequestLimiter } from './rateLimit.js';
import { checkMethod, checkSize, clientIp, header, limiterClock, presentedPublishableKey, readFields } from './request.js';
import { describeIssues } from './issues.js';
import { dispatchingEvents } from '../webhooks/scope.js';

/** The client endpoints' checks, loaded on their first request. */
const clientChecks = once(() => Promise.all([import('../licensing/publishable.js'), import('../store/licenseReads.js')]));

export type Loader = () => Promise<{ default: Endpoint }>;
export type DialectLoader = () => Promise<{ default: DialectRoute }>;

export async function serve(name: string, kind: EndpointKind, load: Loader, req: Request, res: Response): Promise<void> {
  return counting(req, res, () => handle(name, kind, async () => ({ endpoint: (await load()).default }), req, res));
}

/**
 * Another system's route (functions/src/dialects/): the same pipeline around the core endpoint
 * the route names, with the system's request translated in and its reply and errors out.
 */
export async function serveDialect(name: string, kind: EndpointKind, load: DialectLoader, req: Request, res: Response): Promise<void> {
  return counting(req, res, () => handle(name, kind, async () => (await load()).default, req, res));
}

/** The bench's Firestore work per call (store/opCount.ts): only in the emulator, only when asked. */
async function counting(req: Request, res: Response, work: () => Promise<void>): Promise<void> {
  if (process.env.SEATKEY_COUNT_FIRESTORE_OPS === '1' && header(req, 'x-seatkey-count-ops') === '1') {
    const ops = await import('../store/opCount.js');
    if (ops.countingOps()) {
      await ops.installed();
      return ops.countingRequest(res, work);
    }
  }
  return work();
}

async function handle(name: string, kind: EndpointKind, load: () => Promise<DialectRoute>, req: Request, res: Response): Promise<void> {
  const started = performance.now();
  const requestId = header(req, 'x-cloud-trace-context')?.split('/')[0] ?? randomUUID();
  let shape: Shape = 'success';
  let status = 200;
  let code: string | undefined;
  let route: DialectRoute | undefined;
  let given: Record<string, unknown> | undefined;
  try {
    route = await load();
    const spec = route.endpoint;
    if (spec.kind !== kind) throw new Error(`${name} is declared ${kind} in index.ts but its file defines ${spec.kind}`);
    if (route.keyLimit !== undefined && !spec.limitsAlongside) throw new Error(`${name}: keyLimit needs a limitsAlongside endpoint`);
    const { licenseLimits, keyLimit } = route;
    shape = spec.shape ?? 'success';
    const method = checkMethod(req, route.methods ?? (spec.get ? ['GET', 'POST'] : ['POST']));
    if (method === 'POST') checkSize(req);
    given = readFields(req, method);
    const fields = route.request ? route.request(given, (h) => header(req, h)) : given;
    const now = new Date();
    let caller: Caller | undefined;
    let source: WebhookSource | undefined;
    let user: SignedInUser | undefined;
    /** A client request's publishable-key gate: judged on the licence its handler reads. */
    let gate: { beforeRefusal(): Promise<void>; presented(): Promise<void>; reads<T>(fn: () => Promise<T>): Promise<T> } | undefined;
    // Each kind's credential checks load on the first request of a function of that kind: an
    // instance serves one function, so a client function never loads the admin API's.
    let buyer: Buyer | undefined;
    await route.authorize?.(fields, req, now);
    if (spec.kind === 'admin') {
      const [{ authenticateAdmin }, { assertScope }] = await Promise.all([import('./auth.js'), import('../domain/apiScopes.js')]);
      caller = await authenticateAdmin(req, fields, now);
      if (spec.superOnly && caller.kind !== 'super') throw unauthorized('This endpoint requires adminSecret');
      if (spec.who === 'person') assertPerson(caller);
      if (spec.who === 'owner') assertOwner(caller);
      assertScope(name, caller.kind === 'creator' ? caller.scopes : undefined);
    } else if (spec.kind === 'webhook') {
      source = await (await import('./webhookAuth.js')).authenticateWebhook(req, fields, now);
    } else if (spec.kind === 'account') {
      user = await (await import('./idToken.js')).authenticateUser(req);
    } else if (spec.kind === 'buyer') {
      buyer = await (await import('./idToken.js')).authenticateBuyer(req);
    } else if (spec.kind === 'client') {
      // Loaded on a client endpoint's first request: it reads licences and product settings,
      // which the entry module (and every other function's cold start) need not load.
      const [{ publishableGate }, reads] = await clientChecks();
      const g = publishableGate(presentedPublishableKey(req, fields), fields);
      gate = { beforeRefusal: () => g.beforeRefusal(), presented: g.presented, reads: (fn) => reads.checkingLicenseReads(g.admit, fn) };
    }
    const parsed = spec.schema.safeParse(fields);
    if (!parsed.success) {
      await gate?.beforeRefusal();
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      throw invalidRequest(describeIssues(parsed.error.issues), { issues });
    }

    const limiter = new RequestLimiter((k, v) => res.setHeader(k, v), limiterClock(req));
    const counts: Promise<void>[] = [];
    const countNow = (limitName: RateLimitName, subject: string) => {
      const counted = limiter.enforce(limitName, subject);
      counted.catch(() => undefined);
      counts.push(counted);
    };
    /** Whether the client-IP count (and a dialect's key limit) waits to join the handler's first count. */
    let ipPending = false;
    const countIp = () => {
      if (!ipPending) return;
      ipPending = false;
      countNow('clientIp', ctx.ip);
      if (keyLimit !== undefined) countNow(keyLimit, String(named));
    };
    const ctx: RequestContext = {
      now,
      ip: clientIp(req),
      requestId,
      limit: (limitName, subject) => limiter.enforce(limitName, subject),
      count: (limitName, subject) => {
        countIp();
        countNow(limitName, subject);
      },
      admitted: async () => void (await Promise.all(counts)),
      perLicense: (limitName, subject) => {
        countIp();
        const tally = limiter.tally(licenseLimits?.[limitName] ?? limitName, subject);
        const counted = Promise.all([...counts, tally.counted]).then(() => undefined);
        counted.catch(() => undefined);
        return {
          counted,
          admit: async (license) => {
            await Promise.all(counts);
            await tally.judge(license);
          },
        };
      },
      header: (h) => header(req, h),
      setHeader: (k, v) => void res.setHeader(k, v),
    };
    // A key of Seatkey's shape whose check value fails: only an imported licence can have it. Its
    // refusal is counted as the call would have been (per IP, per API key), so refusals cannot
    // probe for imported keys any faster than lookups can.
    const named = (parsed.data as { licenseKey?: unknown }).licenseKey;
    if (typeof named === 'string' && uncheckedKey(named)) {
      const [{ importedUnder }, { mistypedKey }] = await Promise.all([import('../licensing/importedKeys.js'), import('./fields.js')]);
      if (!(await importedUnder(named, caller))) {
        await gate?.beforeRefusal();
        if (spec.kind === 'client') await ctx.limit('clientIp', ctx.ip);
        else if (caller?.kind === 'creator') await ctx.limit('admin', limitSubject(caller));
        throw mistypedKey();
      }
    }
    let result: Record<string, unknown>;
    switch (spec.kind) {
      case 'admin': {
        const admin = caller!;
        if (admin.kind === 'creator') await ctx.limit('admin', limitSubject(admin));
        result = await dispatchingEvents(() => spec.handle(parsed.data, { ...ctx, caller: admin }));
        break;
      }
      case 'account': {
        const person = user!;
        await ctx.limit('admin', personSubject(person.uid));
        result = await dispatchingEvents(() => spec.handle(parsed.data, { ...ctx, user: person }));
        break;
      }
      case 'buyer': {
        const signedIn = buyer!;
        await ctx.limit('portal', personSubject(signedIn.uid));
        result = await dispatchingEvents(() => spec.handle(parsed.data, { ...ctx, buyer: signedIn }));
        break;
      }
      case 'client': {
        // A refused publishable key outranks whatever the handler answered, and the rate limits.
        const { reads, presented } = gate!;
        const handled = () => reads(() => dispatchingEvents(() => spec.handle(parsed.data, ctx), { leaveUnwatched: true }));
        if (spec.limitsAlongside) {
          ipPending = true;
          if (!spec.ipCountJoinsHandler) countIp();
          const outcome = await handled().then((value) => ({ value }), (error: unknown) => ({ error }));
          countIp();
          await presented();
          await ctx.admitted();
          if ('error' in outcome) throw outcome.error;
          result = outcome.value;
        } else if (spec.limitsInHandler) {
          result = await settled(handled(), presented);
        } else {
          await presented();
          await ctx.limit('clientIp', ctx.ip);
          result = await handled();
        }
        break;
      }
      case 'webhook': {
        const signer = source!;
        result = await dispatchingEvents(() => spec.handle(parsed.data, { ...ctx, source: signer }));
        break;
      }
      case 'open':
        result = await spec.handle(parsed.data, ctx);
        break;
    }
    if (route.reply) {
      const out = await route.reply(result, parsed.data, ctx);
      status = out.status ?? 200;
      for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
      res.status(status).json(out.body);
      return;
    }
    const flag = shape === 'valid' ? 'valid' : 'success';
    res.status(200).json(shape === 'raw' ? result : { [flag]: true, ...result });
  } catch (error) {
    const reply = toErrorReply(error, shape);
    status = reply.status;
    code = reply.code;
    if (reply.unexpected !== undefined) {
      const e = reply.unexpected;
      logger.error('unexpected error', { endpoint: name, requestId, error: loggable(e, true) });
    }
    for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
    const out = route?.error?.(reply, error, given);
    if (out) {
      status = out.status ?? reply.status;
      for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
      res.status(status).json(out.body);
      return;
    }
    res.status(reply.status).json(reply.body);
  } finally {
    // Never the request's fields: they carry licence keys and secrets.
    logger.info('request', { endpoint: name, method: req.method, status, code, ms: Math.round(performance.now() - started), requestId });
  }
}

/** `work`'s outcome once `first` passes; a refusal from `first` outranks whatever `work` did. */
async function settled<T>(work: Promise<T>, first: () => Promise<void>): Promise<T> {
  const outcome = await work.then((value) => ({ value }), (error: unknown) => ({ error }));
  await first();
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

// The shared request pipeline every endpoint goes through:
// method (405) → body size (413) → JSON object (400) → schema (400) → auth (401) →
// rate limits (429) → handler → reply, with every error mapped in http/errors.ts.
// Input is validated before any Firestore I/O, so bad input costs no reads or writes. Events a
// handler records are handed to creators' webhooks once it succeeds (webhooks/scope.ts).
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'firebase-functions/v2/https';
import * as logger from 'firebase-functions/logger';
import { invalidRequest, unauthorized } from '../domain/errors.js';
import { loggable } from '../domain/redact.js';
import { limitSubject, personSubject } from '../domain/scope.js';
import { authenticateAdmin } from './auth.js';
import { authenticateUser } from './idToken.js';
import type { Endpoint, EndpointKind, RequestContext } from './endpoint.js';
import { toErrorReply, type Shape } from './errors.js';
import { RequestLimiter } from './rateLimit.js';
import { checkMethod, checkSize, clientIp, header, readFields } from './request.js';
import { describeIssues } from './issues.js';
import { authenticateWebhook } from './webhookAuth.js';
import { dispatchingEvents } from '../webhooks/scope.js';

export type Loader = () => Promise<{ default: Endpoint }>;

export async function serve(name: string, kind: EndpointKind, load: Loader, req: Request, res: Response): Promise<void> {
  const started = performance.now();
  const requestId = header(req, 'x-cloud-trace-context')?.split('/')[0] ?? randomUUID();
  let shape: Shape = 'success';
  let status = 200;
  let code: string | undefined;
  try {
    const spec = (await load()).default;
    if (spec.kind !== kind) throw new Error(`${name} is declared ${kind} in index.ts but its file defines ${spec.kind}`);
    shape = spec.shape ?? 'success';
    const method = checkMethod(req, spec.get ? ['GET', 'POST'] : ['POST']);
    if (method === 'POST') checkSize(req);
    const fields = readFields(req, method);
    const parsed = spec.schema.safeParse(fields);
    if (!parsed.success) throw invalidRequest(describeIssues(parsed.error.issues));

    const limiter = new RequestLimiter((k, v) => res.setHeader(k, v));
    const counts: Promise<void>[] = [];
    const ctx: RequestContext = {
      now: new Date(),
      ip: clientIp(req),
      requestId,
      limit: (limitName, subject) => limiter.enforce(limitName, subject),
      count: (limitName, subject) => {
        const counted = limiter.enforce(limitName, subject);
        counted.catch(() => undefined);
        counts.push(counted);
      },
      admitted: async () => void (await Promise.all(counts)),
      header: (h) => header(req, h),
      setHeader: (k, v) => void res.setHeader(k, v),
    };
    let result: Record<string, unknown>;
    switch (spec.kind) {
      case 'admin': {
        const caller = await authenticateAdmin(req, fields, ctx.now);
        if (spec.superOnly && caller.kind !== 'super') throw unauthorized('This endpoint requires adminSecret');
        if (caller.kind === 'creator') await ctx.limit('admin', limitSubject(caller));
        result = await dispatchingEvents(() => spec.handle(parsed.data, { ...ctx, caller }));
        break;
      }
      case 'account': {
        const user = await authenticateUser(req);
        await ctx.limit('admin', personSubject(user.uid));
        result = await dispatchingEvents(() => spec.handle(parsed.data, { ...ctx, user }));
        break;
      }
      case 'client':
        if (spec.limitsAlongside) {
          ctx.count('clientIp', ctx.ip);
          const outcome = await dispatchingEvents(() => spec.handle(parsed.data, ctx), { leaveUnwatched: true }).then((value) => ({ value }), (error: unknown) => ({ error }));
          await ctx.admitted();
          if ('error' in outcome) throw outcome.error;
          result = outcome.value;
        } else {
          await ctx.limit('clientIp', ctx.ip);
          result = await dispatchingEvents(() => spec.handle(parsed.data, ctx), { leaveUnwatched: true });
        }
        break;
      case 'webhook': {
        const source = await authenticateWebhook(req, fields, ctx.now);
        result = await dispatchingEvents(() => spec.handle(parsed.data, { ...ctx, source }));
        break;
      }
      case 'open':
        result = await spec.handle(parsed.data, ctx);
        break;
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
    res.status(reply.status).json(reply.body);
  } finally {
    // Never the request's fields: they carry licence keys and secrets.
    logger.info('request', { endpoint: name, method: req.method, status, code, ms: Math.round(performance.now() - started), requestId });
  }
}

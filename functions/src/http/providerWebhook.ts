// The path of a payment provider's webhook (stripeWebhook, paddleWebhook, …), apart from the
// JSON pipeline because the signature must be checked on the raw body first:
// method (405) → size (413) → connection, from the URL's last segment (404) → the provider's
// signature on the raw bytes (401; nothing parsed or written before) → translate → the shared
// apply step → 200. Errors map as everywhere else (http/errors.ts); never a body is logged.
import type { Request, Response } from 'firebase-functions/v2/https';
import * as logger from 'firebase-functions/logger';
import { notFound } from '../domain/errors.js';
import { CONNECTION_ID_PREFIX, type ProviderName } from '../domain/paymentConnection.js';
import { loggable } from '../domain/redact.js';
import type { Provider } from '../payments/providers/provider.js';
import { toErrorReply } from './errors.js';
import { checkMethod, checkSize, header } from './request.js';
import { dispatchingEvents } from '../webhooks/scope.js';

export type ProviderLoader = () => Promise<{ default: Provider }>;

const CONNECTION_ID = new RegExp(`^${CONNECTION_ID_PREFIX}[A-Za-z0-9_-]{16,64}$`);

/** The connection id: the last segment of `<base>/<function>/<connectionId>`. */
const connectionIdOf = (req: Request): string | undefined => (req.path ?? '').split('/').filter(Boolean).pop();

export async function serveProvider(name: string, provider: ProviderName, load: ProviderLoader, req: Request, res: Response): Promise<void> {
  const started = performance.now();
  let status = 200;
  let code: string | undefined;
  try {
    checkMethod(req, ['POST']);
    checkSize(req);
    const now = new Date();
    const id = connectionIdOf(req);
    if (!id || !CONNECTION_ID.test(id)) throw notFound('Connection');
    const { connectionForWebhook } = await import('../store/paymentConnections.js');
    const found = await connectionForWebhook(id);
    if (!found || found.connection.provider !== provider) throw notFound('Connection');
    const spec = (await load()).default;
    const raw = req.rawBody ?? Buffer.alloc(0);
    const query = (k: string) => {
      const v = req.query[k];
      return typeof v === 'string' ? v : undefined;
    };
    const payload = await spec.verify({ raw, header: (h) => header(req, h), query, connection: found.connection, secret: found.secret, now });
    const translated = spec.translate(payload);
    const { applyProviderEvent } = await import('../payments/providers/apply.js');
    const result = await dispatchingEvents(() => applyProviderEvent(found.connection, translated, now));
    res.status(200).json({ success: true, ...result });
  } catch (error) {
    const reply = toErrorReply(error, 'success');
    status = reply.status;
    code = reply.code;
    if (reply.unexpected !== undefined) logger.error('unexpected error', { endpoint: name, error: loggable(reply.unexpected, true) });
    for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
    res.status(reply.status).json(reply.body);
  } finally {
    logger.info('request', { endpoint: name, method: req.method, status, code, ms: Math.round(performance.now() - started) });
  }
}

// Payment webhook authentication: the platform's WEBHOOK_SECRET, from `x-webhook-secret` or the
// body field `webhookSecret`, compared in constant time.
import type { Request } from 'firebase-functions/v2/https';
import { WEBHOOK_SECRET } from '../config.js';
import { secretsEqual } from '../domain/crypto.js';
import { unauthorized } from '../domain/errors.js';
import type { WebhookSource } from './endpoint.js';
import { header } from './request.js';

export async function authenticateWebhook(req: Request, fields: Record<string, unknown>): Promise<WebhookSource> {
  const given = header(req, 'x-webhook-secret') ?? (typeof fields.webhookSecret === 'string' ? fields.webhookSecret : undefined);
  if (!given) throw unauthorized('Missing webhook secret');
  if (secretsEqual(given, WEBHOOK_SECRET.value())) return { kind: 'platform' };
  throw unauthorized('Invalid webhook secret');
}

// Payment webhook authentication: the secret from `x-webhook-secret` or the body field
// `webhookSecret` is the platform's WEBHOOK_SECRET (compared in constant time; any product) or
// one of a creator's webhook secrets (looked up by its SHA-256, so timing reveals nothing about
// stored secrets; only that creator's products). A wrong or revoked secret writes nothing.
import type { Request } from 'firebase-functions/v2/https';
import { WEBHOOK_SECRET } from '../config.js';
import { secretsEqual, sha256Hex } from '../domain/crypto.js';
import { unauthorized } from '../domain/errors.js';
import { CREATOR_WEBHOOK_SECRET_PREFIX } from '../domain/payment.js';
import type { WebhookSource } from './endpoint.js';
import { header } from './request.js';

export async function authenticateWebhook(req: Request, fields: Record<string, unknown>, now: Date): Promise<WebhookSource> {
  const given = header(req, 'x-webhook-secret') ?? (typeof fields.webhookSecret === 'string' ? fields.webhookSecret : undefined);
  if (!given) throw unauthorized('Missing webhook secret');
  if (secretsEqual(given, WEBHOOK_SECRET.value())) return { kind: 'platform' };
  if (given.startsWith(CREATOR_WEBHOOK_SECRET_PREFIX)) {
    const { webhookSecrets } = await import('../store/webhookSecrets.js');
    const record = await webhookSecrets.findByHash(sha256Hex(given));
    if (record && !record.revoked) {
      await webhookSecrets.touch(record, now);
      return { kind: 'creator', creatorId: record.creatorId, secretId: record.id };
    }
  }
  throw unauthorized('Invalid webhook secret');
}

// webhookSecrets/{sha256 of the secret}: payment-webhook secrets a creator made for its own
// products, stored only as a hash (store/credentials.ts).
import { CREATOR_WEBHOOK_SECRET_PREFIX } from '../domain/payment.js';
import { COLLECTIONS } from './collections.js';
import { credentialStore } from './credentials.js';

export const webhookSecrets = credentialStore(COLLECTIONS.webhookSecrets);

/** A new secret, `whsec_c_` and 256 random bits, returned once. */
export const issueWebhookSecret = (fields: { creatorId: string; name: string; now: Date }) =>
  webhookSecrets.issue({ ...fields, secretPrefix: CREATOR_WEBHOOK_SECRET_PREFIX, idPrefix: 'whs_' });

// webhookSecrets/{sha256 of the secret}: payment-webhook secrets a creator made for its own
// products, stored only as a hash (store/credentials.ts).
import { CREATOR_WEBHOOK_SECRET_PREFIX } from '../domain/payment.js';
import { COLLECTIONS } from './collections.js';
import { credentialStore } from './credentials.js';

/** Secrets are `whsec_c_` and 256 random bits, returned once. */
export const webhookSecrets = credentialStore(COLLECTIONS.webhookSecrets, { secretPrefix: CREATOR_WEBHOOK_SECRET_PREFIX, idPrefix: 'whs_' });

export const issueWebhookSecret = webhookSecrets.issue;

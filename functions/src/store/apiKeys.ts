// apiKeys/{sha256 of the key}: a creator's API keys, stored only as a hash (store/credentials.ts).
import { COLLECTIONS } from './collections.js';
import { credentialStore, type CredentialRecord } from './credentials.js';

export type ApiKeyRecord = CredentialRecord;

/** Keys are `sk_live_` (test keys `sk_test_`) and 256 random bits, returned once. */
const apiKeys = credentialStore(COLLECTIONS.apiKeys, { secretPrefix: 'sk_live_', testSecretPrefix: 'sk_test_', idPrefix: 'key_' });

export const issueApiKey = apiKeys.issue;
export const rotateApiKeyRecord = apiKeys.rotate;
export const findApiKeyByHash = apiKeys.findByHash;
export const touchApiKey = apiKeys.touch;
export const listApiKeyRecords = apiKeys.list;
export const findApiKeyById = apiKeys.findById;
export const markApiKeyRevoked = apiKeys.markRevoked;

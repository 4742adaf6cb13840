// Error texts go to the server log, and a Firestore error can quote a document path, which for
// a licence is its key. Everything credential-shaped is masked before it is logged.
import { maskLicenseKey } from './licenseKey.js';

const LICENSE_KEY = /\b[A-Z0-9]{1,8}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}\b/g;
// API keys, webhook secrets, admin secrets as npm start writes them, and JWTs.
const TOKENS = /\b(?:sk_live_|sk_test_|whsec_|adm_)[A-Za-z0-9_-]+|\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;

export function redact(text: string): string {
  return text.replace(LICENSE_KEY, maskLicenseKey).replace(TOKENS, (m) => `${m.slice(0, m.startsWith('eyJ') ? 3 : m.indexOf('_', 3) + 1)}[redacted]`);
}

/** An error's message (or stack) fit for the log. */
export const loggable = (e: unknown, withStack = false): string =>
  redact(e instanceof Error ? ((withStack ? e.stack : undefined) ?? e.message) : String(e));

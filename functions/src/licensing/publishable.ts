// Publishable keys on client calls (Paperkey's model): a product may require its shipped apps to
// send one of its `pk_…` keys. A key that is sent is always checked: unknown, revoked, or another
// product's is 401 whether or not the product requires one; none sent is 401 only where the
// product requires it. A test key (`pk_test_`) works with sandbox licences only, a live one with
// live ones. Checked with the credentials, before the schema and the handler.
import { coversProduct } from '../domain/access.js';
import { unauthorized } from '../domain/errors.js';
import { licenseKeyForm } from '../domain/licenseKey.js';
import { getLicenseRecord } from '../store/licenses.js';
import { clientSettings } from '../store/productSettings.js';
import { findPublishableKey } from '../store/publishableKeys.js';

/** Which product a licence is for, and its mode, never change, so they are remembered per instance. */
const productOfKey = new Map<string, { productId: string; unlocked: string[]; sandbox: boolean }>();

async function productsOf(licenseKey: string): Promise<{ productId: string; unlocked: string[]; sandbox: boolean } | undefined> {
  const known = productOfKey.get(licenseKey);
  if (known) return known;
  const license = await getLicenseRecord(licenseKey);
  if (!license) return undefined;
  if (productOfKey.size > 10_000) productOfKey.clear();
  const entry = { productId: license.productId, unlocked: license.unlockedProducts, sandbox: license.sandbox === true };
  productOfKey.set(licenseKey, entry);
  return entry;
}

/** The `sub` (licence key) of a session token, unverified: only to find whose product it is. */
function tokenSubject(token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Admits a client call by its publishable key. `fields` is the raw request: the licence it names
 * (`licenseKey`, else the token's) decides which product's rules apply, the product it names
 * (`productId`) when the licence covers it, else the licence's own.
 */
export async function admitPublishableKey(presented: string | undefined, fields: Record<string, unknown>): Promise<void> {
  const typed = typeof fields.licenseKey === 'string' ? fields.licenseKey : tokenSubject(fields.token);
  const licenseKey = typed === undefined ? undefined : licenseKeyForm(typed);
  const [license, record] = await Promise.all([
    licenseKey === null || licenseKey === undefined ? undefined : productsOf(licenseKey),
    presented === undefined ? undefined : findPublishableKey(presented),
  ]);
  if (presented !== undefined && (!record || record.revoked)) throw unauthorized('Invalid or revoked publishable key');
  // No licence to judge by (none named, or unknown): the handler answers that.
  if (!license) return;
  const named = typeof fields.productId === 'string' ? fields.productId.trim().toLowerCase() : undefined;
  const productId = named !== undefined && coversProduct({ productId: license.productId, unlockedProducts: license.unlocked }, named) ? named : license.productId;
  if (record) {
    if (record.productId !== productId) throw unauthorized('This publishable key is for another product');
    // Test keys (pk_test_) work with sandbox licences only, live keys with live ones.
    if ((record.mode === 'test') !== license.sandbox) throw unauthorized(`A ${record.mode} publishable key cannot be used with a ${license.sandbox ? 'test' : 'live'} licence`);
    return;
  }
  if ((await clientSettings(productId)).requirePublishableKey) throw unauthorized('This product requires a publishable key (X-Publishable-Key)');
}

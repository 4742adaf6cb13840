// Publishable keys on client calls (Paperkey's model): a product may require its shipped apps to
// send one of its `pk_…` keys. A key that is sent is always checked: unknown, revoked, or another
// product's is 401 whether or not the product requires one; none sent is 401 only where the
// product requires it. A test key (`pk_test_`) works with sandbox licences only, a live one with
// live ones.
//
// Which product's rules apply depends on the licence the request names, so they are judged on
// the licence the handler reads (store/licenseReads.ts), as it is read and before anything is
// decided or written: no read of its own ahead of the handler. The presented key's record is read
// alongside. Credentials still come first: a request whose body fails the schema is judged here
// before its 400, and a refused key outranks whatever the handler answered.
import { coversProduct } from '../domain/access.js';
import { unauthorized } from '../domain/errors.js';
import type { LicenseRecord } from '../domain/license.js';
import { licenseKeyForm } from '../domain/licenseKey.js';
import { getLicenseRecord } from '../store/licenses.js';
import { clientSettings } from '../store/productSettings.js';
import { findPublishableKey, type PublishableKeyRecord } from '../store/publishableKeys.js';

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

/** The licence key a raw client request names: its own `licenseKey`, else its token's `sub` (unverified). */
export const namedLicenseKey = (fields: Record<string, unknown>): string | undefined =>
  typeof fields.licenseKey === 'string' ? fields.licenseKey : tokenSubject(fields.token);

export interface PublishableGate {
  /** 401 unless the presented key, if any, exists and is in force. */
  presented(): Promise<void>;
  /** The rules for a licence the request reads (each licence judged once per request). */
  admit(license: LicenseRecord): Promise<void>;
  /** Before a 400: judges the request by the licence its raw fields name, read here. */
  beforeRefusal(): Promise<void>;
}

/** The publishable-key gate of one client request. `fields` is the raw request. */
export function publishableGate(presented: string | undefined, fields: Record<string, unknown>): PublishableGate {
  const record: Promise<PublishableKeyRecord | undefined> | undefined = presented === undefined ? undefined : findPublishableKey(presented);
  record?.catch(() => undefined);
  const inForce = async (): Promise<PublishableKeyRecord | undefined> => {
    if (!record) return undefined;
    const r = await record;
    if (!r || r.revoked) throw unauthorized('Invalid or revoked publishable key');
    return r;
  };
  const judge = async (license: LicenseRecord): Promise<void> => {
    const key = await inForce();
    const named = typeof fields.productId === 'string' ? fields.productId.trim().toLowerCase() : undefined;
    const productId = named !== undefined && coversProduct(license, named) ? named : license.productId;
    if (key) {
      if (key.productId !== productId) throw unauthorized('This publishable key is for another product');
      // Test keys (pk_test_) work with sandbox licences only, live keys with live ones.
      const sandbox = license.sandbox === true;
      if ((key.mode === 'test') !== sandbox) throw unauthorized(`A ${key.mode} publishable key cannot be used with a ${sandbox ? 'test' : 'live'} licence`);
      return;
    }
    if ((await clientSettings(productId)).requirePublishableKey) throw unauthorized('This product requires a publishable key (X-Publishable-Key)');
  };
  const judged = new Map<string, Promise<void>>();
  return {
    presented: async () => void (await inForce()),
    admit: (license) => {
      let verdict = judged.get(license.licenseKey);
      if (!verdict) judged.set(license.licenseKey, (verdict = judge(license)));
      return verdict;
    },
    async beforeRefusal() {
      await inForce();
      const typed = namedLicenseKey(fields);
      const licenseKey = typed === undefined ? null : licenseKeyForm(typed);
      const license = licenseKey === null ? undefined : await getLicenseRecord(licenseKey);
      if (license) await this.admit(license);
    },
  };
}

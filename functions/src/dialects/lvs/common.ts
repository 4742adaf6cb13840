// The License Verification Server's vocabulary, shared by its /api/v1/* routes: snake_case fields,
// the tenant API key on every call, and errors as `{"ok": false, "error": …}` with its statuses.
import type { Request } from 'firebase-functions/v2/https';
import { assertScope } from '../../domain/apiScopes.js';
import { assertLicenseVisible, canSeeLicense } from '../../domain/scope.js';
import { licenseKeyForm, uncheckedKey } from '../../domain/licenseKey.js';
import { mistypedKey } from '../../http/fields.js';
import { namedLicenseKey } from '../../licensing/publishable.js';
import { authenticateAdmin } from '../../http/auth.js';
import type { DialectReply } from '../../http/endpoint.js';
import type { ErrorReply } from '../../http/errors.js';
import { getLicenseRecord } from '../../store/licenses.js';
import { inTheirWords } from '../shared.js';

export const NAMES = { license_key: 'licenseKey', product_id: 'productId', machine_id: 'machineFingerprint', machine_name: 'hostname', token: 'token' } as const;

/**
 * The tenant API key (`Authorization: Bearer sk_…`) every call carries: it must be a live key (or
 * the creator's person's ID token) holding the scope domain/apiScopes.ts gives `route`, and the licence the request
 * names must be its creator's (and of its mode), else 404 as for any licence outside a tenant.
 */
export const tenantKey = (route: string) => async (fields: Record<string, unknown>, req: Request, now: Date): Promise<void> => {
  const caller = await authenticateAdmin(req, {}, now);
  assertScope(route, caller.kind === 'creator' ? caller.scopes : undefined);
  const typed = namedLicenseKey(fields);
  const key = typed === undefined ? null : licenseKeyForm(typed);
  // A missing or malformed key is the schema's to refuse (400), after the credential.
  if (key === null) return;
  const license = await getLicenseRecord(key);
  // Another tenant's key imported in Seatkey's shape is refused as the typo it is to this tenant.
  if (license && uncheckedKey(key) && !canSeeLicense(caller, license)) throw mistypedKey();
  if (license) assertLicenseVisible(caller, license);
};

/** Seats taken and the limit (null: unlimited). */
export const seatsOf = (r: Record<string, unknown>) => ({ seats_used: r.machinesUsed, seats_total: Number(r.maxMachines) < 0 ? null : r.maxMachines });

/** A reply that carries a licence token (activate, verify): the token and the seat it holds. */
export const withToken = (r: Record<string, unknown>) => ({
  ok: true,
  token: r.token,
  token_expires_at: r.expiresAt,
  activation_id: r.activationId,
  product_id: r.productId,
  status: r.status,
  license_expires_at: r.licenseExpiresAt,
  ...seatsOf(r),
});

/** Statuses the server documents where they differ from the core's: a full licence is 409 Conflict. */
const STATUS: Partial<Record<string, number>> = { machine_limit: 409 };

/** A core error as `{"ok": false, "error": "<description>"}` (and its code, for programs). */
export function lvsError(reply: ErrorReply): DialectReply {
  return { status: STATUS[reply.code] ?? reply.status, body: { ok: false, error: inTheirWords(String(reply.body.error), NAMES), code: reply.code } };
}

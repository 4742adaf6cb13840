// The plan-level licence guide's vocabulary (docs/reference/plan-license-keys-guide.txt), shared by
// its /license/* routes: a licence key and an instance (one activation, named by its instance ID),
// the licence as `{key, status, expires_at, activation_count, activation_limit}`, and its refusals
// (expired, deactivated, limit reached) in the core's error shape with the guide's words.
import type { DialectReply } from '../../http/endpoint.js';
import type { ErrorReply } from '../../http/errors.js';
import { inTheirWords, renamed } from '../shared.js';

export const NAMES = { license_key: 'licenseKey', instance_id: 'activationId', instance_name: 'hostname', fingerprint: 'machineFingerprint' } as const;

/** A request naming a licence and one of its instances (validate, deactivate), in the core's names. */
export function keyAndInstance(fields: Record<string, unknown>): Record<string, unknown> {
  const { licenseKey, activationId } = renamed(fields, NAMES);
  return { licenseKey, activationId };
}

/** The activation count and limit (null: unlimited) as the guide's replies show them. */
export const activationsOf = (r: Record<string, unknown>) => ({
  activation_count: r.machinesUsed,
  activation_limit: Number(r.maxMachines) < 0 ? null : r.maxMachines,
});

/** The licence as the guide's replies show it: its key, status, expiry (null: never) and activations. */
export const licenseOf = (key: string, r: Record<string, unknown>, expiresAt: unknown) => ({
  key,
  status: r.status,
  expires_at: expiresAt ?? null,
  ...activationsOf(r),
});

/** A refusal in the core's shape, with the guide's code for a full licence and its field names. */
export function planError(reply: ErrorReply): DialectReply {
  const code = reply.code === 'machine_limit' ? 'activation_limit_reached' : reply.code;
  return { status: reply.status, body: { ...reply.body, error: inTheirWords(String(reply.body.error), NAMES), code } };
}

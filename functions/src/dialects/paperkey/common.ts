// Paperkey's public API vocabulary, shared by its /v1/licenses/* routes: its field names, its
// publishable-key authentication, and its error body `{error, message, details}` with its codes.
import { unauthorized } from '../../domain/errors.js';
import type { DialectReply } from '../../http/endpoint.js';
import type { ErrorReply } from '../../http/errors.js';
import { bearerOf, inTheirWords, renamed } from '../shared.js';

export const NAMES = { license_key: 'licenseKey', fingerprint: 'machineFingerprint', name: 'hostname' } as const;

/**
 * Paperkey's request as the core's fields. Its public API always takes the product's publishable
 * key (`Authorization: Bearer pk_…` or `x-api-key: pk_…`): none is 401 here, before the body is
 * looked at; the one sent is then checked by the core like any publishable key (unknown, revoked,
 * another product's, or of the other mode: 401).
 */
export function paperkeyRequest(fields: Record<string, unknown>, header: (name: string) => string | undefined): Record<string, unknown> {
  const presented = bearerOf(header) ?? header('x-api-key');
  if (presented === undefined || !presented.startsWith('pk_')) throw unauthorized('Missing or invalid API key: send your public key as Authorization: Bearer pk_… or x-api-key: pk_…');
  return renamed(fields, NAMES);
}

/**
 * Paperkey's "per license on activate/deactivate: 10 / hour": its routes count activations and
 * deactivations of a licence together on config.ts's `paperkey` rule, in place of the core's own
 * activate and deactivate limits (which scale with a licence's seats).
 */
export const PAPERKEY_LIMITS = { activate: 'paperkey', deactivate: 'paperkey' } as const;

/** Paperkey's code for a core refusal; its documented ones where they exist, else the core's. */
function codeOf(reply: ErrorReply, error: unknown): string {
  switch (reply.code) {
    case 'invalid_request':
      return 'validation_error';
    case 'machine_limit':
      return 'activation_limit_reached';
    case 'payload_too_large':
      return 'body_too_large';
    case 'rate_limited': {
      // The per-IP limit is Paperkey's global one; any other is counted per licence.
      const detail = (error as { detail?: { limit?: string } }).detail;
      return detail?.limit === 'clientIp' ? 'rate_limit_exceeded' : 'license_rate_limited';
    }
    default:
      return reply.code;
  }
}

/** A core error as Paperkey's `{error, message, details}`, with the status Paperkey documents for it. */
export function paperkeyError(reply: ErrorReply, error: unknown): DialectReply {
  const code = codeOf(reply, error);
  const detail = (error as { detail?: { issues?: { path: string; message: string }[] } }).detail;
  const details = (detail?.issues ?? []).map((i) => ({ path: inTheirWords(i.path, NAMES).split('.').filter(Boolean), message: i.message }));
  const message = code === 'validation_error' ? 'Invalid request data' : inTheirWords(String(reply.body.error), NAMES);
  return { status: reply.status, body: { error: code, message, details } };
}

/** Seats left on the licence: null when it has no limit (-1 in the core). */
export const remaining = (result: Record<string, unknown>): number | null => {
  const max = Number(result.maxMachines);
  return max < 0 ? null : Math.max(0, max - Number(result.machinesUsed));
};

// Typed domain errors. Code raises these; http/errors.ts maps each code to its HTTP status
// and body shape in one place.

export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'revoked'
  | 'expired'
  | 'suspended'
  | 'wrong_product'
  | 'machine_limit'
  | 'not_activated'
  | 'device_blocked'
  | 'deactivated'
  | 'fingerprint_mismatch'
  | 'invalid_token'
  | 'forbidden'
  | 'insufficient_scope'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'transfer_limit'
  | 'internal'
  | 'busy';

export class SeatkeyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra response headers (Retry-After and the like). */
    readonly headers: Readonly<Record<string, string>> = {},
    /**
     * What a dialect needs to name the refusal in its own words (functions/src/dialects/): the
     * fields a schema refused, or which limit refused a call. Never in the contract's own body.
     */
    readonly detail?: ErrorDetail,
  ) {
    super(message);
    this.name = 'SeatkeyError';
  }
}

/** The fields a schema refused (`path` dotted), or the limit that refused a call. */
export type ErrorDetail = { issues: readonly { path: string; message: string }[] } | { limit: string };

export const invalidRequest = (message: string, detail?: ErrorDetail) => new SeatkeyError('invalid_request', message, {}, detail);
export const unauthorized = (message = 'Missing or invalid credentials') => new SeatkeyError('unauthorized', message);
/** Unknown, or outside the caller's scope: the two are indistinguishable by design. */
export const notFound = (what = 'Resource') => new SeatkeyError('not_found', `${what} not found`);
export const conflict = (message: string) => new SeatkeyError('conflict', message);
export const forbidden = (
  code: 'revoked' | 'deactivated' | 'expired' | 'suspended' | 'wrong_product' | 'machine_limit' | 'not_activated' | 'device_blocked' | 'fingerprint_mismatch' | 'invalid_token',
  message: string,
) => new SeatkeyError(code, message);
/** The caller is who it says and the resource is its own, but its role does not allow the action. */
export const notAllowed = (message: string) => new SeatkeyError('forbidden', message);
export const busy = (message = 'The service is busy; retry shortly') =>
  new SeatkeyError('busy', message, { 'Retry-After': '1' });

export const deviceBlocked = () => new SeatkeyError('device_blocked', 'This device is blocked on this licence');

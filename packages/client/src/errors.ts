// Typed errors: one class per code of the HTTP contract, plus the few that only a client can
// meet (no network, a clock turned back, the offline grace used up). Messages never carry a
// licence key or a token, so an error can be logged as it is.

/** The contract's error codes a client endpoint can answer with. */
const SERVER_CODES = [
  'invalid_request',
  'unauthorized',
  'revoked',
  'expired',
  'suspended',
  'wrong_product',
  'machine_limit',
  'not_activated',
  'device_blocked',
  'deactivated',
  'fingerprint_mismatch',
  'invalid_token',
  'not_found',
  'rate_limited',
  'transfer_limit',
  'internal',
  'busy',
] as const;
export type ServerErrorCode = (typeof SERVER_CODES)[number];

/** Codes raised on the client's side of the wire. */
export type ClientErrorCode =
  | 'network'
  | 'bad_response'
  | 'clock_rollback'
  | 'offline_grace_expired'
  | 'fingerprint_unavailable'
  | 'storage';

export type SeatkeyErrorCode = ServerErrorCode | ClientErrorCode;

export interface SeatkeyErrorOptions {
  /** The HTTP status, when the error is the server's answer. */
  status?: number;
  /** How long the server asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class SeatkeyError extends Error {
  override name = 'SeatkeyError';
  readonly code: SeatkeyErrorCode;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: SeatkeyErrorCode, message: string, options: SeatkeyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether trying again later may succeed: no network, 429, 5xx, a garbled reply. */
  get retryable(): boolean {
    return KINDS[this.code][1] === 'retryable';
  }

  /**
   * Whether the server refused the licence for good (revoked, suspended, expired, fingerprint
   * mismatch, not activated, not found, invalid token, wrong product): the cached activation
   * is cleared.
   */
  get definitive(): boolean {
    return KINDS[this.code][1] === 'definitive';
  }

  /** A plain object for logs and `--json` output (no stack, no secrets). */
  toJSON(): { code: SeatkeyErrorCode; message: string; status?: number; retryable: boolean } {
    return { code: this.code, message: this.message, ...(this.status === undefined ? {} : { status: this.status }), retryable: this.retryable };
  }
}

export class InvalidRequestError extends SeatkeyError {
  override name = 'InvalidRequestError';
}
export class UnauthorizedError extends SeatkeyError {
  override name = 'UnauthorizedError';
}
export class LicenseRevokedError extends SeatkeyError {
  override name = 'LicenseRevokedError';
}
export class LicenseExpiredError extends SeatkeyError {
  override name = 'LicenseExpiredError';
}
export class LicenseSuspendedError extends SeatkeyError {
  override name = 'LicenseSuspendedError';
}
export class WrongProductError extends SeatkeyError {
  override name = 'WrongProductError';
}
export class MachineLimitError extends SeatkeyError {
  override name = 'MachineLimitError';
  /** The limit the server named ("Machine limit reached (N)…"), when it did. */
  readonly maxMachines: number | undefined;

  constructor(code: SeatkeyErrorCode, message: string, options?: SeatkeyErrorOptions) {
    super(code, message, options);
    const n = /\((-?\d+)\)/.exec(message)?.[1];
    this.maxMachines = n === undefined ? undefined : Number(n);
  }
}
export class NotActivatedError extends SeatkeyError {
  override name = 'NotActivatedError';
}
/** The creator blocked this device on the licence (removeActivation with block); only they can lift it. */
export class DeviceBlockedError extends SeatkeyError {
  override name = 'DeviceBlockedError';
}
/** The licence was permanently deactivated: the key will never work again. */
export class LicenseDeactivatedError extends SeatkeyError {
  override name = 'LicenseDeactivatedError';
}
/**
 * The licence's transfers (seats freed to move to another machine) are used up for now;
 * `retryAfterMs` says when the oldest leaves the 30-day window. The activation stands.
 */
export class TransferLimitError extends SeatkeyError {
  override name = 'TransferLimitError';
}
export class FingerprintMismatchError extends SeatkeyError {
  override name = 'FingerprintMismatchError';
}
export class InvalidTokenError extends SeatkeyError {
  override name = 'InvalidTokenError';
}
export class LicenseNotFoundError extends SeatkeyError {
  override name = 'LicenseNotFoundError';
}
export class RateLimitedError extends SeatkeyError {
  override name = 'RateLimitedError';
}
export class ServerError extends SeatkeyError {
  override name = 'ServerError';
}
export class BusyError extends SeatkeyError {
  override name = 'BusyError';
}
export class NetworkError extends SeatkeyError {
  override name = 'NetworkError';
}
export class BadResponseError extends SeatkeyError {
  override name = 'BadResponseError';
}
export class ClockRollbackError extends SeatkeyError {
  override name = 'ClockRollbackError';
}
export class OfflineGraceExpiredError extends SeatkeyError {
  override name = 'OfflineGraceExpiredError';
}
export class FingerprintUnavailableError extends SeatkeyError {
  override name = 'FingerprintUnavailableError';
}
export class StorageError extends SeatkeyError {
  override name = 'StorageError';
}

type ErrorClass = new (code: SeatkeyErrorCode, message: string, options?: SeatkeyErrorOptions) => SeatkeyError;

/**
 * Each code's class and what it means for the caller: `definitive` (give up and forget the
 * activation), `retryable` (try again later) or `final` (retrying the same call will not help,
 * but the activation stands: a bad request, a full machine limit).
 */
const KINDS: Record<SeatkeyErrorCode, [ErrorClass, 'definitive' | 'retryable' | 'final']> = {
  invalid_request: [InvalidRequestError, 'final'],
  unauthorized: [UnauthorizedError, 'final'],
  revoked: [LicenseRevokedError, 'definitive'],
  expired: [LicenseExpiredError, 'definitive'],
  suspended: [LicenseSuspendedError, 'definitive'],
  wrong_product: [WrongProductError, 'definitive'],
  machine_limit: [MachineLimitError, 'final'],
  not_activated: [NotActivatedError, 'definitive'],
  device_blocked: [DeviceBlockedError, 'definitive'],
  deactivated: [LicenseDeactivatedError, 'definitive'],
  transfer_limit: [TransferLimitError, 'final'],
  fingerprint_mismatch: [FingerprintMismatchError, 'definitive'],
  invalid_token: [InvalidTokenError, 'definitive'],
  not_found: [LicenseNotFoundError, 'definitive'],
  rate_limited: [RateLimitedError, 'retryable'],
  internal: [ServerError, 'retryable'],
  busy: [BusyError, 'retryable'],
  network: [NetworkError, 'retryable'],
  bad_response: [BadResponseError, 'retryable'],
  clock_rollback: [ClockRollbackError, 'retryable'],
  offline_grace_expired: [OfflineGraceExpiredError, 'retryable'],
  fingerprint_unavailable: [FingerprintUnavailableError, 'final'],
  storage: [StorageError, 'final'],
};

export const isServerErrorCode = (code: unknown): code is ServerErrorCode => (SERVER_CODES as readonly unknown[]).includes(code);

/** The typed error for `code`: `seatkeyError('revoked', …)` is a `LicenseRevokedError`. */
export function seatkeyError(code: SeatkeyErrorCode, message: string, options?: SeatkeyErrorOptions): SeatkeyError {
  return new KINDS[code][0](code, message, options);
}

// The one place where errors become HTTP responses: status by code, and the contract's two
// body shapes. Unexpected errors become a bare 500; their details go to the log, never the body.
import { SeatkeyError, busy, type ErrorCode } from '../domain/errors.js';

export type Shape = 'success' | 'valid' | 'raw';

export const STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  unauthorized: 401,
  revoked: 403,
  expired: 403,
  suspended: 403,
  wrong_product: 403,
  machine_limit: 403,
  not_activated: 403,
  device_blocked: 403,
  deactivated: 403,
  fingerprint_mismatch: 403,
  invalid_token: 403,
  forbidden: 403,
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  transfer_limit: 429,
  internal: 500,
  busy: 503,
};

export interface ErrorReply {
  status: number;
  code: ErrorCode;
  headers: Readonly<Record<string, string>>;
  body: Record<string, unknown>;
  /** Set when the error was not one of ours: the pipeline logs it. */
  unexpected?: unknown;
}

// gRPC status codes Firestore reports for a transaction that lost under contention: ABORTED, and
// INVALID_ARGUMENT naming the transaction when the emulator timed out its locks and closed it
// ("Transaction is invalid or closed"). Either way nothing of it was committed.
const ABORTED = 10;
const INVALID_ARGUMENT = 3;
const isContention = (e: unknown): boolean => {
  if (typeof e !== 'object' || e === null) return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  return code === ABORTED || (code === INVALID_ARGUMENT && typeof message === 'string' && /transaction (is invalid or closed|has expired)/i.test(message));
};

export function toErrorReply(error: unknown, shape: Shape): ErrorReply {
  let known: SeatkeyError | undefined;
  if (error instanceof SeatkeyError) known = error;
  else if (isContention(error)) known = busy();
  const code: ErrorCode = known?.code ?? 'internal';
  const message = known?.message ?? 'Internal error';
  const flag = shape === 'valid' ? 'valid' : 'success';
  return {
    status: STATUS[code],
    code,
    headers: known?.headers ?? {},
    body: { [flag]: false, error: message, code },
    ...(known ? {} : { unexpected: error }),
  };
}

// What the client keeps between runs, and the strict reading of it back: a file that is not
// exactly this shape (truncated, edited, from a future version) is discarded, never trusted and
// never a crash.
import type { JWK } from 'jose';

/**
 * This machine's activation, as the server last confirmed it. What the token's claims say
 * (licence type and expiry) is read from the token, where it is signed.
 */
export interface StoredActivation {
  licenseKey: string;
  token: string;
  activationId: string;
  /** The licence's status at the last check ("active", "degraded", …). */
  status: string;
  variant: string | null;
  machinesUsed: number | null;
  maxMachines: number | null;
  /** The hostname sent on activation, sent again when an expired token is renewed. */
  hostname: string;
  /** Floating licences: when the seat's lease runs out (ISO 8601). */
  leaseExpiresAt: string | null;
  nextHeartbeatSeconds: number | null;
  /** This machine's clock (ms) at the last successful online check. */
  lastOnlineAt: number;
}

/**
 * Marks for spotting a clock turned back: the server's time at the last reply and this
 * machine's time when it came, and the latest this machine's clock has been seen at since.
 */
export interface ClockMarks {
  serverTime: number;
  localAtServerTime: number;
  lastSeenAt: number;
}

export interface StoredState {
  v: 1;
  activation: StoredActivation | null;
  clock: ClockMarks | null;
  /** Public keys fetched from `publicKey` (unused when keys are bundled). */
  jwks: JWK[];
}

export const emptyState = (): StoredState => ({ v: 1, activation: null, clock: null, jwks: [] });

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const orNull =
  <T>(check: (v: unknown) => v is T) =>
  (v: unknown): v is T | null =>
    v === null || check(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const ACTIVATION_FIELDS: Record<keyof StoredActivation, (v: unknown) => boolean> = {
  licenseKey: isString,
  token: isString,
  activationId: isString,
  status: isString,
  variant: orNull(isString),
  machinesUsed: orNull(isNumber),
  maxMachines: orNull(isNumber),
  hostname: isString,
  leaseExpiresAt: orNull(isString),
  nextHeartbeatSeconds: orNull(isNumber),
  lastOnlineAt: isNumber,
};

const CLOCK_FIELDS: Record<keyof ClockMarks, (v: unknown) => boolean> = {
  serverTime: isNumber,
  localAtServerTime: isNumber,
  lastSeenAt: isNumber,
};

const hasFields = (v: unknown, fields: Record<string, (v: unknown) => boolean>): boolean =>
  isObject(v) && Object.entries(fields).every(([name, check]) => check(v[name]));

/** The state in `text`, or undefined when it is not a state this version wrote. */
export function parseState(text: string): StoredState | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(v) || v.v !== 1) return undefined;
  if (v.activation !== null && !hasFields(v.activation, ACTIVATION_FIELDS)) return undefined;
  if (v.clock !== null && !hasFields(v.clock, CLOCK_FIELDS)) return undefined;
  if (!Array.isArray(v.jwks) || !v.jwks.every(isObject)) return undefined;
  return v as unknown as StoredState;
}

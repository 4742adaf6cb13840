// What the client keeps between runs, and the strict reading of it back: a file that is not
// exactly this shape (truncated, edited, from a future version) is discarded, never trusted and
// never a crash.
//
// Nothing here decides whether the machine is licensed: the file is the user's to edit. What
// is trusted comes from the signed token (verified against keys the app bundles or fetched from
// the server in this process): the licence's type and expiry, and the time the server last
// vouched for this machine (`iat`), from which the offline grace is measured. Files written by
// earlier versions also hold fetched public keys and a local `lastOnlineAt`; both are ignored.

/** This machine's activation, as the server last confirmed it. */
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
}

export const emptyState = (): StoredState => ({ v: 1, activation: null, clock: null });

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
};

const CLOCK_FIELDS: Record<keyof ClockMarks, (v: unknown) => boolean> = {
  serverTime: isNumber,
  localAtServerTime: isNumber,
  lastSeenAt: isNumber,
};

/** Exactly `fields` of `v` if each passes its check (others are dropped), else undefined. */
function pick<T>(v: unknown, fields: Record<keyof T, (v: unknown) => boolean>): T | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, check] of Object.entries<(v: unknown) => boolean>(fields)) {
    if (!check(v[name])) return undefined;
    out[name] = v[name];
  }
  return out as T;
}

/** The state in `text`, or undefined when it is not a state this version reads. */
export function parseState(text: string): StoredState | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(v) || v.v !== 1) return undefined;
  const activation = v.activation === null ? null : pick<StoredActivation>(v.activation, ACTIVATION_FIELDS);
  const clock = v.clock === null ? null : pick<ClockMarks>(v.clock, CLOCK_FIELDS);
  if (activation === undefined || clock === undefined) return undefined;
  return { v: 1, activation, clock };
}

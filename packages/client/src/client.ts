// SeatkeyClient: what a shipped app calls. Offline first: validate() trusts the cached, signed
// token and asks the server only when a check is due; everything that talks to the server or
// changes the cache runs one call at a time.
//
// The cache is a file the user can edit, so nothing in it is trusted on its own: the token is
// verified with keys the app bundles or fetched from the server by this process (never keys
// from the file), and every limit on offline use comes from the token's signed claims: the
// grace runs from `iat` (the server's time when it last vouched for this machine), never past
// `exp`, and never past the licence's own expiry `lexp`.
import { hostname as osHostname } from 'node:os';
import { afterReply, lag, rolledBack } from './clock.js';
import {
  BadResponseError,
  ClockRollbackError,
  FingerprintMismatchError,
  InvalidTokenError,
  LicenseExpiredError,
  NotActivatedError,
  OfflineGraceExpiredError,
  SeatkeyError,
  seatkeyError,
  StorageError,
  WrongProductError,
} from './errors.js';
import { defaultFingerprint } from './fingerprint.js';
import { HeartbeatLoop, type HeartbeatHandlers, type Timers } from './heartbeat.js';
import { Transport, type FetchLike, type ServerReply } from './http.js';
import {
  licenseInfo,
  type ActivationResult,
  type DeactivationResult,
  type HeartbeatResult,
  type KeyStatus,
  type MachineActivation,
  type LocalStatus,
  type ValidationResult,
  type ValidLicense,
} from './results.js';
import { Serial } from './serial.js';
import { emptyState, parseState, type StoredActivation, type StoredState } from './state.js';
import { defaultStoragePath, FileStorage, type SeatkeyStorage } from './storage.js';
import { decodeClaims, fingerprintClaim, KeySet, TokenRejected, verifyToken, type TokenClaims } from './token.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface ActivateOptions {
  /** The machine's name as the creator sees it; default: the OS hostname. */
  machineLabel?: string;
  /** Another name for `machineLabel`. */
  hostname?: string;
  /** What the app says about the machine (OS, app version, …); small: 20 keys, 2 KB as JSON. */
  metadata?: Record<string, unknown>;
}

export interface DeactivateOptions {
  /** The licence; default: this machine's activation's. */
  licenseKey?: string;
  /** Another machine's activation (the plan guide's "instance ID"); default: this machine. */
  activationId?: string;
}

export interface SeatkeyClientOptions {
  /** The functions' base URL, e.g. `https://us-central1-<project>.cloudfunctions.net`. */
  baseUrl: string;
  productId: string;
  /**
   * The product's publishable key (`pk_live_…`), sent on every call. Required when the product
   * requires one (`requirePublishableKey`); the server answers 401 without it.
   */
  publishableKey?: string;
  /**
   * Public keys to verify tokens with, bundled in the app (the `publicKey` endpoint's JWKS or
   * its `keys`, as `seatkey keys` writes them). Given, they are the only keys trusted and none
   * are fetched. Absent, each process fetches them from `publicKey` before it can verify a
   * token, so an app that must start offline bundles them.
   */
  publicKeys?: { keys: readonly object[] } | readonly object[];
  /** This deployment's token issuer (`iss`); given, a token naming another issuer is refused. */
  issuer?: string;
  /** Where the activation is kept; default: a 0600 JSON file in the user's config directory. */
  storage?: SeatkeyStorage;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  /** This machine's fingerprint; default: the OS machine id hashed with the product id. */
  fingerprint?: string | (() => string | Promise<string>);
  /** How often validate() asks the server (default one day). */
  onlineIntervalMs?: number;
  /** How long past the server's last signed confirmation (the token's `iat`) the licence holds without the server (default 7 days; never past the token's or the licence's expiry). */
  offlineGraceMs?: number;
  /** How far the clock may step back before it counts as turned back (default 5 minutes). */
  clockToleranceMs?: number;
  /** After a failed online check, how long validate() answers from the cache before trying again (default 5 minutes, or the server's Retry-After). */
  retryIntervalMs?: number;
  /** Per request (default 15 s). */
  timeoutMs?: number;
  /** Milliseconds since the epoch; for tests. */
  now?: () => number;
  /** For tests of the heartbeat loop. */
  timers?: Timers;
  random?: () => number;
}

// Replies are read field by field (str, num, time): nothing the network sends is trusted as typed.
interface ValidateReply extends ServerReply {
  token?: unknown;
  status?: unknown;
  machinesUsed?: unknown;
  maxMachines?: unknown;
  warning?: unknown;
}
interface ActivateReply extends ValidateReply {
  activationId?: unknown;
  variant?: unknown;
  message?: unknown;
  leaseExpiresAt?: unknown;
  nextHeartbeatSeconds?: unknown;
}

interface Timeline {
  /** When the server last vouched for this machine: the token's signed `iat`. */
  lastOnlineAt: Date;
  nextOnlineCheckAt: Date;
  graceEndsAt: Date;
}

/** Saves the state: `save` reports a failed write, `saveQuietly` does not. */
type Save = (state: StoredState) => Promise<void>;

/** A state's activation with its token's verified claims. */
interface Verified {
  activation: StoredActivation;
  claims: TokenClaims;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** A heartbeat interval: a zero or negative one would spin the loop. */
const interval = (v: unknown): number | null => {
  const n = num(v);
  return n !== null && n > 0 ? n : null;
};
const time = (v: unknown): number | undefined => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? undefined : t;
};
/** Licence keys compare without case, spaces or dashes, as the server normalises them. */
const sameKey = (a: string, b: string): boolean => a.toUpperCase().replace(/[^A-Z0-9]/g, '') === b.toUpperCase().replace(/[^A-Z0-9]/g, '');
const invalid = (error: SeatkeyError): ValidationResult => ({ valid: false, error });
/** The contract's default lease interval, until the server names one. */
const DEFAULT_HEARTBEAT_SECONDS = 300;
/** lastSeenAt is saved at most this often: often enough to catch a clock turned back, without a write per validate(). */
const LAST_SEEN_SAVE_MS = MINUTE;

export class SeatkeyClient {
  readonly productId: string;
  private readonly transport: Transport;
  private readonly storage: SeatkeyStorage;
  private readonly keys = new KeySet();
  private readonly keysPinned: boolean;
  private readonly issuer: string | undefined;
  private readonly settings: Required<Pick<SeatkeyClientOptions, 'onlineIntervalMs' | 'offlineGraceMs' | 'clockToleranceMs' | 'retryIntervalMs'>>;
  private readonly now: () => number;
  private readonly fingerprintSource: () => string | Promise<string>;
  private readonly serial = new Serial();
  private readonly heartbeats: HeartbeatLoop;
  private state: StoredState | undefined;
  private machine: Promise<{ fingerprint: string; claim: string }> | undefined;
  /** What `machine` resolved to, once it has: read without a wait on validate()'s offline path. */
  private machineKnown: { fingerprint: string; claim: string } | undefined;
  /** In-flight validations: [plain, online], shared by concurrent callers. */
  private readonly pending: [Promise<ValidationResult> | undefined, Promise<ValidationResult> | undefined] = [undefined, undefined];
  /** After a failed online check: no new attempt before this time, and the failure to report meanwhile. */
  private backoff: { until: number; error: SeatkeyError } | undefined;
  /**
   * This process's last successful online check (local ms). Only for scheduling the next one,
   * should a server hand back the token it was sent; it never extends the grace.
   */
  private checkedAt = 0;
  private savedLastSeenAt = 0;

  constructor(options: SeatkeyClientOptions) {
    if (!options.baseUrl) throw new TypeError('SeatkeyClient needs a baseUrl');
    if (!options.productId) throw new TypeError('SeatkeyClient needs a productId');
    this.productId = options.productId;
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      timeoutMs: options.timeoutMs ?? 15_000,
      publishableKey: options.publishableKey,
    });
    this.storage = options.storage ?? new FileStorage(defaultStoragePath(options.productId));
    this.keysPinned = options.publicKeys !== undefined;
    if (options.publicKeys) this.keys.add(options.publicKeys);
    this.issuer = options.issuer;
    this.settings = {
      onlineIntervalMs: options.onlineIntervalMs ?? DAY,
      offlineGraceMs: options.offlineGraceMs ?? 7 * DAY,
      clockToleranceMs: options.clockToleranceMs ?? 5 * MINUTE,
      retryIntervalMs: options.retryIntervalMs ?? 5 * MINUTE,
    };
    this.now = options.now ?? Date.now;
    const fp = options.fingerprint;
    this.fingerprintSource = typeof fp === 'string' ? () => fp : (fp ?? (() => defaultFingerprint(this.productId)));
    this.heartbeats = new HeartbeatLoop(() => this.heartbeat(), {
      timers: options.timers ?? { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
      random: options.random ?? Math.random,
      intervalMs: () => (this.state?.activation?.nextHeartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) * 1000,
    });
  }

  /** This machine's fingerprint, as sent to the server. */
  async fingerprint(): Promise<string> {
    return (await this.machineIds()).fingerprint;
  }

  /**
   * Activates this machine with `licenseKey` and caches the signed token. Idempotent on the
   * server: the same machine again takes no new seat. Rejects with a typed `SeatkeyError`
   * (`MachineLimitError`, `LicenseRevokedError`, `NetworkError`, …); a failure leaves any
   * existing activation as it was. `machineLabel` (or `hostname`, the same thing; default: the
   * OS hostname) names the machine to the creator; `metadata` is what the app says about it (OS,
   * app version, …: at most 20 keys, 2 KB as JSON), shown beside the activation.
   */
  activate(licenseKey: string, options: ActivateOptions = {}): Promise<ActivationResult> {
    return this.serial.run(async () => {
      const label = options.machineLabel ?? options.hostname ?? osHostname();
      const { verified, reply } = await this.activateOnline(licenseKey.trim(), label, this.save, options.metadata);
      return {
        license: licenseInfo(verified.activation, verified.claims),
        message: str(reply.message) ?? 'Activated',
        warning: str(reply.warning),
        nextHeartbeatSeconds: verified.activation.nextHeartbeatSeconds,
      };
    });
  }

  /**
   * Whether this machine is licensed. Never rejects for a licensing reason: the answer is
   * `{valid: true, source, license, …}` or `{valid: false, error}`. Offline first: the cached
   * token is verified locally, and the server is asked only when a check is due (daily by
   * default, or sooner as the token nears its end), when `online` is set, or when the clock
   * looks turned back. Concurrent calls share one check.
   */
  validate(options: { online?: boolean } = {}): Promise<ValidationResult> {
    const slot = options.online ? 1 : 0;
    // An online check in flight answers a plain call too.
    const shared = this.pending[1] ?? this.pending[slot];
    if (shared) return shared;
    const run = this.serial.run(() => this.validateNow(slot === 1)).finally(() => {
      if (this.pending[slot] === run) this.pending[slot] = undefined;
    });
    this.pending[slot] = run;
    return run;
  }

  /** Renews this machine's floating seat (its lease). Rejects with a typed `SeatkeyError`. */
  heartbeat(): Promise<HeartbeatResult> {
    return this.serial.run(async () => {
      const state = await this.load();
      const a = state.activation;
      if (!a) throw new NotActivatedError('not_activated', 'This machine is not activated');
      const { fingerprint } = await this.machineIds();
      let reply: ServerReply & { leaseExpiresAt?: unknown; nextHeartbeatSeconds?: unknown };
      try {
        reply = await this.transport.post('heartbeat', { licenseKey: a.licenseKey, machineFingerprint: fingerprint, token: a.token });
      } catch (e) {
        if (e instanceof SeatkeyError && e.definitive) await this.forget(e);
        throw e;
      }
      const now = this.now();
      const activation = { ...a, leaseExpiresAt: str(reply.leaseExpiresAt), nextHeartbeatSeconds: interval(reply.nextHeartbeatSeconds) ?? a.nextHeartbeatSeconds };
      await this.saveQuietly({ ...state, activation, clock: this.marksAfter(reply.serverTime, now, state) });
      return { leaseExpiresAt: activation.leaseExpiresAt === null ? null : new Date(activation.leaseExpiresAt), nextHeartbeatSeconds: activation.nextHeartbeatSeconds };
    });
  }

  /**
   * Sends heartbeats until stop(): one now, then at the interval the server names, jittered;
   * failures are retried with back-off, and a definitive refusal stops the loop (`onStopped`).
   * The loop's timer keeps a Node process alive until stop().
   */
  startHeartbeats(handlers: HeartbeatHandlers = {}): void {
    this.heartbeats.start(handlers);
  }

  /** Stops the heartbeat loop. */
  stop(): void {
    this.heartbeats.stop();
  }

  /**
   * Frees this machine's seat and forgets the activation. `licenseKey` deactivates this
   * machine for another key (support work when the cache is gone); `activationId` frees the
   * seat of another machine of the licence (a "my machines" screen), leaving this one's
   * activation alone unless the id is its own. Rejects with a typed `SeatkeyError` (a
   * `TransferLimitError` when the licence's transfers are used up); a definitive refusal (not
   * activated, revoked, …) of this machine's own activation still clears the cache.
   */
  deactivate(options: DeactivateOptions = {}): Promise<DeactivationResult> {
    return this.serial.run(async () => {
      const state = await this.load();
      const licenseKey = options.licenseKey?.trim() || state.activation?.licenseKey;
      if (!licenseKey) throw new NotActivatedError('not_activated', 'This machine has no activation to deactivate');
      const sameLicence = state.activation !== null && sameKey(state.activation.licenseKey, licenseKey);
      const activationId = options.activationId?.trim();
      const ours = sameLicence && (activationId === undefined || activationId === state.activation?.activationId);
      const machine = activationId !== undefined ? { activationId } : { machineFingerprint: (await this.machineIds()).fingerprint };
      let reply: ServerReply & { machinesUsed?: unknown; maxMachines?: unknown };
      try {
        reply = await this.transport.post('deactivate', { licenseKey, ...machine });
      } catch (e) {
        if (ours && e instanceof SeatkeyError && e.definitive) await this.forget(e);
        throw e;
      }
      if (ours) {
        this.heartbeats.stop();
        await this.save({ ...state, activation: null });
      }
      return { machinesUsed: num(reply.machinesUsed), maxMachines: num(reply.maxMachines) };
    });
  }

  /** The server's view of `licenseKey` for this product, without touching this machine's activation. */
  async verify(licenseKey: string): Promise<KeyStatus> {
    const r = await this.transport.post<ServerReply & Record<string, unknown>>('verify', { licenseKey: licenseKey.trim(), productId: this.productId });
    const expiresAt = time(r.expiresAt);
    const lt = str(r.licenseType);
    return {
      status: str(r.status) ?? 'unknown',
      licenseType: lt === 'per-machine' || lt === 'floating' || lt === 'site' ? lt : null,
      productId: str(r.productId),
      variant: str(r.variant),
      expiresAt: expiresAt === undefined ? null : new Date(expiresAt),
      machinesUsed: num(r.machinesUsed),
      maxMachines: num(r.maxMachines),
    };
  }

  /**
   * Whether this machine holds a seat on `licenseKey` (default: the cached licence), asked of the
   * server without a token (LVS's verify, Paperkey's `isActivated`): after a lost cache it tells
   * whether activate() would take a new seat. Reads only; the cached activation is left as it is.
   * A refused licence throws its error (LicenseRevokedError, DeviceBlockedError, …).
   */
  async isActivated(licenseKey?: string): Promise<MachineActivation> {
    const local = licenseKey === undefined ? await this.status() : undefined;
    const key = licenseKey?.trim() ?? (local?.activated ? local.license.licenseKey : undefined);
    if (!key) throw new NotActivatedError('not_activated', 'No licence key given and none cached on this machine');
    const { fingerprint } = await this.machineIds();
    const r = await this.transport.post<ServerReply & Record<string, unknown>>('validate', { licenseKey: key, machineFingerprint: fingerprint, productId: this.productId });
    return { activated: r.isActivated === true, activationId: str(r.activationId), status: str(r.status) ?? 'unknown' };
  }

  /**
   * What this machine holds, from the cache alone: no network and no signature check (use
   * validate() to decide whether the app is licensed).
   */
  async status(): Promise<LocalStatus> {
    const state = await this.serial.run(() => this.load());
    const a = state.activation;
    const claims = a ? decodeClaims(a.token) : undefined;
    if (!a || !claims) return { activated: false };
    return { activated: true, license: licenseInfo(a, claims), ...this.timeline({ activation: a, claims }, state) };
  }

  // ---- validation ----

  private async validateNow(forceOnline: boolean): Promise<ValidationResult> {
    const state = this.state ?? (await this.load());
    const activation = state.activation;
    if (!activation) return invalid(new NotActivatedError('not_activated', 'This machine is not activated'));
    const now = this.now();
    let claims: TokenClaims | undefined;
    /** The claims of a genuine token, expired or not. */
    let signed: TokenClaims | undefined;
    try {
      signed = claims = await this.verifyWithKeys(activation.token, state);
    } catch (e) {
      // No keys to judge the token with (none bundled, and the server out of reach): it can be
      // judged neither way yet, so the activation is kept.
      if (e instanceof SeatkeyError) return invalid(e);
      if (!(e instanceof TokenRejected)) throw e;
      if (e.problem !== 'expired') {
        const error = tokenError(e);
        await this.forget(error);
        return invalid(error);
      }
      signed = e.claims;
    }
    const turnedBack = rolledBack(state.clock, now, (signed?.iat ?? 0) * 1000, this.settings.clockToleranceMs);
    // The licence's signed expiry has passed: only the server can say it was renewed.
    const licenceOver = signed !== undefined && signed.lexp !== null && now + lag(state.clock) >= signed.lexp * 1000;
    const current = claims && { activation, claims };
    const timeline = current && this.timeline(current, state);
    if (timeline && !forceOnline && !turnedBack && now < timeline.nextOnlineCheckAt.getTime()) {
      await this.sawTime(now);
      return this.validResult('cached', current!, timeline, null, null);
    }

    let failure: SeatkeyError;
    if (!forceOnline && this.backoff && now < this.backoff.until) {
      failure = this.backoff.error;
    } else {
      try {
        const { verified, reply } = current ? await this.validateOnline(current) : await this.activateOnline(activation.licenseKey, activation.hostname, this.saveQuietly);
        return this.validResult('online', verified, this.timeline(verified, this.state!), null, str(reply.warning));
      } catch (e) {
        if (!(e instanceof SeatkeyError)) throw e;
        failure = e;
        if (failure.definitive) {
          await this.forget(failure);
          return invalid(failure);
        }
        this.backoff = { until: now + (failure.retryAfterMs ?? this.settings.retryIntervalMs), error: failure };
      }
    }
    if (turnedBack) return invalid(new ClockRollbackError('clock_rollback', "This machine's clock is behind the last time seen; Seatkey must be reached to validate", { cause: failure }));
    // Kept, not forgotten: a renewal shows as soon as the server can be reached.
    if (licenceOver) return invalid(new LicenseExpiredError('expired', `The licence has expired, and Seatkey could not be reached to learn of a renewal (${failure.message})`, { cause: failure }));
    if (!current || !timeline || now >= timeline.graceEndsAt.getTime()) {
      return invalid(new OfflineGraceExpiredError('offline_grace_expired', `Seatkey could not be reached and the offline grace period is over (${failure.message})`, { cause: failure }));
    }
    await this.sawTime(now);
    return this.validResult('grace', current, timeline, failure, null);
  }

  /** Asks the server about the cached token; commits and returns the fresh state. */
  private async validateOnline(current: Verified): Promise<{ verified: Verified; reply: ValidateReply }> {
    const { fingerprint } = await this.machineIds();
    const reply = await this.transport.post<ValidateReply>('validate', {
      token: current.activation.token,
      machineFingerprint: fingerprint,
      licenseKey: current.activation.licenseKey,
      productId: this.productId,
    });
    const verified = await this.commitReply(reply, current.activation, this.saveQuietly);
    return { verified, reply };
  }

  /** Activates (or, with an expired token, re-activates: no new seat) and commits. */
  private async activateOnline(licenseKey: string, hostname: string, save: Save, metadata?: Record<string, unknown>): Promise<{ verified: Verified; reply: ActivateReply }> {
    const { fingerprint } = await this.machineIds();
    const reply = await this.transport.post<ActivateReply>('activate', {
      licenseKey,
      machineFingerprint: fingerprint,
      hostname,
      productId: this.productId,
      ...(metadata === undefined ? {} : { metadata }),
    });
    const verified = await this.commitReply(reply, {
      licenseKey,
      token: '',
      activationId: str(reply.activationId) ?? '',
      status: 'active',
      variant: str(reply.variant),
      machinesUsed: null,
      maxMachines: null,
      hostname,
      leaseExpiresAt: str(reply.leaseExpiresAt),
      nextHeartbeatSeconds: interval(reply.nextHeartbeatSeconds),
    }, save);
    return { verified, reply };
  }

  /**
   * Verifies the token in a successful activate/validate reply, then stores it with the
   * reply's facts. A token that does not verify is the server's fault (or a forger's), never a
   * reason to drop the cache: it is a BadResponseError.
   */
  private async commitReply(reply: ValidateReply, base: StoredActivation, save: Save): Promise<Verified> {
    const state = await this.load();
    const now = this.now();
    const clock = this.marksAfter(reply.serverTime, now, state);
    if (typeof reply.token !== 'string') throw new BadResponseError('bad_response', 'The server sent no token');
    let claims: TokenClaims;
    try {
      claims = await this.verifyWithKeys(reply.token, { ...state, clock });
    } catch (e) {
      if (e instanceof TokenRejected) throw new BadResponseError('bad_response', `The server's token did not verify: ${e.message}`);
      throw e;
    }
    const activation: StoredActivation = {
      ...base,
      licenseKey: claims.sub,
      token: reply.token,
      status: str(reply.status) ?? base.status,
      machinesUsed: num(reply.machinesUsed) ?? base.machinesUsed,
      maxMachines: num(reply.maxMachines) ?? base.maxMachines,
    };
    await save({ ...this.state!, activation, clock });
    this.backoff = undefined;
    this.checkedAt = now;
    return { activation, claims };
  }

  /**
   * Verifies `token` offline at this machine's lag-corrected time; a `kid` we do not know sends
   * us to `publicKey` once (unless the keys are bundled), and a failure to get there rejects
   * with that network error.
   */
  private async verifyWithKeys(token: string, state: StoredState): Promise<TokenClaims> {
    const { claim } = this.machineKnown ?? (await this.machineIds());
    const expected = { productId: this.productId, fp: claim, now: this.now() + lag(state.clock), issuer: this.issuer };
    try {
      return verifyToken(token, this.keys, expected);
    } catch (e) {
      if (!(e instanceof TokenRejected) || e.problem !== 'unknown_key' || this.keysPinned) throw e;
    }
    await this.fetchKeys();
    return verifyToken(token, this.keys, expected);
  }

  /** Fetches the server's keys into memory: they are trusted by this process only, never saved. */
  private async fetchKeys(): Promise<void> {
    let jwks: { keys: unknown };
    try {
      jwks = await this.transport.get<{ keys: unknown }>('publicKey');
    } catch (e) {
      if (!(e instanceof SeatkeyError)) throw e;
      const { status, retryAfterMs } = e;
      throw seatkeyError(e.code, `No public keys to check the licence with: none are bundled, and fetching them failed (${e.message})`, {
        ...(status === undefined ? {} : { status }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        cause: e,
      });
    }
    this.keys.add(jwks.keys);
  }

  private validResult(source: ValidLicense['source'], v: Verified, timeline: Timeline, offlineError: SeatkeyError | null, warning: string | null): ValidLicense {
    return { valid: true, source, license: licenseInfo(v.activation, v.claims), ...timeline, offlineError, warning };
  }

  /**
   * How long the licence holds offline: the grace period past the token's signed `iat` (the
   * server's last confirmation), never past the token's expiry nor the licence's. And when the
   * next online check is due: the online interval after the last check, or half of the token's
   * remaining life if that is sooner (so a token is renewed well before it ends), and never
   * after the grace ends. All on this machine's clock, corrected by its known lag.
   */
  private timeline(v: Verified, state: StoredState): Timeline {
    const behind = lag(state.clock);
    const signedAt = v.claims.iat * 1000 - behind;
    const tokenEnd = v.claims.exp * 1000 - behind;
    const licenceEnd = v.claims.lexp === null ? Infinity : v.claims.lexp * 1000 - behind;
    const graceEndsAt = Math.min(signedAt + this.settings.offlineGraceMs, tokenEnd, licenceEnd);
    const checked = Math.max(signedAt, this.checkedAt);
    const due = checked + Math.min(this.settings.onlineIntervalMs, Math.max(0, (tokenEnd - checked) / 2));
    return { lastOnlineAt: new Date(signedAt), nextOnlineCheckAt: new Date(Math.min(due, graceEndsAt)), graceEndsAt: new Date(graceEndsAt) };
  }

  // ---- state ----

  /** The state, read from storage on first use. A damaged or unreadable record is discarded. */
  private async load(): Promise<StoredState> {
    if (this.state) return this.state;
    let text: string | null = null;
    try {
      text = await this.storage.read();
    } catch {
      // Unreadable (permissions, a directory in the way): start empty; activate() will report
      // the storage error when it tries to write.
    }
    const parsed = text === null ? undefined : parseState(text);
    if (text !== null && !parsed) await this.storage.clear().catch(() => undefined);
    const state = parsed ?? emptyState();
    this.adopt(state);
    return state;
  }

  /** Writes the state, then adopts it: a failed write rejects with StorageError and changes nothing. */
  private readonly save: Save = async (state) => {
    try {
      await this.storage.write(JSON.stringify(state));
    } catch (e) {
      throw new StorageError('storage', `Could not save the activation: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    this.adopt(state);
  };

  /**
   * Adopts the state, then tries to write it: for where a failed write must not fail the
   * caller (validate(), heartbeats). The state stays right in memory for this run, and the
   * next successful write catches the file up.
   */
  private readonly saveQuietly: Save = async (state) => {
    this.adopt(state);
    await this.storage.write(JSON.stringify(state)).catch(() => undefined);
  };

  private adopt(state: StoredState): void {
    this.state = state;
    this.savedLastSeenAt = state.clock?.lastSeenAt ?? 0;
  }

  /** Drops the activation after a definitive refusal, and stops heartbeats with that reason. */
  private async forget(reason: SeatkeyError): Promise<void> {
    this.heartbeats.halt(reason);
    this.checkedAt = 0;
    await this.saveQuietly({ ...(await this.load()), activation: null });
  }

  /** Clock marks after a server reply stamped `serverTime` (unchanged if it is not). */
  private marksAfter(serverTime: string | undefined, now: number, state: StoredState): StoredState['clock'] {
    const t = time(serverTime);
    return t === undefined ? state.clock : afterReply(t, now);
  }

  /** Moves lastSeenAt forward, saving it now and then. */
  private async sawTime(now: number): Promise<void> {
    const state = this.state!;
    const clock = state.clock;
    if (!clock || now <= clock.lastSeenAt) return;
    clock.lastSeenAt = now;
    if (now - this.savedLastSeenAt >= LAST_SEEN_SAVE_MS) await this.saveQuietly(state);
  }

  // ---- helpers ----

  private machineIds(): Promise<{ fingerprint: string; claim: string }> {
    if (!this.machine) {
      const machine = Promise.resolve()
        .then(this.fingerprintSource)
        .then((fingerprint) => (this.machineKnown = { fingerprint, claim: fingerprintClaim(fingerprint) }));
      // A failure is not cached: the next call tries again.
      machine.catch(() => {
        if (this.machine === machine) this.machine = undefined;
      });
      this.machine = machine;
    }
    return this.machine;
  }
}

function tokenError(e: TokenRejected): SeatkeyError {
  const message = `The cached activation is not valid: ${e.message}`;
  if (e.problem === 'fingerprint_mismatch') return new FingerprintMismatchError('fingerprint_mismatch', message);
  if (e.problem === 'wrong_product') return new WrongProductError('wrong_product', message);
  return new InvalidTokenError('invalid_token', message);
}

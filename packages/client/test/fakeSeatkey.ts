// A small Seatkey on a local port for the client's tests and benchmark: the six client
// endpoints with the contract's shapes and codes, real Ed25519 tokens signed with jose, and
// knobs to take it offline, make it fail, rotate its key or move its clock.
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, SignJWT, type JWK } from 'jose';

type LicenseType = 'per-machine' | 'floating' | 'site';

export interface FakeLicense {
  key: string;
  productId: string;
  licenseType: LicenseType;
  status: 'active' | 'degraded' | 'suspended' | 'revoked';
  maxMachines: number;
  /** Unix seconds, or null. */
  expiresAt: number | null;
  /** fingerprint → activation id */
  activations: Map<string, string>;
  /** Fingerprints the creator blocked. */
  blocked?: Set<string>;
  /** Seat-freeing deactivations allowed (the server's per 30 days; here, ever); absent: no limit. */
  maxTransfers?: number;
  transfers?: number;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: JWK;
}

/** A canned answer for the next call(s) to an endpoint. */
export interface Failure {
  status: number;
  code?: string;
  /** Sent as Retry-After (seconds). */
  retryAfter?: number;
  /** A raw body instead of the contract's error JSON. */
  raw?: string;
}

const DAY_S = 86_400;
const fpClaim = (fp: string) => createHash('sha256').update(fp, 'utf8').digest('base64url');

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const kid = randomBytes(6).toString('hex');
  return { kid, privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'EdDSA', use: 'sig' } };
}

export class FakeSeatkey {
  readonly licenses = new Map<string, FakeLicense>();
  /** Requests per endpoint. */
  readonly calls: Record<string, number> = {};
  /** The last body each endpoint received. */
  readonly lastBody: Record<string, Record<string, unknown>> = {};
  /** Drop every connection, as if the server were unreachable. */
  offline = false;
  /** Hold every reply this long (ms). */
  delayMs = 0;
  tokenTtlSeconds = 30 * DAY_S;
  heartbeatSeconds = 300;
  /** The `iss` claim of the tokens it signs; null signs none, as servers before it did. */
  issuer: string | null = 'demo-seatkey';
  /** Whether its tokens carry `aud` (the product). */
  audience = true;
  /** More entries for its JWKS, as a misconfigured server might publish. */
  extraJwks: Record<string, unknown>[] = [];
  /** Leave its own keys out of the JWKS. */
  hideKeys = false;
  /** The server's clock (ms). */
  now: () => number = Date.now;
  private keys: SigningKey[] = [newKey()];
  private readonly failures = new Map<string, Failure[]>();
  private baseUrlValue = '';
  private readonly server = createServer((req, res) => void this.handle(req, res));

  static async start(): Promise<FakeSeatkey> {
    const fake = new FakeSeatkey();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrlValue = `http://127.0.0.1:${port}/demo-seatkey/us-central1`;
    return fake;
  }

  get baseUrl(): string {
    return this.baseUrlValue;
  }

  /** The public keys as the publicKey endpoint serves them. */
  get jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => k.jwk) };
  }

  get currentKid(): string {
    return this.keys[0]!.kid;
  }

  /** The key it signs with now (tests that build tokens by hand sign with it). */
  get currentKey(): SigningKey {
    return this.keys[0]!;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  addLicense(fields: Partial<FakeLicense> & { productId: string }): FakeLicense {
    const key = fields.key ?? `TEST-${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}-ZZ`;
    const license: FakeLicense = { licenseType: 'per-machine', status: 'active', maxMachines: 2, expiresAt: null, activations: new Map(), ...fields, key };
    this.licenses.set(key, license);
    return license;
  }

  /** The next `times` calls to `endpoint` get `failure` instead of an answer. */
  fail(endpoint: string, failure: Failure, times = 1): void {
    this.failures.set(endpoint, [...(this.failures.get(endpoint) ?? []), ...Array<Failure>(times).fill(failure)]);
  }

  /** Signs with a fresh key from now on; the old one stays in the JWKS unless `retireOld`. */
  rotateKey(retireOld = false): void {
    this.keys = retireOld ? [newKey()] : [newKey(), ...this.keys];
  }

  /** A token as the server would issue it (tests also use it to forge and tamper). */
  async sign(
    license: FakeLicense,
    fingerprint: string,
    options: { iat?: number; ttlSeconds?: number; key?: SigningKey; claims?: Record<string, unknown> } = {},
  ): Promise<string> {
    const iat = options.iat ?? Math.floor(this.now() / 1000);
    const key = options.key ?? this.keys[0]!;
    return new SignJWT({
      fp: fpClaim(fingerprint),
      pid: license.productId,
      lt: license.licenseType,
      lexp: license.expiresAt,
      aid: license.activations.get(fingerprint) ?? 'act_none',
      ...(this.audience ? { aud: license.productId } : {}),
      ...(this.issuer === null ? {} : { iss: this.issuer }),
      ...options.claims,
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setSubject(license.key)
      .setIssuedAt(iat)
      .setExpirationTime(iat + (options.ttlSeconds ?? this.tokenTtlSeconds))
      .sign(key.privateKey);
  }

  /** A key this server does not publish, for forged tokens. */
  static strangerKey(): SigningKey {
    return newKey();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const endpoint = (req.url ?? '').split('?')[0]!.split('/').pop()!;
    this.calls[endpoint] = (this.calls[endpoint] ?? 0) + 1;
    if (this.offline) {
      req.socket.destroy();
      return;
    }
    let text = '';
    for await (const chunk of req) text += chunk;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const failure = this.failures.get(endpoint)?.shift();
    const valid = endpoint === 'validate' || endpoint === 'verify';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const refuse = (status: number, code: string, error: string, headers?: Record<string, string>) =>
      send(status, { [valid ? 'valid' : 'success']: false, error, code }, headers);
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
      if (failure.raw !== undefined) {
        res.writeHead(failure.status, { 'content-type': 'text/html', ...headers });
        res.end(failure.raw);
      } else refuse(failure.status, failure.code ?? 'internal', `Simulated ${failure.code ?? 'failure'}`, headers);
      return;
    }
    if (endpoint === 'publicKey') return send(200, { keys: [...(this.hideKeys ? [] : this.jwks.keys), ...this.extraJwks] }, { 'cache-control': 'public, max-age=300' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text);
    } catch {
      return refuse(400, 'invalid_request', 'Malformed JSON');
    }
    this.lastBody[endpoint] = body;
    const serverTime = new Date(this.now()).toISOString();
    const ok = (fields: Record<string, unknown>) => send(200, { [valid ? 'valid' : 'success']: true, ...fields, serverTime });

    const license = typeof body.licenseKey === 'string' ? this.licenses.get(body.licenseKey.trim().toUpperCase()) : undefined;
    const fp = typeof body.machineFingerprint === 'string' ? body.machineFingerprint : undefined;
    const stateRefusal = (l: FakeLicense): boolean => {
      if (l.status === 'revoked' || l.status === 'suspended') {
        refuse(403, l.status, `This licence is ${l.status}`);
        return true;
      }
      if (l.expiresAt !== null && l.expiresAt * 1000 <= this.now()) {
        refuse(403, 'expired', 'This licence has expired');
        return true;
      }
      return false;
    };
    const used = (l: FakeLicense) => ({ machinesUsed: l.activations.size, maxMachines: l.maxMachines });
    const lease = (l: FakeLicense) =>
      l.licenseType === 'floating' ? { leaseExpiresAt: new Date(this.now() + this.heartbeatSeconds * 1000).toISOString(), nextHeartbeatSeconds: this.heartbeatSeconds } : {};

    switch (endpoint) {
      case 'activate': {
        if (!fp || typeof body.productId !== 'string') return refuse(400, 'invalid_request', 'machineFingerprint and productId are required');
        if (!license) return refuse(404, 'not_found', 'Licence not found');
        if (license.productId !== body.productId) return refuse(403, 'wrong_product', 'This licence is for another product');
        if (stateRefusal(license)) return;
        if (license.blocked?.has(fp)) return refuse(403, 'device_blocked', 'This device is blocked on this licence');
        if (!license.activations.has(fp)) {
          if (license.maxMachines !== -1 && license.activations.size >= license.maxMachines) {
            return refuse(403, 'machine_limit', `Machine limit reached (${license.maxMachines}). Deactivate another machine first.`);
          }
          license.activations.set(fp, `act_${randomBytes(4).toString('hex')}`);
        }
        const token = await this.sign(license, fp);
        return ok({
          token,
          expiresAt: new Date((Math.floor(this.now() / 1000) + this.tokenTtlSeconds) * 1000).toISOString(),
          licenseExpiresAt: license.expiresAt === null ? null : new Date(license.expiresAt * 1000).toISOString(),
          ...used(license),
          status: license.status,
          variant: null,
          activationId: license.activations.get(fp),
          message: 'Activated',
          licenseType: license.licenseType,
          ...lease(license),
          ...(license.status === 'degraded' ? { warning: 'This licence is degraded' } : {}),
        });
      }
      case 'validate': {
        if (typeof body.token !== 'string' || !fp) return refuse(400, 'invalid_request', 'token and machineFingerprint are required');
        let claims: Record<string, unknown>;
        try {
          ({ payload: claims } = await jwtVerify(body.token, async (h) => this.keys.find((k) => k.kid === h.kid)?.jwk ?? {}, { currentDate: new Date(this.now()) }));
        } catch {
          return refuse(403, 'invalid_token', 'Invalid or expired token');
        }
        if (claims.fp !== fpClaim(fp)) return refuse(403, 'fingerprint_mismatch', 'The token belongs to another machine');
        const l = this.licenses.get(String(claims.sub));
        if (!l) return refuse(404, 'not_found', 'Licence not found');
        if (stateRefusal(l)) return;
        if (l.blocked?.has(fp)) return refuse(403, 'device_blocked', 'This device is blocked on this licence');
        if (!l.activations.has(fp)) return refuse(403, 'not_activated', 'This machine is not activated');
        if (typeof body.productId === 'string' && body.productId !== l.productId) return refuse(403, 'wrong_product', 'This licence is for another product');
        // A fresh token on every success, as the contract says: its iat is the signed "seen online".
        const token = await this.sign(l, fp);
        return ok({
          token,
          refreshed: true,
          expiresAt: new Date((Math.floor(this.now() / 1000) + this.tokenTtlSeconds) * 1000).toISOString(),
          status: l.status,
          licenseExpiresAt: l.expiresAt === null ? null : new Date(l.expiresAt * 1000).toISOString(),
          licenseType: l.licenseType,
          productId: l.productId,
          ...used(l),
        });
      }
      case 'verify': {
        if (!license) return refuse(404, 'not_found', 'Licence not found');
        if (typeof body.productId === 'string' && body.productId !== license.productId) return refuse(403, 'wrong_product', 'This licence is for another product');
        if (stateRefusal(license)) return;
        return ok({
          status: license.status,
          licenseType: license.licenseType,
          productId: license.productId,
          variant: null,
          expiresAt: license.expiresAt === null ? null : new Date(license.expiresAt * 1000).toISOString(),
          ...used(license),
        });
      }
      case 'deactivate': {
        const byId = typeof body.activationId === 'string' ? body.activationId : undefined;
        if (!license || (!fp && !byId)) return refuse(404, 'not_found', 'Licence not found');
        const machine = byId === undefined ? fp : [...license.activations].find(([, id]) => id === byId)?.[0];
        if (machine === undefined || !license.activations.has(machine)) return refuse(403, 'not_activated', 'This machine is not activated');
        if (license.maxTransfers !== undefined && (license.transfers ?? 0) >= license.maxTransfers) {
          return refuse(429, 'transfer_limit', `Transfer limit reached: this licence allows ${license.maxTransfers} machine transfer(s) per 30 days`, { 'Retry-After': String(7 * DAY_S) });
        }
        license.activations.delete(machine);
        license.transfers = (license.transfers ?? 0) + 1;
        return ok(used(license));
      }
      case 'heartbeat': {
        if (!license || !fp) return refuse(404, 'not_found', 'Licence not found');
        if (stateRefusal(license)) return;
        if (!license.activations.has(fp)) return refuse(403, 'not_activated', 'This machine is not activated');
        return ok({ leaseExpiresAt: new Date(this.now() + this.heartbeatSeconds * 1000).toISOString(), nextHeartbeatSeconds: this.heartbeatSeconds });
      }
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end(`Function ${endpoint} does not exist`);
    }
  }
}

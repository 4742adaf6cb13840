// Reading a request: method, size, the JSON object it carries, and who sent it.
import type { Request } from 'firebase-functions/v2/https';
import ipaddr from 'ipaddr.js';
import { CLIENT_IP_HEADER, MAX_BODY_BYTES, inEmulator } from '../config.js';
import { SeatkeyError, invalidRequest } from '../domain/errors.js';

export type Method = 'GET' | 'POST';

export function checkMethod(req: Request, allowed: readonly Method[]): Method {
  const method = req.method.toUpperCase();
  if (!(allowed as readonly string[]).includes(method)) {
    throw new SeatkeyError('method_not_allowed', `Method ${method} not allowed; use ${allowed.join(' or ')}`, {
      Allow: allowed.join(', '),
    });
  }
  return method as Method;
}

export function checkSize(req: Request): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  const actual = req.rawBody?.length ?? 0;
  if (declared > MAX_BODY_BYTES || actual > MAX_BODY_BYTES) {
    throw new SeatkeyError('payload_too_large', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

/**
 * The request's fields as one plain object: the query string for GET, the JSON body for POST.
 * The runtime has already parsed `application/json`; any other content type is parsed from the
 * raw bytes, so a form or text body is held to the same JSON rules.
 */
export function readFields(req: Request, method: Method): Record<string, unknown> {
  if (method === 'GET') return { ...(req.query as Record<string, unknown>) };
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  let body: unknown = req.body;
  if (!contentType.startsWith('application/json')) {
    const raw = req.rawBody?.toString('utf8') ?? (typeof req.body === 'string' ? req.body : '');
    if (raw.trim() === '') return {};
    try {
      body = JSON.parse(raw);
    } catch {
      throw invalidRequest('Request body is not valid JSON');
    }
  }
  if (body === undefined || body === '' || (isPlainObject(body) && Object.keys(body).length === 0)) return {};
  if (!isPlainObject(body)) throw invalidRequest('Request body must be a JSON object');
  return body;
}

const header = (req: Request, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export { header };

/**
 * The caller's address as the per-IP limit counts it. Where it comes from:
 *  - `trustedHeader` (the CLIENT_IP_HEADER parameter), when set and present: the header a proxy in
 *    front writes with the client's address (behind Firebase Hosting, `fastly-client-ip`);
 *  - else the right-most `X-Forwarded-For` entry, which is the one Google's front end wrote (Cloud
 *    Run, which serves 2nd-gen functions, replaces the header with the address it saw; a proxy
 *    that appends puts its view of the client last). Entries to its left are client-controlled
 *    and ignored;
 *  - else the socket's peer.
 * An IPv6 client is counted per /64, the smallest network one subscriber is normally given, so
 * walking through the addresses of its own prefix gains it nothing.
 */
export function clientIp(req: Request, trustedHeader = CLIENT_IP_HEADER.value()): string {
  const named = trustedHeader ? header(req, trustedHeader.trim().toLowerCase())?.trim() : undefined;
  const forwarded = header(req, 'x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean).pop();
  return limitSubject(named || forwarded || req.socket?.remoteAddress || req.ip || 'unknown');
}

/** An address as rate limits count it: IPv4 as it is (also when IPv4-mapped), IPv6 as its /64. */
export function limitSubject(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return ip.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${ip.toNormalizedString()}/64`).toRFC5952String()}/64`;
}

/**
 * The clock the rate limiter places a request's calls in windows by: the wall clock, except in
 * the emulator, where a test may send `X-Seatkey-Clock` (Unix milliseconds) to hold a burst in
 * one window of its choosing however long the burst takes. Never honoured when deployed.
 */
export function limiterClock(req: Request): () => number {
  const given = inEmulator() ? Number(header(req, 'x-seatkey-clock')) : NaN;
  return Number.isSafeInteger(given) && given > 0 ? () => given : Date.now;
}

/** A non-empty string field or header, else undefined. */
export const asString = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * The publishable key a shipped app sends on client calls: `X-Publishable-Key`, body field
 * `publishableKey`, or, as Paperkey's clients send it, `Authorization: Bearer pk_…` or
 * `X-API-Key: pk_…`.
 */
export function presentedPublishableKey(req: Request, fields: Record<string, unknown>): string | undefined {
  const bearer = header(req, 'authorization')?.match(/^Bearer\s+(pk_\S+)\s*$/i)?.[1];
  const apiKeyHeader = asString(header(req, 'x-api-key'));
  return asString(header(req, 'x-publishable-key')) ?? asString(fields.publishableKey) ?? bearer ?? (apiKeyHeader?.startsWith('pk_') ? apiKeyHeader : undefined);
}

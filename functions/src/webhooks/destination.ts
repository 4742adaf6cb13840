// Where a creator's webhook may point, and the one way Seatkey posts to it.
//
// A webhook URL must be https and every address its host resolves to must be public, so a
// creator cannot aim Seatkey at the metadata server, localhost or a private network. The check
// runs when the URL is set and again, on the addresses actually connected to, at every delivery
// (a DNS answer can change in between). Redirects are not followed. Only in the Functions
// emulator may a URL be plain http to a loopback address, for tests.
import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { inEmulator } from '../config.js';
import { isLoopbackAddress, isPublicAddress } from '../domain/address.js';
import { invalidRequest } from '../domain/errors.js';

const allowed = (ip: string): boolean => isPublicAddress(ip) || (inEmulator() && isLoopbackAddress(ip));

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => lookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
}

/** The URL, if a webhook may use it; otherwise 400 with the reason. */
export async function checkDestination(raw: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidRequest('Invalid request: url must be an absolute URL');
  }
  if (url.username || url.password) throw invalidRequest('Invalid request: url must not contain credentials');
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await resolveAll(host)).map((a) => a.address);
  } catch {
    throw invalidRequest(`Invalid request: url host ${host} does not resolve`);
  }
  const loopbackTest = inEmulator() && addresses.every(isLoopbackAddress);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackTest)) throw invalidRequest('Invalid request: url must use https');
  if (addresses.length === 0 || !addresses.every(allowed)) {
    throw invalidRequest('Invalid request: url must not point to a private, loopback or link-local address');
  }
  return url;
}

/** dns.lookup that refuses to hand the connection any address a webhook may not reach. */
function guardedLookup(hostname: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const bad = addresses.find((a) => !allowed(a.address));
    if (bad || addresses.length === 0) return callback(Object.assign(new Error(`${hostname} resolves to a blocked address`), { code: 'EBLOCKED' }), '');
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}

export interface PostOutcome {
  status: number | null;
  error: string | null;
}

/**
 * POSTs `body` and settles on the receiver's status line, within `timeoutMs` for the whole
 * attempt. Never throws: a refused connection, a blocked address or a timeout is an outcome.
 */
export async function postJson(rawUrl: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostOutcome> {
  let url: URL;
  try {
    url = await checkDestination(rawUrl);
  } catch (e) {
    return { status: null, error: e instanceof Error ? e.message : String(e) };
  }
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
      lookup: guardedLookup as never,
      agent: false,
      signal: AbortSignal.timeout(timeoutMs),
    });
    req.once('response', (res) => {
      // The status is all a delivery needs; the body is drained and dropped.
      res.on('error', () => undefined).resume();
      resolve({ status: res.statusCode ?? null, error: null });
    });
    // `on`, not `once`: an abort after the response must not become an unhandled error.
    req.on('error', (e: NodeJS.ErrnoException) => {
      const timedOut = e.name === 'AbortError' || e.name === 'TimeoutError';
      resolve({ status: null, error: timedOut ? `no response within ${timeoutMs} ms` : `${e.code ?? e.name}: ${e.message}` });
    });
    req.end(body);
  });
}

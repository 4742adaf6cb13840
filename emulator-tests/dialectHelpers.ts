// Shared by the dialect conformance suites (emulator-tests/dialect-*.test.ts): a request at another
// system's documented path, through the Hosting emulator (its rewrites in firebase.json), as a
// client written for that system sends it.
import { randomBytes } from 'node:crypto';
import { randomIp, send, type Reply } from './helpers.ts';

const consoleUrl = process.env.SEATKEY_CONSOLE_URL;
if (!consoleUrl) throw new Error('SEATKEY_CONSOLE_URL is not set: run the emulator tests through `npm test`');
/** The Hosting emulator: the creator's own domain, where each system's paths are rewritten to its functions. */
export const HOSTING_URL = consoleUrl;

export interface DialectCall {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Send this text as the body instead of JSON-encoding the body. */
  raw?: string;
  ip?: string;
}

/** A request to `base` + `path` (default: the Hosting emulator), the body JSON-encoded. */
export async function at<T = any>(path: string, body?: unknown, opts: DialectCall & { base?: string } = {}): Promise<Reply<T>> {
  const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
  const url = new URL(`${opts.base ?? HOSTING_URL}${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { 'x-forwarded-for': opts.ip ?? randomIp(), ...opts.headers };
  const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  return send<T>(url, { method, headers, body: payload });
}

/** A key in an old system's format with random middle groups: `PREFIX-XXXX-XXXX-XXXX-NN`. */
export function foreignKey(prefix: string, tail = '42'): string {
  const group = () => randomBytes(2).toString('hex').toUpperCase();
  return `${prefix}-${group()}-${group()}-${group()}-${tail}`;
}

/** ISO 8601 with milliseconds and Z, as every system documented here writes times. */
export const isIsoTime = (v: unknown): boolean => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v);

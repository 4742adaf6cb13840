// The wire: one JSON POST (or GET) to `${baseUrl}/${endpoint}`, and the contract's error bodies
// turned into typed errors. Nothing here knows about licences, and nothing here logs.
import { BadResponseError, isServerErrorCode, NetworkError, seatkeyError, type SeatkeyError } from './errors.js';

export type FetchLike = (input: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<Response>;

export interface TransportOptions {
  baseUrl: string;
  fetch: FetchLike;
  timeoutMs: number;
  /** The product's publishable key (`pk_live_…`), sent on every call as `X-Publishable-Key`. */
  publishableKey?: string | undefined;
}

/** Every endpoint's replies carry the server's clock, for the clock-rollback check. */
export interface ServerReply {
  serverTime?: string;
}

export class Transport {
  private readonly baseUrl: string;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** POSTs `body` as JSON; resolves with the success body or rejects with a `SeatkeyError`. */
  post<T extends ServerReply>(endpoint: string, body: Record<string, unknown>): Promise<T> {
    return this.request<T>(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  }

  get<T>(endpoint: string): Promise<T> {
    return this.request<T>(endpoint, { method: 'GET', headers: { accept: 'application/json' } });
  }

  private async request<T>(endpoint: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<T> {
    const url = `${this.baseUrl}/${endpoint}`;
    if (this.options.publishableKey) init = { ...init, headers: { ...init.headers, 'x-publishable-key': this.options.publishableKey } };
    let res: Response;
    let text: string;
    try {
      res = await this.options.fetch(url, { ...init, signal: AbortSignal.timeout(this.options.timeoutMs) });
      text = await res.text();
    } catch (e) {
      throw new NetworkError('network', `Could not reach Seatkey at ${url}: ${describe(e)}`, { cause: e });
    }
    const json = parseJson(text);
    if (res.ok && json && (json.success === true || json.valid === true || Array.isArray(json.keys))) return json as T;
    throw errorFromReply(endpoint, res, json);
  }
}

function errorFromReply(endpoint: string, res: Response, json: Record<string, unknown> | undefined): SeatkeyError {
  const status = res.status;
  const retryAfterMs = retryAfter(res.headers.get('retry-after'));
  const options = { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  const message = typeof json?.error === 'string' && json.error ? json.error : `${endpoint} answered HTTP ${status}`;
  if (json && isServerErrorCode(json.code)) return seatkeyError(json.code, message, options);
  // No contract body (a proxy's error page, a captive portal): judge by the status alone.
  if (status === 429) return seatkeyError('rate_limited', message, options);
  if (status === 503) return seatkeyError('busy', message, options);
  if (status >= 500) return seatkeyError('internal', message, options);
  return new BadResponseError('bad_response', `${endpoint} gave an unexpected answer (HTTP ${status})`, options);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds (the contract's form) or as an HTTP date, in milliseconds. */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === 'TimeoutError') return 'timed out';
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message ? cause.message : e.message;
  }
  return String(e);
}

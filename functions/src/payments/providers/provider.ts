// What a payment provider's file provides (payments/providers/<name>.ts): `verify` checks the
// signature on the raw body, before anything is parsed or written, and returns the payload;
// `translate` says what the event means (domain/paymentConnection.ts). The shared apply step
// (apply.ts) does the rest, so a sixth provider is one more file like these and its export line.
import { invalidRequest, unauthorized } from '../../domain/errors.js';
import type { PaymentConnection, ProviderEvent } from '../../domain/paymentConnection.js';

export interface Delivery {
  raw: Buffer;
  /** A request header, lower-case name. */
  header(name: string): string | undefined;
  /** A query-string parameter. */
  query(name: string): string | undefined;
  connection: PaymentConnection;
  /** The connection's signing secret (or, for Gumroad, its URL token). */
  secret: string;
  now: Date;
}

export interface Translated {
  /** The provider's event type, as it names it. */
  type: string;
  /** The provider's id of this event or of what it is about, for the event log. */
  id: string | null;
  events: ProviderEvent[];
}

export interface Provider {
  /** The payload if the signature holds; else throws 401 (nothing has been read or written). */
  verify(delivery: Delivery): Promise<unknown>;
  translate(payload: unknown): Translated;
}

/** How far a signed timestamp may be from now: providers' own default, and room for retries' queues. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export const badSignature = () => unauthorized('Invalid webhook signature');

/** The raw body as JSON, after its signature was checked. */
export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw invalidRequest('Request body is not valid JSON');
  }
}

// Reading untrusted payloads: every access is checked, nothing is assumed about the shape.
export type Json = Record<string, unknown>;
export const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A non-empty string, or a number as a string (providers' ids are either); else null. */
export const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
/** Ids that are present, in order, without repeats. */
export const ids = (...values: unknown[]): string[] => [...new Set(values.map(str).filter((s): s is string => s !== null))];
/** A provider's boolean, which form-encoded pings send as `true`/`false`. */
export const yes = (v: unknown): boolean => v === true || v === 'true';

// Calls to Seatkey's admin functions, through Hosting's same-origin rewrites (/api/<name>), with
// the signed-in person's Firebase ID token. Errors carry the API's own message and code.
import { idToken } from './firebase';
import type { paths } from '../../packages/admin/src/schema';

/** The endpoints the OpenAPI document lists (`@seatkey/admin`'s generated types): a misspelt name fails to compile. */
export type Endpoint = keyof paths extends `/${infer Name}` ? (Name extends `${string}/${string}` ? never : Name) : never;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Calls `/api/<name>` with the ID token `token` gives (the console's person by default; the buyer
 * portal passes its own session's).
 */
export async function api<T = Record<string, any>>(name: Endpoint, body: Record<string, unknown> = {}, token: (forceRefresh?: boolean) => Promise<string | undefined> = idToken): Promise<T> {
  const send = async (token: string | undefined) =>
    fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  let res: Response;
  try {
    res = await send(await token());
    // A token revoked or expired between refreshes: try once more with a fresh one.
    if (res.status === 401) res = await send(await token(true));
  } catch {
    throw new ApiError('Seatkey could not be reached. Check your connection and try again.', 'network', 0);
  }
  const json = (await res.json().catch(() => undefined)) as ({ error?: string; code?: string } & T) | undefined;
  if (!res.ok || json === undefined) {
    throw new ApiError(json?.error ?? `Seatkey answered ${res.status}`, json?.code ?? 'internal', res.status);
  }
  return json;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

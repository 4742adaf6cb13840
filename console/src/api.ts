// Calls to Seatkey's admin functions, through Hosting's same-origin rewrites (/api/<name>), with
// the signed-in person's Firebase ID token, by `@seatkey/admin`'s client (which retries a 401 once
// with a fresh token). Errors carry the API's own message and code.
import { idToken } from './firebase';
import { createAdminClient, type AdminClient } from '../../packages/admin/src/index';
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

type TokenSource = (forceRefresh?: boolean) => Promise<string | undefined>;

/** One client per token source: the console's person, or the buyer portal's session. */
const clients = new WeakMap<TokenSource, AdminClient>();
function clientFor(token: TokenSource): AdminClient {
  let client = clients.get(token);
  if (!client) clients.set(token, (client = createAdminClient({ baseUrl: '/api', idToken: token })));
  return client;
}

/** A reply body read as JSON, or undefined when it is none. */
function parsed(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The success reply the OpenAPI document gives `name` (POST, 200). */
export type Reply<N extends Endpoint> = `/${N}` extends keyof paths
  ? paths[`/${N}`] extends { post: { responses: { 200: { content: { 'application/json': infer R } } } } }
    ? R
    : Record<string, any>
  : Record<string, any>;

/**
 * Calls `/api/<name>` with the ID token `token` gives (the console's person by default; the buyer
 * portal passes its own session's). The reply is typed as the OpenAPI document describes it, unless
 * the caller names a type `T` of its own.
 */
export async function api<T = undefined, N extends Endpoint = Endpoint>(
  name: N,
  body: Record<string, unknown> = {},
  token: TokenSource = idToken,
): Promise<T extends undefined ? Reply<N> : T> {
  let reply: { data?: unknown; error?: unknown; response: Response };
  try {
    // Every endpoint the console calls takes POST with a JSON body; the name alone picks the path.
    reply = await clientFor(token).POST(`/${name}` as '/getAccount', { body: body as never, parseAs: 'text' });
  } catch {
    throw new ApiError('Seatkey could not be reached. Check your connection and try again.', 'network', 0);
  }
  const { response } = reply;
  const json = parsed(response.ok ? reply.data : reply.error) as ({ error?: string; code?: string } & (T extends undefined ? Reply<N> : T)) | undefined;
  if (!response.ok || json === undefined) {
    throw new ApiError(json?.error ?? `Seatkey answered ${response.status}`, json?.code ?? 'internal', response.status);
  }
  return json;
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// @seatkey/admin: a typed client for Seatkey's admin API. The types are generated from the
// OpenAPI document (schema.ts, by scripts/openapi.mjs with openapi-typescript), so every path,
// request body, query and reply is checked by TypeScript; openapi-fetch makes the calls.
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

export interface AdminClientOptions extends ClientOptions {
  /** Where the functions are: `https://<site>.web.app/api`, a function URL's base, or the emulator's. */
  baseUrl: string;
  /** A creator's API key (sk_live_… or sk_test_…), sent as X-API-Key. */
  apiKey?: string;
  /** The super admin's secret, sent as X-Admin-Secret (never in a URL). */
  adminSecret?: string;
  /**
   * A person's Firebase ID token, or how to get one (the console's). A function is asked again with
   * `forceRefresh: true` when the API answers 401, and the call is retried once with that token
   * (a token revoked or expired between refreshes).
   */
  idToken?: string | ((forceRefresh?: boolean) => Promise<string | undefined>);
}

export type AdminClient = Client<paths>;

/** A client whose every call carries the given credential. */
export function createAdminClient({ apiKey, adminSecret, idToken, ...options }: AdminClientOptions): AdminClient {
  const client = createClient<paths>(options);
  /** Each call's request as first sent (by openapi-fetch's call id), kept to send again after a 401. */
  const sent = new Map<string, Request>();
  client.use({
    async onRequest({ request, id }) {
      if (apiKey) request.headers.set('X-API-Key', apiKey);
      if (adminSecret) request.headers.set('X-Admin-Secret', adminSecret);
      const token = typeof idToken === 'function' ? await idToken() : idToken;
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      if (typeof idToken === 'function') sent.set(id, request.clone());
      return request;
    },
    async onResponse({ response, id, options: { fetch } }) {
      const first = sent.get(id);
      sent.delete(id);
      if (response.status !== 401 || first === undefined || typeof idToken !== 'function') return undefined;
      const fresh = await idToken(true);
      if (!fresh) return undefined;
      first.headers.set('Authorization', `Bearer ${fresh}`);
      return fetch(first);
    },
    onError({ id }) {
      sent.delete(id);
    },
  });
  return client;
}

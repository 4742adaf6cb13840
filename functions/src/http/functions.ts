// The onRequest wrappers index.ts uses: one per endpoint kind, each binding only the secrets that
// kind needs. The request pipeline and the endpoint's own module load on the function's first
// request, not with the entry module, which every instance (and a deploy's discovery) loads.
import { onRequest, type HttpsFunction } from 'firebase-functions/v2/https';
import type { SecretParam } from 'firebase-functions/params';
import { ADMIN_SECRET, REGION, SIGNING_KEY, WEBHOOK_SECRET } from '../config.js';
import { once } from '../domain/once.js';
import type { EndpointKind } from './endpoint.js';
import type { DialectLoader, Loader } from './pipeline.js';
import type { ProviderName } from '../domain/paymentConnection.js';
import type { ProviderLoader } from './providerWebhook.js';

/** What a wrapper knows of each HTTP function it made: read by the OpenAPI build (openapi/document.ts). */
export type Described =
  | { kind: EndpointKind; load: Loader }
  | { kind: 'provider'; provider: ProviderName; load: ProviderLoader }
  | { kind: 'dialect'; core: 'client' | 'admin'; load: DialectLoader };
export const described = new Map<string, Described>();

const pipeline = once(() => import('./pipeline.js'));

function make(kind: EndpointKind, secrets: SecretParam[]) {
  return (name: string, load: Loader, extraSecrets: SecretParam[] = []): HttpsFunction => {
    described.set(name, { kind, load });
    const endpoint = once(load);
    return onRequest({ region: REGION, secrets: [...secrets, ...extraSecrets] }, async (req, res) => (await pipeline()).serve(name, kind, endpoint, req, res));
  };
}

/** Creator and super-admin endpoints: adminSecret or apiKey. */
export const adminFunction = make('admin', [ADMIN_SECRET]);
/** Console accounts: a Firebase ID token, before or after the person has a creator. */
export const accountFunction = make('account', []);
/** The buyer portal: a Firebase ID token with a verified email (docs/portal.md). */
export const buyerFunction = make('buyer', []);
/** Endpoints the shipped apps call: no auth, rate limited per IP; they sign session tokens. */
export const clientFunction = make('client', [SIGNING_KEY]);
/** Payment provider webhooks: x-webhook-secret. */
export const webhookFunction = make('webhook', [WEBHOOK_SECRET]);
/** No auth, no secrets: health. */
export const openFunction = make('open', []);

/** A route of another system's API (functions/src/dialects/), with the secrets of its core endpoint's kind. */
export const dialectFunction = (name: string, kind: 'client' | 'admin', load: DialectLoader): HttpsFunction => {
  described.set(name, { kind: 'dialect', core: kind, load });
  const route = once(load);
  return onRequest({ region: REGION, secrets: kind === 'client' ? [SIGNING_KEY] : [ADMIN_SECRET] }, async (req, res) => (await pipeline()).serveDialect(name, kind, route, req, res));
};

/** A payment provider's webhooks at `<base>/<name>/<connectionId>`: the connection holds the secret. */
export const providerFunction = (name: string, provider: ProviderName, load: ProviderLoader): HttpsFunction => {
  described.set(name, { kind: 'provider', provider, load });
  return onRequest({ region: REGION }, async (req, res) => (await import('./providerWebhook.js')).serveProvider(name, provider, load, req, res));
};

// What an endpoint file declares: its input schema and its handler, plus a few switches.
// Only types and identity functions live here, so index.ts can name endpoints without loading
// zod or an endpoint's code until the first request arrives.
import type { ZodObject, ZodType, ZodUnion, output } from 'zod';
import type { Request } from 'firebase-functions/v2/https';
import type { LicenseLimitName, RateLimitName } from '../config.js';
import type { LicenseRecord } from '../domain/license.js';
import type { Buyer } from '../domain/portal.js';
import type { Caller } from '../domain/scope.js';
import type { ErrorReply, Shape } from './errors.js';
import type { Method } from './request.js';
import type { SignedInUser } from './idToken.js';

export type Reply = Record<string, unknown>;

export interface RequestContext {
  /** The time the request arrived; handlers use it instead of reading the clock again. */
  now: Date;
  /** The caller's address as the per-IP limit counts it: IPv4, or an IPv6 /64 (http/request.ts). */
  ip: string;
  requestId: string;
  /** Counts this call against a named limit for `subject`; throws 429 when it is used up. */
  limit(name: RateLimitName, subject: string): Promise<void>;
  /** Starts counting this call against a named limit without waiting (see `limitsAlongside`). */
  count(name: RateLimitName, subject: string): void;
  /** Resolves once every limit counted so far admitted the call; throws the 429 otherwise. */
  admitted(): Promise<void>;
  /**
   * Starts counting this call against a per-licence limit whose size fits the licence (see
   * `limitsAlongside`): `counted` settles once every count of the request is in, and the handler
   * calls `admit` with the licence it read, before it writes anything.
   */
  perLicense(name: LicenseLimitName, subject: string): LicenseAdmission;
  /** A request header, lower-case name. */
  header(name: string): string | undefined;
  /** Sets a response header (for example Cache-Control). */
  setHeader(name: string, value: string): void;
}

export interface LicenseAdmission {
  /** Settles once every count of the request is in; rejects with the 429 of a refused one. */
  counted: Promise<void>;
  /** Resolves if every limit of the request admits it, given the licence (undefined: none); else the 429. */
  admit(license: LicenseRecord | undefined): Promise<void>;
}

export interface AdminContext extends RequestContext {
  caller: Caller;
}

export interface AccountContext extends RequestContext {
  /** The person the ID token names, whether or not they belong to a creator yet. */
  user: SignedInUser;
}

/** Who signed a payment webhook: the platform secret, or one of a creator's webhook secrets. */
export type WebhookSource = { kind: 'platform' } | { kind: 'creator'; creatorId: string; secretId: string };

export interface WebhookContext extends RequestContext {
  source: WebhookSource;
}

interface Common<S extends ZodType> {
  schema: S;
  /**
   * The success reply's fields (http/replies.ts), without the `success`/`valid` flag the pipeline
   * adds: described in the OpenAPI document and checked against every reply the emulator tests get.
   * A union of objects when the reply's fields depend on what the call did (paymentWebhook).
   */
  response?: ZodObject | ZodUnion<readonly ZodObject[]>;
  /** A request and its reply, shown in the OpenAPI document (and checked against the schemas). */
  example?: { request: Record<string, unknown>; response?: Record<string, unknown> };
  /** Also answer GET, with the same fields as query parameters. */
  get?: boolean;
  /** The body shape of replies: `success` (default), `valid` (verify, validate) or `raw`. */
  shape?: Shape;
  /**
   * Client endpoints: count the client-IP limit while the handler runs, not before it, so a
   * counter write does not add a round trip to the handler's reads. The handler must
   * `await ctx.admitted()` before it writes anything; the reply waits for every count, and a
   * refused count answers 429 whatever the handler returned.
   */
  limitsAlongside?: boolean;
  /**
   * With `limitsAlongside`: the handler counts a limit of its own once it knows the subject
   * (validate: the licence, once the token's signature proves it). The client-IP count goes out
   * with the handler's first count, in the same commit (store/counters.ts), instead of a commit
   * of its own; if the handler settles without counting, it goes out then.
   */
  ipCountJoinsHandler?: boolean;
  /**
   * Client endpoints: the pipeline counts no limit; the handler decides what a call counts
   * against (heartbeat: a renewed floating lease counts on the lease, anything else per IP).
   */
  limitsInHandler?: boolean;
}

export interface AdminEndpoint<S extends ZodType = ZodType> extends Common<S> {
  kind: 'admin';
  /** Only the super admin (adminSecret) may call it. */
  superOnly?: boolean;
  /**
   * Only people (a signed-in member or the super admin; an API key is 401), or only the owner (a
   * teammate is 403): checked with the credentials, before the schema.
   */
  who?: 'person' | 'owner';
  handle(input: output<S>, ctx: AdminContext): Promise<Reply>;
}

export interface ClientEndpoint<S extends ZodType = ZodType> extends Common<S> {
  kind: 'client';
  handle(input: output<S>, ctx: RequestContext): Promise<Reply>;
}

export interface WebhookEndpoint<S extends ZodType = ZodType> extends Common<S> {
  kind: 'webhook';
  handle(input: output<S>, ctx: WebhookContext): Promise<Reply>;
}

/** A Firebase ID token only, with or without an account yet: sign-up and "who am I". */
export interface AccountEndpoint<S extends ZodType = ZodType> extends Common<S> {
  kind: 'account';
  handle(input: output<S>, ctx: AccountContext): Promise<Reply>;
}

export interface BuyerContext extends RequestContext {
  /** The signed-in buyer (a verified email address): they see only that address's licences. */
  buyer: Buyer;
}

/** The buyer portal: a Firebase ID token with a verified email, no membership needed (docs/portal.md). */
export interface BuyerEndpoint<S extends ZodType = ZodType> extends Common<S> {
  kind: 'buyer';
  handle(input: output<S>, ctx: BuyerContext): Promise<Reply>;
}

/** No authentication and no rate limit of the pipeline's (a handler may count its own): health, portal sign-in links. */
export interface OpenEndpoint<S extends ZodType = ZodType> extends Common<S> {
  kind: 'open';
  handle(input: output<S>, ctx: RequestContext): Promise<Reply>;
}

export type Endpoint = AdminEndpoint | AccountEndpoint | BuyerEndpoint | ClientEndpoint | WebhookEndpoint | OpenEndpoint;
export type EndpointKind = Endpoint['kind'];

export const adminEndpoint = <S extends ZodType>(spec: Omit<AdminEndpoint<S>, 'kind'>): AdminEndpoint<S> => ({ kind: 'admin', ...spec });
export const accountEndpoint = <S extends ZodType>(spec: Omit<AccountEndpoint<S>, 'kind'>): AccountEndpoint<S> => ({ kind: 'account', ...spec });
export const buyerEndpoint = <S extends ZodType>(spec: Omit<BuyerEndpoint<S>, 'kind'>): BuyerEndpoint<S> => ({ kind: 'buyer', ...spec });
export const clientEndpoint = <S extends ZodType>(spec: Omit<ClientEndpoint<S>, 'kind'>): ClientEndpoint<S> => ({ kind: 'client', ...spec });
export const webhookEndpoint = <S extends ZodType>(spec: Omit<WebhookEndpoint<S>, 'kind'>): WebhookEndpoint<S> => ({ kind: 'webhook', ...spec });
export const openEndpoint = <S extends ZodType>(spec: Omit<OpenEndpoint<S>, 'kind'>): OpenEndpoint<S> => ({ kind: 'open', ...spec });

/** A reply in another system's words: its status (default 200), body and extra headers. */
export interface DialectReply {
  status?: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
}

/**
 * One route of another system's API (functions/src/dialects/<system>/): the core endpoint that
 * serves it, run through the same pipeline (credentials, schema, rate limits, handler), with the
 * system's request translated into the core's fields and the core's reply and errors translated
 * back. A route decides no rule and writes nothing itself.
 */
export interface DialectRoute {
  endpoint: Endpoint;
  /** The methods the system documents (default: the core endpoint's). */
  methods?: readonly Method[];
  /** The system's request (its fields and headers) as the core endpoint's fields. */
  request?(fields: Record<string, unknown>, header: (name: string) => string | undefined): Record<string, unknown>;
  /**
   * The system's own credential, checked before the core endpoint's (and before the schema), given
   * the translated fields: a License Verification Server's tenant API key on client calls.
   */
  authorize?(fields: Record<string, unknown>, req: Request, now: Date): Promise<void>;
  /**
   * Per-licence limits the system documents instead of the core's: the core endpoint's limit
   * (config.ts LICENSE_LIMITS) → the rule this route counts in its place.
   */
  licenseLimits?: Partial<Record<LicenseLimitName, LicenseLimitName>>;
  /**
   * A per-licence limit (config.ts RATE_LIMITS) the system documents on a route whose core endpoint
   * counts none, counted on the request's `licenseKey` alongside the handler (the core endpoint
   * must be `limitsAlongside`).
   */
  keyLimit?: RateLimitName;
  /** The core's success reply, with the parsed core input, in the system's words. */
  reply?(result: Reply, input: any, ctx: RequestContext): DialectReply | Promise<DialectReply>;
  /** A core error in the system's words, given the request's own fields when they were read. */
  error?(reply: ErrorReply, error: unknown, fields: Record<string, unknown> | undefined): DialectReply | undefined;
}

export const dialectRoute = (route: DialectRoute): DialectRoute => route;

// Admin authentication: the super admin's `adminSecret`, a creator's `apiKey`, or a Firebase ID
// token of one of the creator's people (http/idToken.ts).
import type { Request } from 'firebase-functions/v2/https';
import * as logger from 'firebase-functions/logger';
import { ADMIN_SECRET } from '../config.js';
import { adminSecretWeakness } from '../domain/adminSecret.js';
import { secretsEqual, sha256Hex } from '../domain/crypto.js';
import { unauthorized } from '../domain/errors.js';
import type { Caller } from '../domain/scope.js';
import { findApiKeyByHash, touchApiKey } from '../store/apiKeys.js';
import { memberCaller, presentedIdToken } from './idToken.js';
import { asString, header } from './request.js';


/** The API key wherever the contract allows it: body, query, X-API-Key, or a Bearer token. */
function presentedApiKey(req: Request, fields: Record<string, unknown>): string | undefined {
  const bearer = header(req, 'authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return asString(fields.apiKey) ?? asString(req.query.apiKey) ?? asString(header(req, 'x-api-key')) ?? bearer;
}

/**
 * The adminSecret from the body or X-Admin-Secret, never from the query string: a URL lands in
 * request logs, so one carrying it is refused outright (for GET the fields are the query).
 */
function presentedAdminSecret(req: Request, fields: Record<string, unknown>): string | undefined {
  if (req.query?.adminSecret !== undefined) throw unauthorized('adminSecret is never accepted in the query string; send it in the X-Admin-Secret header');
  const fromBody = req.method.toUpperCase() === 'GET' ? undefined : asString(fields.adminSecret);
  return fromBody ?? asString(header(req, 'x-admin-secret'));
}

let weaknessLogged = false;

/**
 * Whether `given` is the super admin's secret. A weak ADMIN_SECRET turns super-admin access off
 * (the right value is refused too), with one log line per instance saying why.
 */
export function isAdminSecret(given: string, configured: string): boolean {
  const weakness = adminSecretWeakness(configured);
  if (weakness === undefined) return secretsEqual(given, configured);
  if (!weaknessLogged) {
    weaknessLogged = true;
    logger.error(`Super-admin access is off: ADMIN_SECRET is too weak (${weakness}). Set a random one of at least 32 characters (npm start writes one) and redeploy.`);
  }
  throw unauthorized('Super-admin access is off on this deployment: its ADMIN_SECRET is too weak (see the server log)');
}

/**
 * Who is calling. A presented adminSecret must be right (a wrong one is not retried as an API
 * key). An API key must exist and not be revoked; keys are read on every call, so a revoked
 * key fails from the next request on, on every instance.
 */
export async function authenticateAdmin(req: Request, fields: Record<string, unknown>, now: Date): Promise<Caller> {
  const secret = presentedAdminSecret(req, fields);
  if (secret !== undefined) {
    if (!isAdminSecret(secret, ADMIN_SECRET.value())) throw unauthorized('Invalid adminSecret');
    return { kind: 'super' };
  }
  const idToken = presentedIdToken(req);
  if (idToken !== undefined) return memberCaller(idToken, now);
  const apiKey = presentedApiKey(req, fields);
  if (apiKey === undefined) throw unauthorized('Missing apiKey or adminSecret');
  // The lookup is by SHA-256 of the key, so timing reveals nothing about any stored key.
  const record = await findApiKeyByHash(sha256Hex(apiKey));
  if (!record || record.revoked) throw unauthorized('Invalid or revoked apiKey');
  await touchApiKey(record, now);
  return { kind: 'creator', creatorId: record.creatorId, apiKeyId: record.id, scopes: record.scopes ?? undefined, mode: record.mode };
}

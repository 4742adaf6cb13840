// API key scopes: what a creator's key may do. A key made with scopes may call only the admin
// endpoints whose scope it holds (else 403 `insufficient_scope`); a key made without any, and
// every signed-in person, holds them all. Scopes say what a key may do, never whose resources it
// sees: tenancy stays a 404. Pure: no I/O.
import { SeatkeyError } from './errors.js';

import { API_SCOPES, type ApiScope } from './scopeNames.js';

export { API_SCOPES, type ApiScope };

/**
 * The scope each admin endpoint needs: one table, so a new endpoint cannot forget it (the
 * pipeline refuses an admin endpoint missing here, and a unit test checks index.ts against it).
 */
export const ENDPOINT_SCOPES: Readonly<Record<string, ApiScope>> = {
  listMembers: 'members:read',
  inviteMember: 'members:write',
  removeMember: 'members:write',
  deleteAccount: 'members:write',
  createApiKey: 'keys:write',
  listApiKeys: 'keys:read',
  rotateApiKey: 'keys:write',
  revokeApiKey: 'keys:write',
  createPublishableKey: 'keys:write',
  listPublishableKeys: 'keys:read',
  revokePublishableKey: 'keys:write',
  createProduct: 'products:write',
  listProducts: 'products:read',
  updateProduct: 'products:write',
  createVariant: 'products:write',
  updateVariant: 'products:write',
  listVariants: 'products:read',
  previewBuyerEmail: 'products:read',
  createLicense: 'licenses:write',
  getLicense: 'licenses:read',
  listLicenses: 'licenses:read',
  updateLicense: 'licenses:write',
  revokeLicense: 'licenses:write',
  reinstateLicense: 'licenses:write',
  resolveLicense: 'licenses:write',
  resetActivations: 'licenses:write',
  removeActivation: 'licenses:write',
  regenerateLicense: 'licenses:write',
  importLicenses: 'licenses:write',
  listOutbox: 'licenses:read',
  deactivateLicense: 'licenses:write',
  unblockDevice: 'licenses:write',
  redeemTrialCode: 'licenses:write',
  createDiscountCode: 'codes:write',
  listDiscountCodes: 'codes:read',
  updateDiscountCode: 'codes:write',
  deleteDiscountCode: 'codes:write',
  listTrialCodes: 'codes:read',
  createTrialCode: 'codes:write',
  updateTrialCode: 'codes:write',
  deleteTrialCode: 'codes:write',
  getStats: 'stats:read',
  getSalesSeries: 'stats:read',
  listSales: 'stats:read',
  listEvents: 'events:read',
  createWebhookSecret: 'webhooks:write',
  listWebhookSecrets: 'webhooks:read',
  rotateWebhookSecret: 'webhooks:write',
  revokeWebhookSecret: 'webhooks:write',
  createPaymentConnection: 'webhooks:write',
  listPaymentConnections: 'webhooks:read',
  updatePaymentConnection: 'webhooks:write',
  deletePaymentConnection: 'webhooks:write',
  createWebhook: 'webhooks:write',
  listWebhooks: 'webhooks:read',
  updateWebhook: 'webhooks:write',
  deleteWebhook: 'webhooks:write',
  rotateWebhookSigningSecret: 'webhooks:write',
  listWebhookDeliveries: 'webhooks:read',
  // Dialects (functions/src/dialects/): their admin routes, and the License Verification Server's
  // client routes, which take the tenant's API key. Apps ship that key, so its routes need a scope
  // of their own: a key limited to `clients:act` can do what an app does and nothing else.
  permisoftValidateKey: 'licenses:read',
  permisoftStats: 'stats:read',
  lvsActivate: 'clients:act',
  lvsDeactivate: 'clients:act',
  lvsVerify: 'clients:act',
  lvsHeartbeat: 'clients:act',
  // Super admin only (adminSecret): no API key reaches them, but they are declared all the same.
  revokeSigningKey: 'keys:write',
  recordPayout: 'stats:read',
};

/** Throws 403 `insufficient_scope` unless `held` (undefined: every scope) includes the endpoint's. */
export function assertScope(endpoint: string, held: readonly ApiScope[] | undefined): void {
  const needed = ENDPOINT_SCOPES[endpoint];
  if (needed === undefined) throw new Error(`${endpoint} declares no scope in domain/apiScopes.ts`);
  if (held !== undefined && !held.includes(needed)) throw new SeatkeyError('insufficient_scope', `This API key lacks the ${needed} scope`);
}

// The table of contents: one exported HTTPS function per endpoint of the contract
// (docs/contract.md). Each endpoint's schema and handler live in endpoints/<name>.ts and
// are loaded on that function's first request, keeping cold starts light.
import { accountFunction, adminFunction, buyerFunction, clientFunction, dialectFunction, openFunction, providerFunction, webhookFunction } from './http/functions.js';
import { SCHEDULES, SIGNING_KEY } from './config.js';
import { scheduledJob, webhookDelivery } from './jobs/functions.js';

export const health = openFunction('health', () => import('./endpoints/health.js'));

// Accounts: sign-up and members (Firebase Auth ID tokens), and API keys
export const createAccount = accountFunction('createAccount', () => import('./endpoints/createAccount.js'));
export const getAccount = accountFunction('getAccount', () => import('./endpoints/getAccount.js'));
export const listMembers = adminFunction('listMembers', () => import('./endpoints/listMembers.js'));
export const inviteMember = adminFunction('inviteMember', () => import('./endpoints/inviteMember.js'));
export const removeMember = adminFunction('removeMember', () => import('./endpoints/removeMember.js'));
export const deleteAccount = adminFunction('deleteAccount', () => import('./endpoints/deleteAccount.js'));
export const createApiKey = adminFunction('createApiKey', () => import('./endpoints/createApiKey.js'));
export const listApiKeys = adminFunction('listApiKeys', () => import('./endpoints/listApiKeys.js'));
export const rotateApiKey = adminFunction('rotateApiKey', () => import('./endpoints/rotateApiKey.js'));
export const revokeApiKey = adminFunction('revokeApiKey', () => import('./endpoints/revokeApiKey.js'));
export const createPublishableKey = adminFunction('createPublishableKey', () => import('./endpoints/createPublishableKey.js'));
export const listPublishableKeys = adminFunction('listPublishableKeys', () => import('./endpoints/listPublishableKeys.js'));
export const revokePublishableKey = adminFunction('revokePublishableKey', () => import('./endpoints/revokePublishableKey.js'));

// Products and variants
export const createProduct = adminFunction('createProduct', () => import('./endpoints/createProduct.js'));
export const listProducts = adminFunction('listProducts', () => import('./endpoints/listProducts.js'));
export const updateProduct = adminFunction('updateProduct', () => import('./endpoints/updateProduct.js'));
export const createVariant = adminFunction('createVariant', () => import('./endpoints/createVariant.js'));
export const updateVariant = adminFunction('updateVariant', () => import('./endpoints/updateVariant.js'));
export const listVariants = adminFunction('listVariants', () => import('./endpoints/listVariants.js'));

// Licences
export const createLicense = dialectFunction('createLicense', 'admin', () => import('./dialects/cg/createLicense.js'));
export const getLicense = dialectFunction('getLicense', 'admin', () => import('./dialects/cg/getLicense.js'));
export const listLicenses = dialectFunction('listLicenses', 'admin', () => import('./dialects/cg/listLicenses.js'));
export const updateLicense = dialectFunction('updateLicense', 'admin', () => import('./dialects/cg/updateLicense.js'));
export const revokeLicense = dialectFunction('revokeLicense', 'admin', () => import('./dialects/cg/revokeLicense.js'));
export const reinstateLicense = dialectFunction('reinstateLicense', 'admin', () => import('./dialects/cg/reinstateLicense.js'));
export const resolveLicense = dialectFunction('resolveLicense', 'admin', () => import('./dialects/cg/resolveLicense.js'));
export const resetActivations = dialectFunction('resetActivations', 'admin', () => import('./dialects/cg/resetActivations.js'));
export const removeActivation = adminFunction('removeActivation', () => import('./endpoints/removeActivation.js'));
export const unblockDevice = adminFunction('unblockDevice', () => import('./endpoints/unblockDevice.js'));
export const regenerateLicense = dialectFunction('regenerateLicense', 'admin', () => import('./dialects/cg/regenerateLicense.js'));
export const deactivateLicense = dialectFunction('deactivateLicense', 'admin', () => import('./dialects/cg/deactivateLicense.js'));
export const importLicenses = adminFunction('importLicenses', () => import('./endpoints/importLicenses.js'));

// Discount and trial codes (the trial-code names are CG's: dialects/cg/, over the same codes)
export const createDiscountCode = adminFunction('createDiscountCode', () => import('./endpoints/createDiscountCode.js'));
export const listDiscountCodes = adminFunction('listDiscountCodes', () => import('./endpoints/listDiscountCodes.js'));
export const updateDiscountCode = adminFunction('updateDiscountCode', () => import('./endpoints/updateDiscountCode.js'));
export const deleteDiscountCode = adminFunction('deleteDiscountCode', () => import('./endpoints/deleteDiscountCode.js'));
export const listTrialCodes = dialectFunction('listTrialCodes', 'admin', () => import('./dialects/cg/listTrialCodes.js'));
export const createTrialCode = dialectFunction('createTrialCode', 'admin', () => import('./dialects/cg/createTrialCode.js'));
export const updateTrialCode = dialectFunction('updateTrialCode', 'admin', () => import('./dialects/cg/updateTrialCode.js'));
export const deleteTrialCode = dialectFunction('deleteTrialCode', 'admin', () => import('./dialects/cg/deleteTrialCode.js'));
export const redeemTrialCode = dialectFunction('redeemTrialCode', 'admin', () => import('./dialects/cg/redeemTrialCode.js'));

// Client endpoints: what shipped apps call (no auth; the licence key is the credential)
export const activate = clientFunction('activate', () => import('./endpoints/activate.js'));
export const verify = clientFunction('verify', () => import('./endpoints/verify.js'));
export const validate = clientFunction('validate', () => import('./endpoints/validate.js'));
export const deactivate = clientFunction('deactivate', () => import('./endpoints/deactivate.js'));
export const heartbeat = clientFunction('heartbeat', () => import('./endpoints/heartbeat.js'));
export const publicKey = clientFunction('publicKey', () => import('./endpoints/publicKey.js'));
export const revokeSigningKey = adminFunction('revokeSigningKey', () => import('./endpoints/revokeSigningKey.js'), [SIGNING_KEY]);

// Commerce: payment webhooks, sales stats, the event log and creators' webhooks
export const paymentWebhook = webhookFunction('paymentWebhook', () => import('./endpoints/paymentWebhook.js'));
export const createPaymentConnection = adminFunction('createPaymentConnection', () => import('./endpoints/createPaymentConnection.js'));
export const listPaymentConnections = adminFunction('listPaymentConnections', () => import('./endpoints/listPaymentConnections.js'));
export const updatePaymentConnection = adminFunction('updatePaymentConnection', () => import('./endpoints/updatePaymentConnection.js'));
export const deletePaymentConnection = adminFunction('deletePaymentConnection', () => import('./endpoints/deletePaymentConnection.js'));
export const stripeWebhook = providerFunction('stripeWebhook', 'stripe', () => import('./payments/providers/stripe.js'));
export const paddleWebhook = providerFunction('paddleWebhook', 'paddle', () => import('./payments/providers/paddle.js'));
export const lemonSqueezyWebhook = providerFunction('lemonSqueezyWebhook', 'lemonsqueezy', () => import('./payments/providers/lemonsqueezy.js'));
export const gumroadWebhook = providerFunction('gumroadWebhook', 'gumroad', () => import('./payments/providers/gumroad.js'));
export const polarWebhook = providerFunction('polarWebhook', 'polar', () => import('./payments/providers/polar.js'));
export const createWebhookSecret = adminFunction('createWebhookSecret', () => import('./endpoints/createWebhookSecret.js'));
export const listWebhookSecrets = adminFunction('listWebhookSecrets', () => import('./endpoints/listWebhookSecrets.js'));
export const rotateWebhookSecret = adminFunction('rotateWebhookSecret', () => import('./endpoints/rotateWebhookSecret.js'));
export const revokeWebhookSecret = adminFunction('revokeWebhookSecret', () => import('./endpoints/revokeWebhookSecret.js'));
export const getStats = adminFunction('getStats', () => import('./endpoints/getStats.js'));
export const getSalesSeries = adminFunction('getSalesSeries', () => import('./endpoints/getSalesSeries.js'));
export const listSales = adminFunction('listSales', () => import('./endpoints/listSales.js'));
export const recordPayout = adminFunction('recordPayout', () => import('./endpoints/recordPayout.js'));
export const previewBuyerEmail = adminFunction('previewBuyerEmail', () => import('./endpoints/previewBuyerEmail.js'));
export const listOutbox = adminFunction('listOutbox', () => import('./endpoints/listOutbox.js'));
export const listEvents = adminFunction('listEvents', () => import('./endpoints/listEvents.js'));
export const createWebhook = adminFunction('createWebhook', () => import('./endpoints/createWebhook.js'));
export const listWebhooks = adminFunction('listWebhooks', () => import('./endpoints/listWebhooks.js'));
export const updateWebhook = adminFunction('updateWebhook', () => import('./endpoints/updateWebhook.js'));
export const deleteWebhook = adminFunction('deleteWebhook', () => import('./endpoints/deleteWebhook.js'));
export const rotateWebhookSigningSecret = adminFunction('rotateWebhookSigningSecret', () => import('./endpoints/rotateWebhookSigningSecret.js'));
export const listWebhookDeliveries = adminFunction('listWebhookDeliveries', () => import('./endpoints/listWebhookDeliveries.js'));

// The buyer portal (docs/portal.md): a sign-in link by email, then the buyer's own licences by ID token
export const portalRequestLink = openFunction('portalRequestLink', () => import('./endpoints/portalRequestLink.js'));
export const portalListLicenses = buyerFunction('portalListLicenses', () => import('./endpoints/portalListLicenses.js'));
export const portalDeactivate = buyerFunction('portalDeactivate', () => import('./endpoints/portalDeactivate.js'));
export const portalResendKey = buyerFunction('portalResendKey', () => import('./endpoints/portalResendKey.js'));

// Dialects: other systems' APIs at their own paths (firebase.json), each route a thin translation
// over the core endpoint that serves it (functions/src/dialects/, docs/dialects.md)
export const permisoftActivate = dialectFunction('permisoftActivate', 'client', () => import('./dialects/permisoft/activate.js'));
export const permisoftValidateKey = dialectFunction('permisoftValidateKey', 'admin', () => import('./dialects/permisoft/validateKey.js'));
export const permisoftStats = dialectFunction('permisoftStats', 'admin', () => import('./dialects/permisoft/stats.js'));
export const paperkeyValidate = dialectFunction('paperkeyValidate', 'client', () => import('./dialects/paperkey/validate.js'));
export const paperkeyActivate = dialectFunction('paperkeyActivate', 'client', () => import('./dialects/paperkey/activate.js'));
export const paperkeyDeactivate = dialectFunction('paperkeyDeactivate', 'client', () => import('./dialects/paperkey/deactivate.js'));
export const lvsPubkey = dialectFunction('lvsPubkey', 'client', () => import('./dialects/lvs/pubkey.js'));
export const lvsActivate = dialectFunction('lvsActivate', 'client', () => import('./dialects/lvs/activate.js'));
export const lvsVerify = dialectFunction('lvsVerify', 'client', () => import('./dialects/lvs/verify.js'));
export const lvsDeactivate = dialectFunction('lvsDeactivate', 'client', () => import('./dialects/lvs/deactivate.js'));
export const lvsHeartbeat = dialectFunction('lvsHeartbeat', 'client', () => import('./dialects/lvs/heartbeat.js'));
export const planActivate = dialectFunction('planActivate', 'client', () => import('./dialects/plan/activate.js'));
export const planValidate = dialectFunction('planValidate', 'client', () => import('./dialects/plan/validate.js'));
export const planDeactivate = dialectFunction('planDeactivate', 'client', () => import('./dialects/plan/deactivate.js'));

// Background: webhook deliveries (a Cloud Tasks queue) and scheduled jobs
export const deliverWebhook = webhookDelivery();
export const expireLicenses = scheduledJob(SCHEDULES.expireLicenses, () => import('./jobs/expireLicenses.js'));
export const remindExpiries = scheduledJob(SCHEDULES.remindExpiries, () => import('./jobs/remindExpiries.js'));
export const sweepWebhookOutbox = scheduledJob(SCHEDULES.sweepWebhookOutbox, () => import('./jobs/sweepWebhookOutbox.js'));
export const sweepExpired = scheduledJob(SCHEDULES.sweepExpired, () => import('./jobs/sweepExpired.js'));
export const purgeClosedAccounts = scheduledJob(SCHEDULES.purgeClosedAccounts, () => import('./jobs/purgeClosedAccounts.js'));
export const compactTotals = scheduledJob(SCHEDULES.compactTotals, () => import('./jobs/compactTotals.js'));

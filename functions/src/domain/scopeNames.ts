// The scopes an API key may be limited to (domain/apiScopes.ts says which endpoint needs which).
// No imports: the console's API keys page imports this list as it is.
export const API_SCOPES = [
  'licenses:read',
  'licenses:write',
  'products:read',
  'products:write',
  'codes:read',
  'codes:write',
  'stats:read',
  'events:read',
  'webhooks:read',
  'webhooks:write',
  'keys:read',
  'keys:write',
  'members:read',
  'members:write',
  // The License Verification Server's client routes (activate, verify, deactivate, heartbeat):
  // its apps carry the tenant key, so a key for them should hold this scope alone.
  'clients:act',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

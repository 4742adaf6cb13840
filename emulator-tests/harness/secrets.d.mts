// Types for secrets.mjs, for the TypeScript tests that import it.
export interface SigningJwk {
  kty: string;
  crv: string;
  x: string;
  d: string;
  kid: string;
  alg: 'EdDSA';
}
export function newSigningKey(): SigningJwk;
export function newSecrets(): { ADMIN_SECRET: string; WEBHOOK_SECRET: string; SIGNING_KEY: string };
export function toDotenv(secrets: Record<string, string>): string;
export function parseDotenv(text: string): Record<string, string>;

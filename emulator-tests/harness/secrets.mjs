// Fresh secrets in the contract's format: ADMIN_SECRET, WEBHOOK_SECRET, and SIGNING_KEY, an
// Ed25519 private key as a one-line JWK JSON string whose `kid` is its RFC 7638 thumbprint.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

export function newSigningKey() {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
    .digest('base64url');
  return { ...jwk, kid: thumbprint.slice(0, 16), alg: 'EdDSA' };
}

export function newSecrets() {
  return {
    ADMIN_SECRET: `adm_${randomBytes(32).toString('base64url')}`,
    WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64url')}`,
    SIGNING_KEY: JSON.stringify(newSigningKey()),
  };
}

/** dotenv text for functions/.secret.local (single quotes keep the JSON literal). */
export const toDotenv = (secrets) =>
  `${Object.entries(secrets)
    .map(([k, v]) => `${k}='${v}'`)
    .join('\n')}\n`;

export function parseDotenv(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/);
    if (!m) continue;
    let v = m[2];
    if ((v.startsWith("'") && v.endsWith("'")) || (v.startsWith('"') && v.endsWith('"'))) v = v.slice(1, -1);
    out[m[1]] = v;
  }
  return out;
}

// activate: binds a machine to the licence and returns a session token. One transaction over the
// licence and this machine's activation; the same machine again takes no new seat. `productId` is
// optional (the licence's own product); `machineLabel` is another name for `hostname`; `metadata`
// is what the app says about the machine (OS, app version), shown by getLicense.
import { z } from 'zod';
import { heartbeatEvery, seatsOf, warningOf } from '../domain/access.js';
import { cleanHostname, countryOf, fingerprintHash } from '../domain/activation.js';
import { statusAt } from '../domain/license.js';
import { clientEndpoint } from '../http/endpoint.js';
import { licenseKey, slug } from '../http/fields.js';
import { iso } from '../http/present.js';
import { clientSettings } from '../store/productSettings.js';
import { activateSeat } from '../store/seats.js';
import { signingKey } from '../tokens/keys.js';
import { issueToken, tokenTtlSeconds } from '../tokens/session.js';
import { activationMetadata, hostname, machineFingerprint } from './clientFields.js';
import { count, licenseStatus, seats, time, warning, when } from '../http/replies.js';

export default clientEndpoint({
  example: {
    request: { licenseKey: 'ACME-7K2M-9QXP-4TRB-W8', machineFingerprint: 'c0ffee-4a1b-device', hostname: 'studio-mac', productId: 'photo-app' },
    response: {
      success: true,
      token: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjEifQ.eyJzdWIiOiJBQ01FIn0.c2lnbmF0dXJl',
      expiresAt: '2026-12-30T09:00:00.000Z',
      licenseExpiresAt: null,
      machinesUsed: 1,
      maxMachines: 3,
      status: 'active',
      productId: 'photo-app',
      variant: null,
      activationId: 'act_9f2c1e7a',
      message: 'Machine activated',
      licenseType: 'per-machine',
      serverTime: '2026-11-30T09:00:00.000Z',
    },
  },
  response: z.looseObject({
    token: z.string().meta({ description: 'The session token (an Ed25519 JWT), verifiable offline with publicKey' }),
    expiresAt: time(),
    licenseExpiresAt: when(),
    ...seats,
    status: licenseStatus,
    productId: z.string(),
    variant: z.string().nullable(),
    activationId: z.string(),
    message: z.string(),
    licenseType: z.string(),
    leaseExpiresAt: when().optional(),
    nextHeartbeatSeconds: count().optional(),
    ...warning,
    serverTime: time(),
  }),
  limitsAlongside: true,
  schema: z
    .object({
      licenseKey: licenseKey(),
      machineFingerprint: machineFingerprint(),
      hostname: hostname(),
      machineLabel: hostname(),
      productId: slug().optional(),
      metadata: activationMetadata().optional(),
    })
    .refine((v) => v.hostname == null || v.machineLabel == null || v.hostname === v.machineLabel, {
      message: 'machineLabel is another name for hostname: give one of them',
      path: ['machineLabel'],
    }),
  handle: async (input, ctx) => {
    const { now } = ctx;
    // Counted per key now, judged against the licence's own limit once the transaction read it.
    const limits = ctx.perLicense('activate', input.licenseKey);
    // Loaded while the transaction reads.
    signingKey().catch(() => undefined);
    const label = input.machineLabel ?? input.hostname;
    const result = await activateSeat({
      licenseKey: input.licenseKey,
      fingerprint: fingerprintHash(input.machineFingerprint),
      hostname: label == null ? undefined : cleanHostname(label),
      metadata: input.metadata,
      country: countryOf(ctx.header),
      productId: input.productId,
      now,
      settingsOf: clientSettings,
      counted: limits.counted,
      admit: (license) => limits.admit(license),
      prepare: async (license, activation, settings) => ({
        ...(await issueToken(license, activation, input.productId ?? license.productId, tokenTtlSeconds(license, settings, now), now)),
        nextHeartbeatSeconds: heartbeatEvery(settings.heartbeatIntervalSeconds),
      }),
    });
    if (!result.ok) throw result.error;
    const { license, activation, seated } = result;
    const { token, expiresAt, nextHeartbeatSeconds } = await result.prepared;
    const floating = license.licenseType === 'floating';
    return {
      token,
      expiresAt: iso(expiresAt),
      licenseExpiresAt: iso(license.expiresAt),
      ...seatsOf(license),
      status: statusAt(license, now),
      productId: input.productId ?? license.productId,
      variant: license.variant,
      activationId: activation.activationId,
      firstSeen: iso(activation.firstSeen),
      message: seated ? 'Machine activated' : 'Machine already activated',
      licenseType: license.licenseType,
      ...(floating ? { leaseExpiresAt: iso(activation.leaseExpiresAt), nextHeartbeatSeconds } : {}),
      ...warningOf(license, now),
      serverTime: iso(now),
    };
  },
});

// importLicenses: licences brought from another system, each with the key its buyer already has
// (in that system's format: upper-cased, trimmed and then kept verbatim; only keys Seatkey mints
// carry its checksum), up to 500 a call. Every row goes through the one issuance service, so a
// product or variant that is not the caller's is refused for that row (not_found). Idempotent by
// key: a key imported before reports `existing` and changes nothing, however many imports overlap
// (the licence is a create(): exactly one commits). A key another creator holds is refused for
// that row only (`key_taken`), and says nothing about that licence. No buyer is emailed.
import { z } from 'zod';
import { fingerprintHash, cleanHostname, type ImportedMachine } from '../domain/activation.js';
import { SeatkeyError } from '../domain/errors.js';
import { seatLimitOf } from '../domain/license.js';
import { actingCreator, canSeeLicense, modeOf } from '../domain/scope.js';
import { adminEndpoint } from '../http/endpoint.js';
import { creatorId, identifier, isoDate, licenseKey, metadata } from '../http/fields.js';
import { issue } from '../licensing/issue.js';
import { machineFingerprint } from './clientFields.js';
import { licenseOrderFields } from './licenseFields.js';
import { count as integer } from '../http/replies.js';

const IMPORT_MAX_ROWS = 500;
/** Rows issued at once: enough to hide round trips, few enough not to swamp Firestore. */
const IN_FLIGHT = 16;

const machine = z.object({
  machineFingerprint: machineFingerprint(),
  hostname: z.string().max(4096).optional(),
  firstSeen: isoDate().optional(),
  lastSeen: isoDate().optional(),
});

const row = z.object({
  licenseKey: licenseKey(),
  ...licenseOrderFields,
  purchaseId: identifier().optional(),
  purchasedAt: isoDate().optional(),
  metadata: metadata().optional(),
  activations: z.array(machine).max(100).optional(),
});

type Row = z.output<typeof row>;

type RowResult =
  | { index: number; licenseKey: string; result: 'created' | 'existing' }
  | { index: number; licenseKey: string; result: 'refused'; code: string; error: string };

/** The row's machines, fingerprints hashed, one per machine (the first of a repeated one). */
function machinesOf(r: Row, now: Date): ImportedMachine[] {
  const seen = new Map<string, ImportedMachine>();
  for (const m of r.activations ?? []) {
    const fingerprint = fingerprintHash(m.machineFingerprint);
    const firstSeen = m.firstSeen ?? now;
    if (!seen.has(fingerprint)) seen.set(fingerprint, { fingerprint, hostname: cleanHostname(m.hostname), firstSeen, lastSeen: m.lastSeen ?? firstSeen });
  }
  return [...seen.values()];
}

export default adminEndpoint({
  response: z.looseObject({
    created: integer(),
    existing: integer(),
    refused: integer(),
    results: z.array(z.looseObject({ index: integer(), licenseKey: z.string().optional(), result: z.enum(['created', 'existing', 'refused']), code: z.string().optional(), error: z.string().optional() })),
  }),
  schema: z.object({
    creatorId: creatorId().optional(),
    licenses: z.array(row).min(1).max(IMPORT_MAX_ROWS),
  }),
  handle: async (input, { caller, now }) => {
    const owner = actingCreator(caller, input.creatorId, true);
    const importOne = async (r: Row, index: number): Promise<RowResult> => {
      const refused = (code: string, error: string): RowResult => ({ index, licenseKey: r.licenseKey, result: 'refused', code, error });
      const machines = machinesOf(r, now);
      try {
        const { license, created, product } = await issue(
          {
            scope: caller,
            creatorId: owner,
            productId: r.productId,
            email: r.email,
            variant: r.variant,
            licenseType: r.licenseType,
            maxMachines: r.maxMachines,
            maxConcurrent: r.maxConcurrent,
            expiresAt: r.expiresAt,
            purchaseId: r.purchaseId,
            purchasedAt: r.purchasedAt,
            metadata: r.metadata,
            licenseKey: r.licenseKey,
            machines,
            sandbox: modeOf(caller) === 'test',
            // Checked against the terms before anything is written.
            also: (_batch, l) => {
              const limit = l.licenseType === 'floating' ? null : seatLimitOf(l);
              if (limit !== null && machines.length > limit) throw new SeatkeyError('invalid_request', `${machines.length} activations exceed the licence's ${limit} seats`);
            },
          },
          now,
        );
        if (license.creatorId !== product.creatorId) return refused('key_taken', 'Another account already uses this key');
        // The creator's own key in the other mode (a test licence, seen by a live key): taken too, and nothing said about it.
        if (!canSeeLicense(caller, license)) return refused('key_taken', 'This key is already in use');
        if (license.licenseKey !== r.licenseKey) return refused('conflict', `purchaseId ${r.purchaseId} was already issued another licence`);
        return { index, licenseKey: r.licenseKey, result: created ? 'created' : 'existing' };
      } catch (e) {
        if (!(e instanceof SeatkeyError) || e.code === 'busy' || e.code === 'internal') throw e;
        return refused(e.code, e.message);
      }
    };
    const results: RowResult[] = new Array(input.licenses.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < input.licenses.length; i = next++) results[i] = await importOne(input.licenses[i]!, i);
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, input.licenses.length) }, worker));
    const count = (result: RowResult['result']) => results.filter((r) => r.result === result).length;
    return { created: count('created'), existing: count('existing'), refused: count('refused'), results };
  },
});

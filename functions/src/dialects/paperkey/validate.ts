// Paperkey `POST /v1/licenses/validate` (public key): whether a licence key is usable now and, with
// a `fingerprint`, whether that machine is activated on it. Served by the core's verify (read-only
// but for the machine's lastSeen). A licence that may not be used (revoked, expired, suspended, for
// another product) is an answer, not an error: 200 `{valid: false, reason, message}`.
import core from '../../endpoints/verify.js';
import { dialectRoute } from '../../http/endpoint.js';
import { paperkeyError, paperkeyRequest, NAMES } from './common.js';
import { inTheirWords } from '../shared.js';

const REFUSALS = new Set(['revoked', 'expired', 'suspended', 'deactivated', 'wrong_product']);

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: paperkeyRequest,
  // Paperkey's "per license on validate: 30 / min": the core's validate limit, counted on the key.
  keyLimit: 'validate',
  reply: (result, input: { licenseKey: string }) => ({
    body: {
      valid: true,
      license: {
        // Seatkey's licence is identified by its key.
        id: input.licenseKey,
        // Paperkey has one usable status; Seatkey's `grace` and `degraded` are usable too.
        status: 'active',
        expiresAt: result.expiresAt,
        activationsCount: result.machinesUsed,
        activationsLimit: Number(result.maxMachines) < 0 ? null : result.maxMachines,
        isActivated: result.isActivated === true,
        metadata: result.metadata && Object.keys(result.metadata).length > 0 ? result.metadata : null,
      },
    },
  }),
  error: (reply, error) =>
    REFUSALS.has(reply.code)
      ? { status: 200, body: { valid: false, reason: reply.code, message: inTheirWords(String(reply.body.error), NAMES) } }
      : paperkeyError(reply, error),
});

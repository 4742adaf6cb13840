// Paperkey `POST /v1/licenses/activate` (public key): binds a fingerprint to the licence.
// Idempotent: the same fingerprint again takes no new slot. Served by the core's activate; a
// full licence is 403 `activation_limit_reached`.
import core from '../../endpoints/activate.js';
import { dialectRoute } from '../../http/endpoint.js';
import { PAPERKEY_LIMITS, paperkeyError, paperkeyRequest, remaining } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: paperkeyRequest,
  licenseLimits: PAPERKEY_LIMITS,
  reply: (result, input: { machineFingerprint: string; hostname?: string | null }) => ({
    body: {
      success: true,
      activation: { id: result.activationId, fingerprint: input.machineFingerprint, name: input.hostname ?? null, createdAt: result.firstSeen },
      activationsRemaining: remaining(result),
    },
  }),
  error: paperkeyError,
});

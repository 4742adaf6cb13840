// Plan guide `POST /license/validate` (no auth): whether the licence is valid and active now, with
// its expiry, activation count and limit and metadata; with an `instance_id`, whether that instance
// is still active. Served by the core's verify (read-only but for the instance's last seen time).
// An expired or deactivated licence is `{valid: false, error, code}` (403), as the core answers.
import core from '../../endpoints/verify.js';
import { dialectRoute } from '../../http/endpoint.js';
import { keyAndInstance, licenseOf, planError } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: keyAndInstance,
  reply: (r, input: { licenseKey: string; activationId?: string }) => ({
    body: {
      valid: true,
      license: { ...licenseOf(input.licenseKey, r, r.expiresAt), metadata: r.metadata },
      ...(input.activationId !== undefined ? { instance: { id: input.activationId, active: r.isActivated === true } } : {}),
    },
  }),
  error: planError,
});

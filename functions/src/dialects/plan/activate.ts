// Plan guide `POST /license/activate` (no auth: the key is the credential): creates an activation
// instance and returns its instance ID. Each call is a new instance unless the app sends a stable
// `fingerprint` for the device (then the same device again is the same instance, taking no new
// slot). Served by the core's activate: it fails for an expired or deactivated licence and when the
// activation limit is reached.
import { randomUUID } from 'node:crypto';
import core from '../../endpoints/activate.js';
import { dialectRoute } from '../../http/endpoint.js';
import { renamed } from '../shared.js';
import { licenseOf, NAMES, planError } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: (fields) => {
    const { licenseKey, hostname, machineFingerprint } = renamed(fields, NAMES);
    // A new instance is a machine of its own to the core.
    return { licenseKey, hostname, machineFingerprint: machineFingerprint ?? `instance-${randomUUID()}` };
  },
  reply: (r, input: { licenseKey: string; hostname?: string | null }) => ({
    body: {
      success: true,
      activated: true,
      instance: { id: r.activationId, name: input.hostname ?? null, created_at: r.firstSeen },
      license: licenseOf(input.licenseKey, r, r.licenseExpiresAt),
      token: r.token,
    },
  }),
  error: planError,
});

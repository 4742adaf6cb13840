// License Verification Server `POST /api/v1/heartbeat` (tenant API key): touches the device's
// activation (its last seen time). Served by the core's heartbeat: a device that is not activated,
// or is blocked, is 403.
import core from '../../endpoints/heartbeat.js';
import { dialectRoute } from '../../http/endpoint.js';
import { renamed } from '../shared.js';
import { lvsError, NAMES, tenantKey } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: (fields) => {
    const { licenseKey, machineFingerprint, token } = renamed(fields, NAMES);
    return { licenseKey, machineFingerprint, token };
  },
  authorize: tenantKey('lvsHeartbeat'),
  reply: (r) => ({ body: { ok: true, next_heartbeat_seconds: r.nextHeartbeatSeconds, lease_expires_at: r.leaseExpiresAt ?? null } }),
  error: lvsError,
});

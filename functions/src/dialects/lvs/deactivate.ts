// License Verification Server `POST /api/v1/deactivate` (tenant API key): frees this device's seat.
// Served by the core's deactivate: past the licence's transfer limit it is 429 (nothing changes),
// and a blocked device is 403.
import core from '../../endpoints/deactivate.js';
import { dialectRoute } from '../../http/endpoint.js';
import { renamed } from '../shared.js';
import { lvsError, NAMES, seatsOf, tenantKey } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  // product_id is accepted and ignored: a seat is the licence's, whatever product it was taken for.
  request: (fields) => {
    const { licenseKey, machineFingerprint } = renamed(fields, NAMES);
    return { licenseKey, machineFingerprint };
  },
  authorize: tenantKey('lvsDeactivate'),
  reply: (r) => ({ body: { ok: true, ...seatsOf(r) } }),
  error: lvsError,
});

// License Verification Server `POST /api/v1/activate` (tenant API key): binds a machine to the
// licence for `product_id` and returns a signed licence token (Seatkey's session token: EdDSA,
// verifiable offline with /api/v1/pubkey). Served by the core's activate; a full licence is 409.
import core from '../../endpoints/activate.js';
import { dialectRoute } from '../../http/endpoint.js';
import { renamed } from '../shared.js';
import { lvsError, NAMES, tenantKey } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: (fields) => renamed(fields, NAMES),
  authorize: tenantKey('lvsActivate'),
  reply: (r) => ({
    body: {
      ok: true,
      token: r.token,
      token_expires_at: r.expiresAt,
      activation_id: r.activationId,
      product_id: r.productId,
      status: r.status,
      license_expires_at: r.licenseExpiresAt,
      seats_used: r.machinesUsed,
      seats_total: Number(r.maxMachines) < 0 ? null : r.maxMachines,
      message: r.message,
    },
  }),
  error: lvsError,
});

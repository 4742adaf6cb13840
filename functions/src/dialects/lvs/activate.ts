// License Verification Server `POST /api/v1/activate` (tenant API key): binds a machine to the
// licence for `product_id` and returns a signed licence token (Seatkey's session token: EdDSA,
// verifiable offline with /api/v1/pubkey). Served by the core's activate; a full licence is 409.
import core from '../../endpoints/activate.js';
import { dialectRoute } from '../../http/endpoint.js';
import { renamed } from '../shared.js';
import { lvsError, NAMES, tenantKey, withToken } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: (fields) => renamed(fields, NAMES),
  authorize: tenantKey('lvsActivate'),
  reply: (r) => ({ body: { ...withToken(r), message: r.message } }),
  error: lvsError,
});

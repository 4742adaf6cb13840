// License Verification Server `POST /api/v1/verify` (tenant API key): checks the licence and this
// device's activation and returns a fresh signed token; with a cached `token` the key and product
// come from it. Served by the core's validate. The device must hold an activation: a good licence
// the device is not activated on is 403, as the server documents.
import core from '../../endpoints/validate.js';
import { dialectRoute } from '../../http/endpoint.js';
import { renamed } from '../shared.js';
import { lvsError, NAMES, tenantKey, withToken } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: (fields) => renamed(fields, NAMES),
  authorize: tenantKey('lvsVerify'),
  reply: (r) =>
    r.isActivated === true
      ? { body: withToken(r) }
      : { status: 403, body: { ok: false, error: 'This device is not activated on this licence; activate it first', code: 'not_activated' } },
  error: lvsError,
});

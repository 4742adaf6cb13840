// Paperkey `POST /v1/licenses/deactivate` (public key): releases a fingerprint's slot so the
// customer can move to another machine. Served by the core's deactivate (a freed seat counts as a
// transfer where the licence limits them: 429 `transfer_limit`).
import core from '../../endpoints/deactivate.js';
import { dialectRoute } from '../../http/endpoint.js';
import { PAPERKEY_LIMITS, paperkeyError, paperkeyRequest, remaining } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: paperkeyRequest,
  licenseLimits: PAPERKEY_LIMITS,
  reply: (result) => ({ body: { success: true, activationsRemaining: remaining(result) } }),
  error: paperkeyError,
});

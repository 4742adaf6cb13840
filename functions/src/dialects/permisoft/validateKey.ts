// Permisoft `POST /api/v1/publisher/keys/validate` (Bearer ps_live_…/ps_test_…, the publisher's
// backend or support tooling): what a key is, without activating it. Served by the core's
// getLicense with `facts`: UNUSED / ACTIVATED / REVOKED, the product, when it was first activated,
// the key masked, and whether it is a test (sandbox) licence. A key that cannot be one (bad format)
// and one that is not the publisher's are answers, not errors: 200 `{valid: false, reason}`.
import core from '../../endpoints/getLicense.js';
import { dialectRoute } from '../../http/endpoint.js';
import { renamed } from '../shared.js';
import { permisoftRefusal, publisherApiKey } from './common.js';

const NAMES = { key: 'licenseKey' } as const;

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: (fields, header) => ({ ...renamed(fields, NAMES), facts: true, apiKey: publisherApiKey(header) }),
  reply: (result) => ({ body: { valid: true, ...(result.facts as Record<string, unknown>) } }),
  error: (reply, _error, fields) => {
    if (reply.code === 'not_found') return { status: 200, body: { valid: false, reason: 'not_found' } };
    const badKey = reply.code === 'invalid_request' && typeof fields?.key === 'string' && /\blicenseKey\b/.test(String(reply.body.error));
    if (badKey) return { status: 200, body: { valid: false, reason: 'invalid_format' } };
    return permisoftRefusal(reply, NAMES);
  },
});

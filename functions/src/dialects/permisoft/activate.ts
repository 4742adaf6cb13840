// Permisoft `POST /api/keys/activate` (no auth, limited per IP): binds the key to a machine and
// returns a session token. Served by the core's activate: `key` is the licence key, `machineId` the
// fingerprint, `machineLabel` the label, `productSlug` the product the licence must cover.
import core from '../../endpoints/activate.js';
import { dialectRoute } from '../../http/endpoint.js';
import { clientSettings } from '../../store/productSettings.js';
import { renamed } from '../shared.js';
import { permisoftRefusal } from './common.js';

const NAMES = { key: 'licenseKey', machineId: 'machineFingerprint', machineLabel: 'machineLabel', productSlug: 'productId' } as const;

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: (fields) => renamed(fields, NAMES),
  reply: async (result) => {
    const productSlug = String(result.productId);
    const { creatorId } = await clientSettings(productSlug);
    return {
      body: {
        valid: true,
        message: 'Activation successful',
        // Seatkey licences are for a product (a bundle's extra products are named with productSlug).
        scope: 'PRODUCT',
        productSlug,
        activationToken: result.token,
        tokenExpiresAt: result.expiresAt,
        publisherSlug: creatorId,
        activationId: result.activationId,
        licenseExpiresAt: result.licenseExpiresAt,
      },
    };
  },
  error: (reply) => permisoftRefusal(reply, NAMES),
});

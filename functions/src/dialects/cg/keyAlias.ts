// CG Lounge clients read a licence's key as `key`; the core names it `licenseKey` only. The CG
// routes that return licences serve the core endpoint and add `key` beside `licenseKey` on the
// licence (`license`) or licences (`licenses`) of the reply.
import { dialectRoute, type Endpoint, type DialectRoute } from '../../http/endpoint.js';

type Licence = Record<string, unknown> & { licenseKey?: unknown };

const aliased = (l: unknown): unknown => (l && typeof l === 'object' && 'licenseKey' in l ? { ...(l as Licence), key: (l as Licence).licenseKey } : l);

/** The core endpoint `endpoint`, its licences carrying CG's `key`. */
export const withKeyAlias = (endpoint: Endpoint): DialectRoute =>
  dialectRoute({
    endpoint,
    reply: (r) => ({
      body: {
        success: true,
        ...r,
        ...('license' in r ? { license: aliased(r.license) } : {}),
        ...(Array.isArray(r.licenses) ? { licenses: r.licenses.map(aliased) } : {}),
      },
    }),
  });

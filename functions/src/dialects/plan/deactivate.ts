// Plan guide `POST /license/deactivate` (no auth): removes one instance, by licence key and instance
// ID, freeing its slot; the licence stays valid for its other instances and can be activated
// again. Served by the core's deactivate.
import core from '../../endpoints/deactivate.js';
import { dialectRoute } from '../../http/endpoint.js';
import { activationsOf, keyAndInstance, planError } from './common.js';

export default dialectRoute({
  endpoint: core,
  methods: ['POST'],
  request: keyAndInstance,
  reply: (r, input: { licenseKey: string }) => ({ body: { success: true, deactivated: true, license: { key: input.licenseKey, ...activationsOf(r) } } }),
  error: planError,
});

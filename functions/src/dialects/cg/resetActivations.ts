// CG Lounge `resetActivations`: the core's resetActivations, its count under CG's name `deletedCount`.
import core from '../../endpoints/resetActivations.js';
import { dialectRoute } from '../../http/endpoint.js';

export default dialectRoute({
  endpoint: core,
  reply: (r) => ({ body: { success: true, deletedCount: r.activationsRemoved } }),
});

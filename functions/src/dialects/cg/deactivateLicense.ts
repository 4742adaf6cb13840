// CG Lounge `deactivateLicense`: the core's deactivateLicense, its licence with CG's `key` beside `licenseKey`.
import core from '../../endpoints/deactivateLicense.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

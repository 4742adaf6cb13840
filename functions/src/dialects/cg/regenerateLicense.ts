// CG Lounge `regenerateLicense`: the core's regenerateLicense, its licence with CG's `key` beside `licenseKey`.
import core from '../../endpoints/regenerateLicense.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

// CG Lounge `resolveLicense`: the core's resolveLicense, its licence with CG's `key` beside `licenseKey`.
import core from '../../endpoints/resolveLicense.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

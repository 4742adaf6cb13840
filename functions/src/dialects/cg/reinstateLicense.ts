// CG Lounge `reinstateLicense`: the core's reinstateLicense, its licence with CG's `key` beside `licenseKey`.
import core from '../../endpoints/reinstateLicense.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

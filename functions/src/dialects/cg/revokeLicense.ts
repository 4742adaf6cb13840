// CG Lounge `revokeLicense`: the core's revokeLicense, its licence with CG's `key` beside `licenseKey`.
import core from '../../endpoints/revokeLicense.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

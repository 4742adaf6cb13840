// CG Lounge `updateLicense`: the core's updateLicense, its licence with CG's `key` beside `licenseKey`.
import core from '../../endpoints/updateLicense.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

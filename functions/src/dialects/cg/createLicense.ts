// CG Lounge `createLicense`: the core's createLicense, its licence with CG's `key` beside `licenseKey`.
import core from '../../endpoints/createLicense.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

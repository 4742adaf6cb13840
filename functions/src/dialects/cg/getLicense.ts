// CG Lounge `getLicense`: the core's getLicense, its licence with CG's `key` beside `licenseKey`.
import core from '../../endpoints/getLicense.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

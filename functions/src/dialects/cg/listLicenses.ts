// CG Lounge `listLicenses`: the core's listLicenses, its licences with CG's `key` beside `licenseKey`.
import core from '../../endpoints/listLicenses.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

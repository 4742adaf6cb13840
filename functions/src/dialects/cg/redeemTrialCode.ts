// CG Lounge `redeemTrialCode`: the core's redeemTrialCode, its licence with CG's `key` beside `licenseKey`.
import core from '../../endpoints/redeemTrialCode.js';
import { withKeyAlias } from './keyAlias.js';

export default withKeyAlias(core);

// licenses/{licenseKey}/activity/activations: the recent activation attempts the threat detectors
// read. Kept apart from the licence document so `verify`'s one read stays small.
import type { ActivationActivity } from '../domain/threats.js';
import { SUB } from './collections.js';
import { converter } from './firestore.js';
import { licenseRef } from './licenses.js';

export const activityRef = async (licenseKey: string) =>
  (await licenseRef(licenseKey)).collection(SUB.activity).doc('activations').withConverter(converter<ActivationActivity>());

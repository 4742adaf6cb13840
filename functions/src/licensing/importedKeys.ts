// Keys other systems minted in Seatkey's own shape (Permisoft's `MYAPP-A3B7-K9D2-M4F8-42`): such a
// key whose check value fails is a mistyped Seatkey key unless a licence was imported under it. A
// request naming one goes on only if that licence exists and the caller may see it; otherwise it is
// refused as the typo it would be (the pipeline's 400), so the answer says nothing about keys that
// exist but are another creator's.
import { canSeeLicense, type Caller } from '../domain/scope.js';
import { getLicenseRecord } from '../store/licenses.js';

/** Whether a licence was imported under `key` (domain/licenseKey.ts uncheckedKey) that `caller`, if any, may see. */
export async function importedUnder(key: string, caller: Caller | undefined): Promise<boolean> {
  const license = await getLicenseRecord(key);
  return license !== undefined && (caller === undefined || canSeeLicense(caller, license));
}

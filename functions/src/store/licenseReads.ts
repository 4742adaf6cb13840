// A request-scoped check on every licence a request reads. A client request's rules that depend
// on which licence it names (the publishable key: licensing/publishable.ts) are judged on the
// licence the handler reads anyway, at the moment it is read and before anything is decided or
// written, instead of by a read of its own ahead of the handler. Outside such a request (admin
// calls, jobs) nothing is checked.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LicenseRecord } from '../domain/license.js';

export type LicenseCheck = (license: LicenseRecord) => Promise<void>;

const checks = new AsyncLocalStorage<LicenseCheck>();

/** Runs `fn` with `check` applied to every licence read inside it (transactions included). */
export const checkingLicenseReads = <T>(check: LicenseCheck, fn: () => Promise<T>): Promise<T> => checks.run(check, fn);

/** The licence just read, once the current request's check (if any) admits it. */
export async function checked(license: LicenseRecord | undefined): Promise<LicenseRecord | undefined> {
  const check = license && checks.getStore();
  if (check) await check(license);
  return license;
}

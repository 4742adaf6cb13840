// What a scheduled job may touch. In production a job runs over everything; a test runs it over
// its own licences only (called in-process with a scope), so test files that run at the same
// time never see each other's jobs end their leases, delete their counters or move a shared
// cursor. Pure: no I/O.

export interface JobScope {
  /** The licences the run may act on. */
  licenseKeys: readonly string[];
}

/** Whether a run with `scope` (undefined: everything) may act on the licence. */
export const inScope = (scope: JobScope | undefined, licenseKey: string): boolean => scope === undefined || scope.licenseKeys.includes(licenseKey);

/** A stable name for a scope, for the progress a scoped run keeps apart from the real job's. */
export const scopeName = (scope: JobScope): string => [...scope.licenseKeys].sort().join(',');

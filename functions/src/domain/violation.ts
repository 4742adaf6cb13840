// Violations: suspicious use of a licence, each raising its threat level until resolved.

/** licenses/{licenseKey}/violations/{id} */
export interface ViolationRecord {
  id: string;
  type: string;
  /** 1 warning, 2 degraded, 3 suspended. */
  severity: 1 | 2 | 3;
  detectedAt: Date;
  resolved: boolean;
  resolvedAt: Date | null;
  details: Record<string, unknown>;
}

/** The level a set of violations puts a licence at: the highest unresolved severity. */
export const violationLevelOf = (violations: readonly Pick<ViolationRecord, 'severity' | 'resolved'>[]): number =>
  violations.reduce((level, v) => (v.resolved ? level : Math.max(level, v.severity)), 0);

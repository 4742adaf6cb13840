// Threat detection: the activation patterns that flag a violation, their per-product thresholds,
// and how a new violation escalates a licence's threat level. Pure: no I/O.
//
// The detectors watch per-machine licences with a seat limit, the only kind where sharing a key
// beyond its seats is the abuse: floating licences enforce concurrency themselves and site or
// unlimited licences have no seat to share.
import { randomToken } from './crypto.js';
import { THREAT, seatLimitOf, type LicenseRecord } from './license.js';
import type { ViolationRecord } from './violation.js';

export const DETECTORS = ['overLimitAttempts', 'machineChurn', 'rapidActivations'] as const;
export type Detector = (typeof DETECTORS)[number];

/** The violation `type` each detector flags. */
export const VIOLATION_TYPES: Record<Detector, string> = {
  overLimitAttempts: 'activation_attempts_over_limit',
  machineChurn: 'machine_churn',
  rapidActivations: 'rapid_activations',
};

export type Severity = 1 | 2 | 3;

export interface ThresholdRule {
  /** How many (see each detector) within the window flag a violation. */
  count: number;
  windowMinutes: number;
  /** The violation's severity on a licence with no unresolved violation. */
  severity: Severity;
}

/** A product's thresholds; null switches a detector off. */
export type ViolationThresholds = Record<Detector, ThresholdRule | null>;

export const DEFAULT_THRESHOLDS: ViolationThresholds = {
  /** Activations refused with machine_limit: 10 within a day (a warning). */
  overLimitAttempts: { count: 10, windowMinutes: 24 * 60, severity: 1 },
  /** Distinct machines given a seat beyond the seat limit: 5 within 30 days (degraded). */
  machineChurn: { count: 5, windowMinutes: 30 * 24 * 60, severity: 2 },
  /** Distinct machines trying to activate beyond the seat limit: 5 within an hour (degraded). */
  rapidActivations: { count: 5, windowMinutes: 60, severity: 2 },
};

/** Bounds for thresholds, so the attempts kept (ACTIVITY_MAX_ATTEMPTS) always cover a rule. */
export const THRESHOLD_COUNT_MAX = 50;
export const THRESHOLD_WINDOW_MAX_MINUTES = 90 * 24 * 60;
export const ACTIVITY_MAX_ATTEMPTS = 100;

/** The thresholds that apply: the product's own where it set them, else the defaults. */
export function thresholdsOf(own: Partial<ViolationThresholds> | null | undefined): ViolationThresholds {
  const out = { ...DEFAULT_THRESHOLDS };
  for (const d of DETECTORS) if (own?.[d] !== undefined) out[d] = own[d];
  return out;
}

/** One activation by a machine that held no seat (re-activating a seated machine is not one). */
export interface ActivationAttempt {
  /** A prefix of the machine's fingerprint hash: enough to count distinct machines. */
  fp: string;
  at: Date;
  /** `seated`: took a seat; `refused`: turned away at the seat limit. */
  outcome: 'seated' | 'refused';
}

/** licenses/{key}/activity/activations: the recent attempts the detectors read. */
export interface ActivationActivity {
  attempts: ActivationAttempt[];
  /** When each detector last flagged: it then counts only later attempts, so a burst flags once. */
  flaggedAt: Partial<Record<Detector, Date>>;
}

export const emptyActivity = (): ActivationActivity => ({ attempts: [], flaggedAt: {} });

/** True when the detectors watch this licence. */
export const watched = (l: Pick<LicenseRecord, 'licenseType' | 'maxMachines' | 'maxConcurrent'>): boolean =>
  l.licenseType === 'per-machine' && seatLimitOf(l) !== null;

/** The activity with `attempt` added and attempts older than every enabled window dropped. */
export function withAttempt(activity: ActivationActivity, attempt: ActivationAttempt, thresholds: ViolationThresholds): ActivationActivity {
  const longest = Math.max(0, ...DETECTORS.map((d) => thresholds[d]?.windowMinutes ?? 0));
  const oldest = attempt.at.getTime() - longest * 60_000;
  const attempts = [...activity.attempts.filter((a) => a.at.getTime() > oldest), attempt].slice(-ACTIVITY_MAX_ATTEMPTS);
  return { attempts, flaggedAt: activity.flaggedAt };
}

export interface Finding {
  detector: Detector;
  details: Record<string, unknown>;
}

const distinct = (attempts: readonly ActivationAttempt[]): number => new Set(attempts.map((a) => a.fp)).size;

/** What the activity shows against the thresholds, for a licence with `seatLimit` seats. */
export function detect(activity: ActivationActivity, seatLimit: number, thresholds: ViolationThresholds, now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const detector of DETECTORS) {
    const rule = thresholds[detector];
    if (!rule) continue;
    const since = Math.max(now.getTime() - rule.windowMinutes * 60_000, activity.flaggedAt[detector]?.getTime() ?? -Infinity);
    const recent = activity.attempts.filter((a) => a.at.getTime() > since);
    const window = { windowMinutes: rule.windowMinutes, threshold: rule.count };
    if (detector === 'overLimitAttempts') {
      const refused = recent.filter((a) => a.outcome === 'refused').length;
      if (refused >= rule.count) findings.push({ detector, details: { refusedAttempts: refused, seatLimit, ...window } });
    } else {
      const machines = distinct(detector === 'machineChurn' ? recent.filter((a) => a.outcome === 'seated') : recent);
      if (machines - seatLimit >= rule.count) findings.push({ detector, details: { distinctMachines: machines, seatLimit, ...window } });
    }
  }
  return findings;
}

/**
 * The severity a new violation gets: its rule's on a clean licence; one level above the current
 * level on a licence with unresolved violations, so repeated abuse escalates to suspension.
 */
export const escalated = (level: number, severity: Severity): Severity =>
  (level > 0 ? Math.min(THREAT.suspended, Math.max(severity, level + 1)) : severity) as Severity;

export interface Flagged {
  license: LicenseRecord;
  activity: ActivationActivity;
  violations: ViolationRecord[];
}

/** The licence and activity after flagging `findings`, and the violations to store. */
export function flag(license: LicenseRecord, activity: ActivationActivity, findings: readonly Finding[], thresholds: ViolationThresholds, now: Date): Flagged {
  let level = license.violationLevel;
  const flaggedAt = { ...activity.flaggedAt };
  const violations: ViolationRecord[] = [];
  for (const { detector, details } of findings) {
    const severity = escalated(level, thresholds[detector]?.severity ?? 1);
    level = Math.max(level, severity);
    flaggedAt[detector] = now;
    violations.push({ id: `vio_${randomToken(12)}`, type: VIOLATION_TYPES[detector], severity, detectedAt: now, resolved: false, resolvedAt: null, details });
  }
  return {
    license: {
      ...license,
      violationLevel: level,
      unresolvedViolationsCount: license.unresolvedViolationsCount + violations.length,
      updatedAt: violations.length > 0 ? now : license.updatedAt,
    },
    activity: { attempts: activity.attempts, flaggedAt },
    violations,
  };
}

// Reusable field schemas. GET requests carry every field as a string, so numbers and booleans
// also accept their string forms; everything else is as strict as the contract.
import { z } from 'zod';
import { CREATOR_ID_PATTERN } from '../domain/creator.js';
import { EARLIEST_TIME, LATEST_TIME, storable } from '../domain/duration.js';
import { invalidRequest, type SeatkeyError } from '../domain/errors.js';
import { licenseKeyForm } from '../domain/licenseKey.js';
import { LICENSE_TYPES, PRODUCT_STATUSES, SLUG_PATTERN } from '../domain/product.js';
import { describeIssues } from './issues.js';

const fromQueryNumber = (v: unknown) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);
const fromQueryBoolean = (v: unknown) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v);

/** An integer in [min, max]; "7" is accepted for 7. */
export const int = (min: number, max: number) => z.preprocess(fromQueryNumber, z.number().int().min(min).max(max));

export const bool = () => z.preprocess(fromQueryBoolean, z.boolean());

/** A non-empty trimmed string of at most `max` characters. */
export const text = (max: number) => z.string().trim().min(1).max(max);

export const email = () =>
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'must be an email address' }).max(254));

export const creatorId = () =>
  z.string().trim().toLowerCase().regex(CREATOR_ID_PATTERN, 'must be 1-63 lower-case letters, digits, - or _');

export const slug = () =>
  z.string().trim().toLowerCase().regex(SLUG_PATTERN, 'must be lower-case letters, digits and dashes (at most 64)');

export const licenseType = () => z.enum(LICENSE_TYPES);
export const productStatus = () => z.enum(PRODUCT_STATUSES);

/** -1 (unlimited) or a positive machine count. */
export const maxMachines = () =>
  int(-1, 1_000_000).refine((n) => n !== 0, 'must be -1 (unlimited) or at least 1');

export const maxConcurrent = () => int(1, 1_000_000);

const day = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * An ISO 8601 date-time with an offset, or a date (midnight UTC), within the times Seatkey
 * stores (1970 to 9999; a Firestore timestamp holds no other).
 */
export const isoDate = () =>
  z
    .string()
    .trim()
    .refine((s) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(s) && !Number.isNaN(Date.parse(s)), {
      message: 'must be an ISO 8601 date or date-time with a time zone',
    })
    .transform((s) => new Date(s))
    .refine(storable, `must be between ${day(EARLIEST_TIME)} and ${day(LATEST_TIME)}`);

/** The longest duration of each unit: a hundred years. */
export const DURATION_MAX = { days: 36_500, months: 1_200, years: 100 } as const;

export const duration = () =>
  z
    .object({
      value: int(1, DURATION_MAX.days),
      unit: z.enum(['days', 'months', 'years']),
    })
    .refine((d) => d.value <= DURATION_MAX[d.unit], {
      message: `must be at most a hundred years (${DURATION_MAX.years} years, ${DURATION_MAX.months} months or ${DURATION_MAX.days} days)`,
      path: ['value'],
    });

export const durationDays = () => int(1, 36_500);

/** Days after its expiry a licence keeps working (status `grace`). */
export const graceDays = () => int(0, 365);

/** Seat-freeing transfers a licence allows per 30 days; null: no limit. */
export const maxTransfers = () => int(0, 10_000).nullable();

/** A comma-separated list (or an array) of allowed values. */
export const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
    z.array(z.enum(values)).min(1),
  );

/** Levels of maps and arrays metadata may nest: well within Firestore's 20 for a whole document. */
export const METADATA_MAX_DEPTH = 10;

/** A map key Firestore stores: not empty, and not of the reserved form `__name__`. */
const storableKey = (k: string): boolean => k.length > 0 && !/^__.*__$/.test(k);

/**
 * Why Firestore would refuse this JSON value inside metadata, with the path to the first
 * offending part: a key it cannot store, an array directly inside an array, or too deep a nesting.
 */
function unstorable(value: unknown, path: (string | number)[], depth: number, inArray: boolean): { path: (string | number)[]; message: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > METADATA_MAX_DEPTH) return { path, message: `nests deeper than ${METADATA_MAX_DEPTH} levels` };
  if (Array.isArray(value)) {
    if (inArray) return { path, message: 'arrays must not hold arrays' };
    for (const [i, v] of value.entries()) {
      const found = unstorable(v, [...path, i], depth + 1, true);
      if (found) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(value)) {
    if (!storableKey(k)) return { path: [...path, k], message: 'keys must not be empty or look like __name__' };
    if (k.length > 100) return { path: [...path, k.slice(0, 20)], message: 'keys must be at most 100 characters' };
    const found = unstorable(v, [...path, k], depth + 1, false);
    if (found) return found;
  }
  return undefined;
}

/** A creator's free-form JSON object, stored as given: at most 50 keys, and nothing Firestore refuses. */
export const metadata = () =>
  z
    .record(z.string(), z.unknown())
    .refine((m) => Object.keys(m).length <= 50, 'at most 50 keys')
    .superRefine((m, ctx) => {
      const found = unstorable(m, [], 1, false);
      if (found) ctx.addIssue({ code: 'custom', path: found.path, message: found.message });
    });

/** `durationDays` or `duration` (null clears either); used by products, variants and licences. */
export const durationFields = {
  durationDays: durationDays().nullable().optional(),
  duration: duration().nullable().optional(),
};

/** The duration a request gives: undefined if it names none, null if it clears it. */
export function durationOf(input: {
  durationDays?: number | null | undefined;
  duration?: { value: number; unit: 'days' | 'months' | 'years' } | null | undefined;
}): { value: number; unit: 'days' | 'months' | 'years' } | null | undefined {
  if (input.duration !== undefined) return input.duration;
  if (input.durationDays === undefined) return undefined;
  return input.durationDays === null ? null : { value: input.durationDays, unit: 'days' };
}

/** Refuses a request that gives both `durationDays` and `duration`. */
export const oneDuration = (v: { durationDays?: unknown; duration?: unknown }) =>
  v.durationDays === undefined || v.duration === undefined;
export const ONE_DURATION = { message: 'give durationDays or duration, not both', path: ['duration'] };

const MISTYPED_KEY = 'is not a valid licence key (check it for typos)';

/**
 * A licence key in any typed form, normalised to the form it is stored under: a Seatkey key
 * canonical, any other upper-cased and trimmed (domain/licenseKey.ts licenseKeyForm). What can be
 * no key is refused here, before any Firestore read; a key of Seatkey's shape whose check value
 * fails passes only if a licence was imported under it (the pipeline asks licensing/importedKeys.ts).
 */
export const licenseKey = () =>
  z
    .string()
    .max(100)
    .transform((s, ctx) => {
      const key = licenseKeyForm(s);
      if (key === null) {
        ctx.addIssue({ code: 'custom', message: MISTYPED_KEY });
        return z.NEVER;
      }
      return key;
    });

/** The refusal of a mistyped `licenseKey`: the very 400 the schema gives a key that can be none. */
export function mistypedKey(): SeatkeyError {
  const issue = { code: 'custom', path: ['licenseKey'], message: MISTYPED_KEY };
  return invalidRequest(describeIssues([issue]), { issues: [{ path: 'licenseKey', message: MISTYPED_KEY }] });
}

/**
 * Caller-chosen identifiers and ids the caller sends back (purchase ids, codes, webhook ids):
 * printable, no slashes, and never a name Firestore reserves for documents (`.`, `..`, `__x__`).
 */
export const identifier = (max = 200) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^/\s]+$/, 'must not contain spaces or slashes')
    .refine((s) => s !== '.' && s !== '..' && !/^__.*__$/.test(s), 'is not a valid identifier');

/** Both dates, when both parsed (zod runs refinements even when a field failed). */
const bothDates = (v: unknown): [Date, Date] | undefined => {
  const { from, to } = v as { from: unknown; to: unknown };
  return from instanceof Date && to instanceof Date ? [from, to] : undefined;
};

/** `from` and `to` (both included, `from` not after `to`), spanning at most `maxDays` UTC days. */
export const dateRange = <S extends z.ZodRawShape>(maxDays: number, daysBetween: (from: Date, to: Date) => number, rest: S) =>
  z
    .object({ from: isoDate(), to: isoDate(), ...rest })
    .refine((v) => { const d = bothDates(v); return !d || d[0].getTime() <= d[1].getTime(); }, { message: 'must not be after to', path: ['from'] })
    .refine((v) => { const d = bothDates(v); return !d || daysBetween(d[0], d[1]) <= maxDays; }, { message: `the range may span at most ${maxDays} days`, path: ['to'] });

/** An ISO 4217 currency code, any case in, upper-case out. */
export const currency = () =>
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

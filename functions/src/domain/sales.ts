// The sales ledger's arithmetic: platform fees, the calendar buckets running totals are kept in,
// and how a date range is covered by the fewest buckets. Pure: no I/O.

/**
 * What one ledger entry records. A chargeback is money taken back like a refund, by the bank;
 * `chargeback_won` is a chargeback's money coming back when the seller wins the dispute.
 */
export const SALE_KINDS = ['purchase', 'renewal', 'refund', 'chargeback', 'chargeback_won'] as const;
export type SaleKind = (typeof SALE_KINDS)[number];

/** sales/{id}: one entry of the ledger, written in the same commit as the change it pays for. */
export interface SaleRecord {
  id: string;
  kind: SaleKind;
  creatorId: string;
  productId: string;
  purchaseId: string;
  licenseKey: string | null;
  /** Always positive; the kind says which way the money went. */
  amountCents: number;
  currency: string;
  /** The platform fee charged (purchase, renewal); 0 on a refund or chargeback, which keeps it. */
  feeCents: number;
  /** The fee rate this entry was charged at, in basis points (5 % = 500). */
  feeBasisPoints: number;
  occurredAt: Date;
  /** A renewal: the billing period it paid for, when the licence has a duration. */
  period?: { start: Date; end: Date };
}

/** The counters a totals bucket keeps for one currency. */
export interface SalesCounts {
  unitsSold: number;
  renewals: number;
  refunds: number;
  grossCents: number;
  refundedCents: number;
  platformFeeCents: number;
}

export const ZERO_COUNTS: Readonly<SalesCounts> = { unitsSold: 0, renewals: 0, refunds: 0, grossCents: 0, refundedCents: 0, platformFeeCents: 0 };

/** How one ledger entry changes its buckets' counters. */
export function countsOf(sale: Pick<SaleRecord, 'kind' | 'amountCents' | 'feeCents'>): Partial<SalesCounts> {
  switch (sale.kind) {
    case 'purchase':
      return { unitsSold: 1, grossCents: sale.amountCents, platformFeeCents: sale.feeCents };
    case 'renewal':
      return { renewals: 1, grossCents: sale.amountCents, platformFeeCents: sale.feeCents };
    case 'refund':
    case 'chargeback':
      // The platform keeps its fee on money given back, as Stripe and Lemon Squeezy do.
      return { refunds: 1, refundedCents: sale.amountCents };
    case 'chargeback_won':
      // Undoes its chargeback, in the buckets of the day the dispute was won.
      return { refunds: -1, refundedCents: -sale.amountCents };
  }
}

/**
 * A fee percentage as configured ("5", "2.9", "0") in basis points. Percent with at most two
 * decimals, so every fee is an exact integer computation.
 */
export function feeBasisPoints(percent: string): number {
  const text = percent.trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text)) throw new Error(`PLATFORM_FEE_PERCENT must be a percentage like 5 or 2.9, not "${percent}"`);
  const bp = Math.round(Number(text) * 100);
  if (bp > 10_000) throw new Error('PLATFORM_FEE_PERCENT must be at most 100');
  return bp;
}

/** The fee on `amountCents` at `basisPoints`, rounded half up to a whole cent. */
export const feeCents = (amountCents: number, basisPoints: number): number => Math.floor((amountCents * basisPoints + 5000) / 10_000);

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The UTC day of an instant: 2026-05-14. */
export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** The three buckets an instant counts in: its UTC day, month and year. */
export function bucketsOf(d: Date): [string, string, string] {
  const y = d.getUTCFullYear();
  const m = pad(d.getUTCMonth() + 1);
  return [`d:${y}-${m}-${pad(d.getUTCDate())}`, `m:${y}-${m}`, `y:${y}`];
}

/** The key range of the year buckets (`y:2026`): from, included, until, excluded. */
export const YEAR_KEYS = { from: 'y:', until: 'y;' } as const;

/**
 * The key ranges of the buckets whose period ended before `closedBefore` (whole UTC days, months
 * and years), per kind: from the kind's first key (or `after`, where a previous run stopped),
 * included, to the first open period's key, excluded. No sale is dated in such a period any more
 * (a sale is dated when the server records it), so its shards can be folded into one document.
 */
export function closedKeyRanges(closedBefore: Date, after: Partial<Record<'d' | 'm' | 'y', string>> = {}): { kind: 'd' | 'm' | 'y'; from: string; until: string }[] {
  const [day, month, year] = bucketsOf(closedBefore);
  return [
    { kind: 'd' as const, from: after.d ?? 'd:', until: day },
    { kind: 'm' as const, from: after.m ?? 'm:', until: month },
    { kind: 'y' as const, from: after.y ?? 'y:', until: year },
  ].filter((r) => r.from < r.until);
}

/** The longest range getStats covers, so a request always reads a bounded number of buckets. */
export const MAX_RANGE_DAYS = 3660;

/**
 * The fewest buckets that exactly cover the UTC days from `from` to `to`, both included: whole
 * years where the range holds them, then whole months, then single days at the edges. Any range
 * within MAX_RANGE_DAYS needs at most about 90 buckets, however many sales it holds.
 */
export function bucketsCovering(from: Date, to: Date): string[] {
  const last = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  let day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const keys: string[] = [];
  while (day <= last) {
    const d = new Date(day);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    const first = d.getUTCDate() === 1;
    if (first && m === 0 && Date.UTC(y, 11, 31) <= last) {
      keys.push(`y:${y}`);
      day = Date.UTC(y + 1, 0, 1);
    } else if (first && Date.UTC(y, m + 1, 0) <= last) {
      keys.push(`m:${y}-${pad(m + 1)}`);
      day = Date.UTC(y, m + 1, 1);
    } else {
      keys.push(`d:${dayOf(d)}`);
      day += DAY_MS;
    }
  }
  return keys;
}

/** Whole UTC days from `from` to `to`, both included. */
export const daysBetween = (from: Date, to: Date): number =>
  Math.floor((Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()) - Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate())) / DAY_MS) + 1;

/** One totals bucket as stored: sales counters for one currency, or (currency null) licences issued. */
export interface TotalsBucket extends Partial<SalesCounts> {
  creatorId: string;
  productId: string;
  currency: string | null;
  key: string;
  licensesIssued?: number;
}

/**
 * How many documents each totals bucket is spread over. A product selling 20 times a second
 * would otherwise send 20 increments a second to its day's (and month's, and year's) document,
 * far past Firestore's guidance of about one sustained write a second per document; each sale
 * adds to one shard picked at random, and a reader sums the shards of a bucket (mergeShards).
 * Only shards that were written exist, so a quiet product's bucket is one or two documents.
 */
export const TOTALS_SHARDS = 10;

const COUNTERS = ['unitsSold', 'renewals', 'refunds', 'grossCents', 'refundedCents', 'platformFeeCents', 'licensesIssued'] as const;

/** The shards of each bucket (same creator, product, currency and key) summed into one. */
export function mergeShards(shards: readonly TotalsBucket[]): TotalsBucket[] {
  const merged = new Map<string, TotalsBucket>();
  for (const s of shards) {
    const id = JSON.stringify([s.creatorId, s.productId, s.currency, s.key]);
    const into = merged.get(id);
    if (!into) {
      merged.set(id, { creatorId: s.creatorId, productId: s.productId, currency: s.currency, key: s.key, ...Object.fromEntries(COUNTERS.flatMap((c) => (s[c] === undefined ? [] : [[c, s[c]]]))) });
      continue;
    }
    for (const c of COUNTERS) if (s[c] !== undefined) into[c] = (into[c] ?? 0) + s[c]!;
  }
  return [...merged.values()];
}

export interface MoneySummary extends SalesCounts {
  netCents: number;
}

export interface ProductSummary extends MoneySummary {
  productId: string;
  licensesIssued: number;
  /** The one currency of its sales, or null when there are none or several. */
  currency: string | null;
  byCurrency: Record<string, MoneySummary>;
}

const withNet = (c: SalesCounts): MoneySummary => ({ ...c, netCents: c.grossCents - c.refundedCents - c.platformFeeCents });

function add(into: SalesCounts, b: Partial<SalesCounts>): void {
  for (const k of Object.keys(ZERO_COUNTS) as (keyof SalesCounts)[]) into[k] += b[k] ?? 0;
}

/**
 * Adds up buckets into totals, per currency and per product. Money in different currencies is
 * never converted: `byCurrency` is exact, and the top-level sums name their `currency` only when
 * there is one.
 */
export function summarize(buckets: readonly TotalsBucket[]) {
  const products = new Map<string, { counts: SalesCounts; issued: number; byCurrency: Map<string, SalesCounts> }>();
  const currencies = new Map<string, SalesCounts>();
  const all: SalesCounts = { ...ZERO_COUNTS };
  let issued = 0;
  for (const b of buckets) {
    let p = products.get(b.productId);
    if (!p) products.set(b.productId, (p = { counts: { ...ZERO_COUNTS }, issued: 0, byCurrency: new Map() }));
    if (b.currency === null) {
      p.issued += b.licensesIssued ?? 0;
      issued += b.licensesIssued ?? 0;
      continue;
    }
    add(all, b);
    add(p.counts, b);
    for (const map of [currencies, p.byCurrency]) {
      let c = map.get(b.currency);
      if (!c) map.set(b.currency, (c = { ...ZERO_COUNTS }));
      add(c, b);
    }
  }
  const money = (m: Map<string, SalesCounts>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, withNet(v)]));
  const only = (m: Map<string, SalesCounts>) => (m.size === 1 ? [...m.keys()][0]! : null);
  const byProduct: ProductSummary[] = [...products]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([productId, p]) => ({ productId, ...withNet(p.counts), licensesIssued: p.issued, currency: only(p.byCurrency), byCurrency: money(p.byCurrency) }));
  return { totals: { ...withNet(all), licensesIssued: issued }, currency: only(currencies), byCurrency: money(currencies), byProduct };
}

/** The longest range getSalesSeries draws, one day bucket a day. */
export const MAX_SERIES_DAYS = 366;

/** Every UTC day from `from` to `to`, both included, as `YYYY-MM-DD`. */
export function daysCovering(from: Date, to: Date): string[] {
  const last = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  const days: string[] = [];
  for (let day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); day <= last; day += DAY_MS) days.push(dayOf(new Date(day)));
  return days;
}

export interface DailyPoint {
  date: string;
  unitsSold: number;
  grossCents: number;
  refundedCents: number;
}

export interface DailySeries {
  productId: string;
  currency: string;
  points: DailyPoint[];
}

/**
 * Day buckets as one series per product and currency, every day of `days` present (zero when
 * nothing sold), so a chart needs no gap filling. Licence-count buckets (currency null) are left
 * out: they carry no money.
 */
export function dailySeries(days: readonly string[], buckets: readonly TotalsBucket[]): DailySeries[] {
  const index = new Map(days.map((d, i) => [d, i]));
  const series = new Map<string, DailySeries>();
  for (const b of buckets) {
    if (b.currency === null || !b.key.startsWith('d:')) continue;
    const at = index.get(b.key.slice(2));
    if (at === undefined) continue;
    const id = `${b.productId}~${b.currency}`;
    let s = series.get(id);
    if (!s) series.set(id, (s = { productId: b.productId, currency: b.currency, points: days.map((date) => ({ date, unitsSold: 0, grossCents: 0, refundedCents: 0 })) }));
    const p = s.points[at]!;
    p.unitsSold += b.unitsSold ?? 0;
    p.grossCents += b.grossCents ?? 0;
    p.refundedCents += b.refundedCents ?? 0;
  }
  return [...series.values()].sort((a, b) => a.productId.localeCompare(b.productId) || a.currency.localeCompare(b.currency));
}

/**
 * One ledger entry as a sale listing shows it, with the money signed the way it went: a
 * purchase or renewal brings gross in and pays the fee; a refund or chargeback takes its amount
 * back (the fee stays paid).
 */
export function saleLine(s: SaleRecord): { grossCents: number; feeCents: number; netCents: number } {
  const back = s.kind === 'refund' || s.kind === 'chargeback';
  const grossCents = back ? -s.amountCents : s.amountCents;
  const feeCents = back ? 0 : s.feeCents;
  return { grossCents, feeCents, netCents: grossCents - feeCents };
}

/** payouts/{creator~payoutId}: money the platform paid out to a creator (recordPayout). */
export interface PayoutRecord {
  creatorId: string;
  payoutId: string;
  amountCents: number;
  currency: string;
  paidAt: Date;
  note: string | null;
  createdAt: Date;
}

/**
 * What the platform still owes a creator, per currency: the net of every sale (gross less refunds
 * and the platform's fee) less what was paid out. Never converted between currencies.
 */
export function pendingPayouts(netByCurrency: Readonly<Record<string, { netCents: number }>>, payouts: readonly Pick<PayoutRecord, 'amountCents' | 'currency'>[]): Record<string, number> {
  const pending: Record<string, number> = {};
  for (const [currency, m] of Object.entries(netByCurrency)) pending[currency] = m.netCents;
  for (const p of payouts) pending[p.currency] = (pending[p.currency] ?? 0) - p.amountCents;
  return Object.fromEntries(Object.entries(pending).sort(([a], [b]) => a.localeCompare(b)));
}

// Sales: totals for a date range (units, gross, refunds, net, per currency) and a chart of daily
// gross (bars) and units (line), drawn as SVG with its numbers also in a table.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { isoDay, money } from '../format';
import { Async, Empty, Field, PageHead, useLoad, Table } from '../ui';
import { listAllProducts } from './Products';

interface Money {
  unitsSold: number;
  grossCents: number;
  refundedCents: number;
  netCents: number;
}

interface Stats {
  totals: Money & { licensesIssued: number; activeMachines: number };
  byCurrency: Record<string, Money>;
}

interface Point {
  date: string;
  unitsSold: number;
  grossCents: number;
}

interface Series {
  productId: string;
  currency: string;
  points: Point[];
}

/** One point a day for one currency, summed over the series (products) given. */
function combine(days: string[], series: Series[]): Point[] {
  return days.map((date, i) => ({
    date,
    unitsSold: series.reduce((n, s) => n + (s.points[i]?.unitsSold ?? 0), 0),
    grossCents: series.reduce((n, s) => n + (s.points[i]?.grossCents ?? 0), 0),
  }));
}

function Chart({ points, currency }: { points: Point[]; currency: string }) {
  const W = 720;
  const H = 240;
  const pad = { l: 84, r: 40, t: 12, b: 28 };
  const maxGross = Math.max(1, ...points.map((p) => p.grossCents));
  const maxUnits = Math.max(1, ...points.map((p) => p.unitsSold));
  const step = (W - pad.l - pad.r) / Math.max(1, points.length);
  const y = (v: number, max: number) => H - pad.b - (v / max) * (H - pad.t - pad.b);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${(pad.l + step * (i + 0.5)).toFixed(1)},${y(p.unitsSold, maxUnits).toFixed(1)}`).join(' ');
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  const total = points.reduce((n, p) => n + p.grossCents, 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title" aria-describedby="chart-desc">
        <title id="chart-title">Daily gross and units in {currency}</title>
        <desc id="chart-desc">
          {points.length} days from {points[0]?.date} to {points[points.length - 1]?.date}; gross {money(total, currency)} in all; the busiest day sold {maxUnits} units.
        </desc>
        <line x1={pad.l} y1={H - pad.b} x2={W - pad.r} y2={H - pad.b} class="axis" />
        <text x={pad.l - 6} y={pad.t + 8} class="tick" text-anchor="end">
          {money(maxGross, currency)}
        </text>
        <text x={pad.l - 6} y={H - pad.b} class="tick" text-anchor="end">
          0
        </text>
        <text x={W - pad.r + 6} y={pad.t + 8} class="tick units">
          {maxUnits}
        </text>
        {points.map((p, i) => (
          <rect x={pad.l + step * i + step * 0.15} width={step * 0.7} y={y(p.grossCents, maxGross)} height={H - pad.b - y(p.grossCents, maxGross)} class="bar" />
        ))}
        <path d={line} class="units-line" fill="none" />
        {points.map((p, i) =>
          i % labelEvery === 0 ? (
            <text x={pad.l + step * (i + 0.5)} y={H - 8} class="tick" text-anchor="middle">
              {p.date.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption class="legend">
        <span class="swatch bar" aria-hidden="true" /> Gross ({currency}, left axis) <span class="swatch units-line" aria-hidden="true" /> Units (right axis)
      </figcaption>
      <details>
        <summary>Chart data</summary>
        <Table caption="Chart data" columns={["Day", "Units", "Gross"]}>
              {points.map((p) => (
                <tr>
                  <td>{p.date}</td>
                  <td>{p.unitsSold}</td>
                  <td>{money(p.grossCents, currency)}</td>
                </tr>
              ))}
            </Table>
      </details>
    </figure>
  );
}

export function Sales() {
  const today = new Date();
  const [range, setRange] = useState({ from: isoDay(new Date(today.getTime() - 29 * 86_400_000)), to: isoDay(today), productId: '' });
  const [currency, setCurrency] = useState('');
  const products = useLoad(listAllProducts, []);
  const data = useLoad(async () => {
    const body = { from: range.from, to: range.to, ...(range.productId ? { productId: range.productId } : {}) };
    const [stats, series] = await Promise.all([api<Stats>('getStats', body), api<{ days: string[]; series: Series[] }>('getSalesSeries', body)]);
    return { stats, ...series };
  }, [range]);
  return (
    <section>
      <PageHead title="Sales" />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          setRange({ from: String(f.get('from')), to: String(f.get('to')), productId: String(f.get('productId') ?? '') });
        }}
      >
        <Field label="From">
          <input type="date" name="from" required value={range.from} max={range.to} />
        </Field>
        <Field label="To">
          <input type="date" name="to" required value={range.to} />
        </Field>
        <Field label="Product">
          <select name="productId" value={range.productId}>
            <option value="">All products</option>
            {(products.data ?? []).map((p) => (
              <option value={p.productId}>{p.name}</option>
            ))}
          </select>
        </Field>
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      <Async loaded={data} label="Loading sales…">
        {({ stats, days, series }) => {
          const currencies = Object.keys(stats.byCurrency);
          const shown = currencies.includes(currency) ? currency : (currencies[0] ?? '');
          return (
            <>
              <div class="totals">
                <div class="card stat">
                  <span class="label">Units</span>
                  <strong>{stats.totals.unitsSold}</strong>
                </div>
                <div class="card stat">
                  <span class="label">Licences issued</span>
                  <strong>{stats.totals.licensesIssued}</strong>
                </div>
                <div class="card stat">
                  <span class="label">Active machines</span>
                  <strong>{stats.totals.activeMachines}</strong>
                </div>
              </div>
              {currencies.length === 0 ? (
                <Empty>No sales in this range.</Empty>
              ) : (
                <>
                  <Table caption="Totals by currency" columns={["Currency", "Units", "Gross", "Refunds", "Net"]} visibleCaption>
                        {currencies.map((c) => {
                          const m = stats.byCurrency[c]!;
                          return (
                            <tr>
                              <th scope="row">{c}</th>
                              <td>{m.unitsSold}</td>
                              <td>{money(m.grossCents, c)}</td>
                              <td>{money(m.refundedCents, c)}</td>
                              <td>{money(m.netCents, c)}</td>
                            </tr>
                          );
                        })}
                      </Table>
                  {currencies.length > 1 && (
                    <Field label="Chart currency">
                      <select value={shown} onChange={(e) => setCurrency(e.currentTarget.value)}>
                        {currencies.map((c) => (
                          <option value={c}>{c}</option>
                        ))}
                      </select>
                    </Field>
                  )}
                  <Chart points={combine(days, series.filter((s) => s.currency === shown))} currency={shown} />
                </>
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}

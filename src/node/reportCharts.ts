/**
 * Small, dependency-free SVG charts for the HTML report: grouped bars, line
 * charts, scatter plots and sorted-value curves. Each returns an inline
 * `<svg>` string (no scripts, no external resources), sized by `viewBox` so
 * it scales with the page.
 *
 * Plain SVG rather than a charting library: four chart types with static data
 * need ~300 lines, add no dependency or inlined script to a file that must
 * open offline, and render identically in every browser and in print.
 *
 * @module
 */

/** Colours for series (Okabe–Ito, colour-blind safe, then extras). */
export const PALETTE: readonly string[] = Object.freeze([
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#000000',
  '#999999',
  '#8C564B',
  '#17BECF',
  '#7F7F7F',
]);

/**
 * Escapes text for HTML / SVG content and attributes.
 *
 * @param s - any text.
 * @returns the escaped text.
 */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const f3 = (x: number): string => (Math.round(x * 100) / 100).toString();

/**
 * "Nice" tick values covering [lo, hi] (1-2-5 steps).
 *
 * @param lo - lower end.
 * @param hi - upper end.
 * @param count - about how many ticks.
 * @returns the ticks, ascending.
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

function fmtTick(v: number, step = 0): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(1).replace(/\.0e/, 'e');
  if (step > 0) {
    const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(step) + 1e-9)));
    return v.toFixed(decimals);
  }
  return Number(v.toPrecision(3)).toString();
}

function tickLabels(ticks: number[]): { v: number; label: string }[] {
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 0;
  return ticks.map((v) => ({ v, label: fmtTick(v, step) }));
}

/** Plot area and scales shared by the x/y charts. */
interface Frame {
  w: number;
  h: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  x: (v: number) => number;
  y: (v: number) => number;
}

function frame(w: number, h: number, xDomain: [number, number], yDomain: [number, number], margins = { left: 58, right: 14, top: 28, bottom: 44 }): Frame {
  const { left, right, top, bottom } = margins;
  const [x0, x1] = xDomain[0] === xDomain[1] ? [xDomain[0] - 1, xDomain[1] + 1] : xDomain;
  const [y0, y1] = yDomain[0] === yDomain[1] ? [yDomain[0] - 1, yDomain[1] + 1] : yDomain;
  return {
    w,
    h,
    left,
    right,
    top,
    bottom,
    x: (v) => left + ((v - x0) / (x1 - x0)) * (w - left - right),
    y: (v) => h - bottom - ((v - y0) / (y1 - y0)) * (h - top - bottom),
  };
}

function axes(fr: Frame, xTicks: { v: number; label: string }[], yTicks: { v: number; label: string }[], xLabel: string, yLabel: string, title: string): string {
  const out: string[] = [];
  const x0 = fr.left;
  const x1 = fr.w - fr.right;
  const y0 = fr.h - fr.bottom;
  const y1 = fr.top;
  for (const t of yTicks) {
    const y = f3(fr.y(t.v));
    out.push(`<line x1="${x0}" x2="${x1}" y1="${y}" y2="${y}" class="grid"/>`);
    out.push(`<text x="${x0 - 6}" y="${y}" class="tick" text-anchor="end" dominant-baseline="middle">${esc(t.label)}</text>`);
  }
  for (const t of xTicks) {
    const x = f3(fr.x(t.v));
    out.push(`<line x1="${x}" x2="${x}" y1="${y0}" y2="${y0 + 4}" class="axis"/>`);
    out.push(`<text x="${x}" y="${y0 + 16}" class="tick" text-anchor="middle">${esc(t.label)}</text>`);
  }
  out.push(`<line x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}" class="axis"/>`);
  out.push(`<line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y1}" class="axis"/>`);
  out.push(`<text x="${(x0 + x1) / 2}" y="${fr.h - 8}" class="label" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${(y0 + y1) / 2}) rotate(-90)" class="label" text-anchor="middle">${esc(yLabel)}</text>`);
  out.push(`<text x="${x0}" y="16" class="title">${esc(title)}</text>`);
  return out.join('');
}

function legend(items: { name: string; color: string; dash?: boolean }[], x: number, y: number): string {
  return items
    .map((it, i) => {
      const yy = y + i * 15;
      const line = it.dash
        ? `<line x1="${x}" x2="${x + 16}" y1="${yy}" y2="${yy}" stroke="${it.color}" stroke-width="2" stroke-dasharray="4 3"/>`
        : `<rect x="${x}" y="${yy - 5}" width="16" height="10" fill="${it.color}"/>`;
      return `${line}<text x="${x + 21}" y="${yy}" class="tick" dominant-baseline="middle">${esc(it.name)}</text>`;
    })
    .join('');
}

function svg(w: number, h: number, body: string, label: string): string {
  return `<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(label)}" class="chart">${body}</svg>`;
}

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Options of {@link groupedBarChart}. */
export interface GroupedBarOptions {
  /** Chart title. */
  title: string;
  /** Group labels along x (e.g. Table-1 rows). */
  groups: string[];
  /** Per group, one value per bar (e.g. per fold); NaN = no bar. */
  values: number[][];
  /** Labels of the bars inside a group (e.g. `fold 0`), for the tooltip. */
  barLabels: string[];
  /** Colour per group. */
  colors: string[];
  /** A marker per group (e.g. the mean), drawn as a black line across the group. */
  markers?: number[];
  /** y-axis label. */
  yLabel: string;
  /** Width. Default 460. */
  width?: number;
  /** Height. Default 250. */
  height?: number;
}

/**
 * Grouped bars: one group per x label, one bar per value, plus an optional
 * marker line per group (the mean). Negative values hang below zero.
 *
 * @param o - see {@link GroupedBarOptions}.
 * @returns an `<svg>` string.
 */
export function groupedBarChart(o: GroupedBarOptions): string {
  const w = o.width ?? 460;
  const h = o.height ?? 250;
  const all = o.values.flat().concat(o.markers ?? []);
  let [lo, hi] = extent(all);
  lo = Math.min(0, lo);
  hi = Math.max(0, hi);
  const ticks = niceTicks(lo, hi, 5);
  if (ticks.length) {
    lo = Math.min(lo, ticks[0]);
    hi = Math.max(hi, ticks[ticks.length - 1]);
  }
  const n = o.groups.length;
  const fr = frame(w, h, [0, Math.max(1, n)], [lo, hi]);
  const body: string[] = [axes(fr, [], tickLabels(ticks), '', o.yLabel, o.title)];
  const gw = (w - fr.left - fr.right) / Math.max(1, n);
  const zero = fr.y(0);
  o.groups.forEach((g, gi) => {
    const vals = o.values[gi] ?? [];
    const inner = gw * 0.8;
    const bw = inner / Math.max(1, vals.length);
    const gx = fr.left + gi * gw + gw * 0.1;
    vals.forEach((v, bi) => {
      if (!Number.isFinite(v)) return;
      const y = fr.y(v);
      const top = Math.min(y, zero);
      const height = Math.max(0.5, Math.abs(y - zero));
      const opacity = 0.45 + (0.55 * (bi + 1)) / vals.length;
      body.push(
        `<rect x="${f3(gx + bi * bw + 0.5)}" y="${f3(top)}" width="${f3(Math.max(1, bw - 1))}" height="${f3(height)}" fill="${o.colors[gi] ?? PALETTE[0]}" fill-opacity="${f3(opacity)}"><title>${esc(`${g} ${o.barLabels[bi] ?? ''}: ${v.toFixed(3)}`)}</title></rect>`,
      );
    });
    const m = o.markers?.[gi];
    if (m !== undefined && Number.isFinite(m)) {
      const y = f3(fr.y(m));
      body.push(`<line x1="${f3(gx - 2)}" x2="${f3(gx + inner + 2)}" y1="${y}" y2="${y}" stroke="#111" stroke-width="2"><title>${esc(`${g} mean: ${m.toFixed(3)}`)}</title></line>`);
    }
    body.push(`<text x="${f3(gx + inner / 2)}" y="${h - fr.bottom + 16}" class="tick" text-anchor="middle">${esc(g)}</text>`);
  });
  body.push(`<line x1="${fr.left}" x2="${w - fr.right}" y1="${f3(zero)}" y2="${f3(zero)}" class="axis"/>`);
  return svg(w, h, body.join(''), o.title);
}

/** A line series. */
export interface LineSeries {
  /** Legend name. */
  name: string;
  /** Points `[x, y]` (non-finite y values break the line). */
  points: [number, number][];
  /** Colour. */
  color: string;
  /** Dashed line. */
  dash?: boolean;
}

/** Options of {@link lineChart}. */
export interface LineChartOptions {
  /** Title. */
  title: string;
  /** Series. */
  series: LineSeries[];
  /** x-axis label. */
  xLabel: string;
  /** y-axis label. */
  yLabel: string;
  /** Width. Default 460. */
  width?: number;
  /** Height. Default 260. */
  height?: number;
  /** Integer x ticks (epochs). Default true. */
  integerX?: boolean;
}

/**
 * A line chart with a legend (training curves).
 *
 * @param o - see {@link LineChartOptions}.
 * @returns an `<svg>` string.
 */
export function lineChart(o: LineChartOptions): string {
  const w = o.width ?? 460;
  const h = o.height ?? 260;
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = o.series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = extent(xs);
  let [y0, y1] = extent(ys);
  const pad = (y1 - y0) * 0.05 || 0.05;
  y0 -= pad;
  y1 += pad;
  const legendW = 120;
  const fr = frame(w, h, [x0, x1], [y0, y1], { left: 58, right: 14 + legendW, top: 28, bottom: 44 });
  let xt = niceTicks(x0, x1, 6);
  if (o.integerX !== false) xt = xt.filter((v) => Number.isInteger(v));
  const body: string[] = [
    axes(
      fr,
      tickLabels(xt),
      tickLabels(niceTicks(y0, y1, 5)),
      o.xLabel,
      o.yLabel,
      o.title,
    ),
  ];
  for (const s of o.series) {
    const segs: string[] = [];
    let cur: string[] = [];
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y)) {
        if (cur.length) segs.push(cur.join(' '));
        cur = [];
        continue;
      }
      cur.push(`${f3(fr.x(x))},${f3(fr.y(y))}`);
    }
    if (cur.length) segs.push(cur.join(' '));
    for (const pts of segs) {
      const dash = s.dash ? ' stroke-dasharray="5 3"' : '';
      body.push(`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="1.8"${dash}><title>${esc(s.name)}</title></polyline>`);
      if (!pts.includes(' ')) body.push(`<circle cx="${pts.split(',')[0]}" cy="${pts.split(',')[1]}" r="2.5" fill="${s.color}"/>`);
    }
  }
  body.push(legend(o.series.map((s) => ({ name: s.name, color: s.color, dash: s.dash })), w - legendW + 4, fr.top + 6));
  return svg(w, h, body.join(''), o.title);
}

/** A scatter series. */
export interface ScatterSeries {
  /** Legend name. */
  name: string;
  /** Points `[x, y]`. */
  points: [number, number][];
  /** Colour. */
  color: string;
}

/** Options of {@link scatterChart}. */
export interface ScatterChartOptions {
  /** Title. */
  title: string;
  /** Series. */
  series: ScatterSeries[];
  /** x-axis label. */
  xLabel: string;
  /** y-axis label. */
  yLabel: string;
  /** Both axes log10 (values ≤ 0 dropped). Default false. */
  log?: boolean;
  /** Draw the y = x diagonal. Default true. */
  diagonal?: boolean;
  /** Width. Default 460. */
  width?: number;
  /** Height. Default 360. */
  height?: number;
}

function logTicks(lo: number, hi: number): { v: number; label: string }[] {
  const out: { v: number; label: string }[] = [];
  const step = Math.max(1, Math.ceil((Math.floor(hi) - Math.ceil(lo)) / 6));
  for (let e = Math.ceil(lo / step) * step; e <= Math.floor(hi); e += step) out.push({ v: e, label: `1e${e}` });
  return out;
}

/**
 * A scatter plot (predicted vs true hit scores), optionally on log10 axes.
 *
 * @param o - see {@link ScatterChartOptions}.
 * @returns an `<svg>` string.
 */
export function scatterChart(o: ScatterChartOptions): string {
  const w = o.width ?? 460;
  const h = o.height ?? 360;
  const tx = (v: number): number => (o.log ? (v > 0 ? Math.log10(v) : NaN) : v);
  const series = o.series.map((s) => ({ ...s, pts: s.points.map(([x, y]) => [tx(x), tx(y)] as [number, number]).filter(([x]) => Number.isFinite(x)) }));
  // The domain follows the true values (x); predictions far outside it are drawn on the border (clamped).
  let [lo, hi] = extent(series.flatMap((s) => s.pts.map((p) => p[0])));
  const [ylo, yhi] = extent(series.flatMap((s) => s.pts.map((p) => p[1])));
  const span = hi - lo || 1;
  lo = Math.min(lo, Math.max(ylo, lo - span));
  hi = Math.max(hi, Math.min(yhi, hi + span));
  const pad = (hi - lo) * 0.04 || 0.1;
  lo -= pad;
  hi += pad;
  const clamp = (v: number): number => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo);
  const fr = frame(w, h, [lo, hi], [lo, hi]);
  const ticks = o.log ? logTicks(lo, hi) : tickLabels(niceTicks(lo, hi, 5));
  const body: string[] = [axes(fr, ticks, ticks, o.xLabel, o.yLabel, o.title)];
  if (o.diagonal !== false) {
    body.push(`<line x1="${f3(fr.x(lo))}" y1="${f3(fr.y(lo))}" x2="${f3(fr.x(hi))}" y2="${f3(fr.y(hi))}" stroke="#888" stroke-dasharray="4 4"/>`);
  }
  for (const s of series) {
    for (const [x, y] of s.pts) body.push(`<circle cx="${f3(fr.x(x))}" cy="${f3(fr.y(clamp(y)))}" r="2.6" fill="${s.color}" fill-opacity="0.55"/>`);
  }
  body.push(legend(series.map((s) => ({ name: s.name, color: s.color })), fr.left + 8, fr.top + 6));
  return svg(w, h, body.join(''), o.title);
}

/** Options of {@link sortedCurveChart}. */
export interface SortedCurveOptions {
  /** Title. */
  title: string;
  /** The values (any order); drawn sorted descending against their rank. */
  values: number[];
  /** Colour. Default the first palette colour. */
  color?: string;
  /** y-axis label. */
  yLabel: string;
  /** Width. Default 460. */
  width?: number;
  /** Height. Default 260. */
  height?: number;
}

/**
 * A sorted-value curve like the paper's Fig. 3: values sorted descending
 * against their rank n, with a big dot where the curve crosses the mean (the
 * rank of the average value) and the share of values below the mean.
 *
 * @param o - see {@link SortedCurveOptions}.
 * @returns an `<svg>` string.
 */
export function sortedCurveChart(o: SortedCurveOptions): string {
  const w = o.width ?? 460;
  const h = o.height ?? 260;
  const v = o.values.filter((x) => Number.isFinite(x)).sort((a, b) => b - a);
  const n = v.length;
  const color = o.color ?? PALETTE[0];
  const [lo, hi] = extent(v);
  const fr = frame(w, h, [1, Math.max(2, n)], [Math.min(0, lo), hi * 1.04 || 1]);
  const body: string[] = [
    axes(
      fr,
      tickLabels(niceTicks(1, Math.max(2, n), 5)).filter((t) => t.v >= 1 && Number.isInteger(t.v)),
      tickLabels(niceTicks(Math.min(0, lo), hi * 1.04 || 1, 5)),
      'n-th highest',
      o.yLabel,
      o.title,
    ),
  ];
  if (n > 0) {
    // At most ~600 points: keep the shape, not every song.
    const step = Math.max(1, Math.floor(n / 600));
    const pts: string[] = [];
    for (let i = 0; i < n; i += step) pts.push(`${f3(fr.x(i + 1))},${f3(fr.y(v[i]))}`);
    pts.push(`${f3(fr.x(n))},${f3(fr.y(v[n - 1]))}`);
    body.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    const mean = v.reduce((a, b) => a + b, 0) / n;
    const above = v.filter((x) => x > mean).length;
    const rank = Math.max(1, above);
    body.push(`<circle cx="${f3(fr.x(rank))}" cy="${f3(fr.y(mean))}" r="6" fill="${color}" stroke="#fff" stroke-width="1.5"><title>mean ${mean.toExponential(2)} at rank ${rank}</title></circle>`);
    const below = (100 * (n - above)) / n;
    body.push(
      `<text x="${f3(fr.x(rank) + 10)}" y="${f3(fr.y(mean) - 8)}" class="tick">mean at rank ${rank} of ${n}: ${below.toFixed(1)} % below</text>`,
    );
  }
  return svg(w, h, body.join(''), o.title);
}

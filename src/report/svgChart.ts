import { esc } from './escape.js';
import type { StockPoint, StockSeries } from './stock.js';

const W = 640;
const H = 220;
const M = { left: 44, right: 120, top: 16, bottom: 28 };
const MAX_DOTS = 400;

type Key = 'available' | 'reserved' | 'sold' | 'claimed';
const SERIES: ReadonlyArray<{ key: Key; label: string; short: string }> = [
  { key: 'available', label: 'available (counter)', short: 'available' },
  { key: 'reserved', label: 'reserved', short: 'reserved' },
  { key: 'sold', label: 'sold (distinct units)', short: 'sold' },
  { key: 'claimed', label: 'promised (counting double sales)', short: 'promised' },
];

/**
 * One item's stock over virtual time as step lines: the counter, reserved and sold units,
 * and (only when it differs from sold) units promised counting every double sale. A dashed
 * rule marks the initial stock, a red one the first bad event.
 */
export function stockChartSvg(s: StockSeries, endMs: number, badMs: readonly number[]): string {
  const pts = s.points;
  const maxV = Math.max(s.initial, ...pts.map((p) => Math.max(p.available, p.claimed, p.sold, p.reserved)), 1);
  const minV = Math.min(0, ...pts.map((p) => p.available));
  const endT = Math.max(1, endMs, ...pts.map((p) => p.t));
  const px = (t: number) => round(M.left + ((W - M.left - M.right) * t) / endT);
  const py = (v: number) => round(M.top + ((H - M.top - M.bottom) * (maxV - v)) / (maxV - minV));
  const doubled = pts.some((p) => p.claimed > p.sold);
  const shown = SERIES.filter((x) => x.key !== 'claimed' || doubled).filter((x) => x.key !== 'reserved' || pts.some((p) => p.reserved > 0));
  const out: string[] = [];
  out.push(`<svg class="chart" data-item="${esc(s.item)}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`stock of ${s.item} over time`)}">`);
  out.push(`<text class="ctitle" x="${M.left}" y="11">${esc(s.item)}: ${s.initial} in stock</text>`);
  for (const v of ticks(minV, maxV)) out.push(`<g class="axis"><line class="tick" x1="${M.left}" y1="${py(v)}" x2="${W - M.right}" y2="${py(v)}"/><text x="${M.left - 6}" y="${py(v) + 4}" text-anchor="end">${v}</text></g>`);
  out.push(`<g class="axis"><text x="${M.left}" y="${H - 8}">0 ms</text><text x="${W - M.right}" y="${H - 8}" text-anchor="end">${endT} ms</text></g>`);
  out.push(`<line class="initial" x1="${M.left}" y1="${py(s.initial)}" x2="${W - M.right}" y2="${py(s.initial)}"><title>${esc(`initial stock: ${s.initial}`)}</title></line>`);
  for (const t of badMs) out.push(`<line class="badline" x1="${px(t)}" y1="${M.top}" x2="${px(t)}" y2="${H - M.bottom}"><title>first bad event at ${t} ms</title></line>`);
  shown.forEach((ser, k) => {
    out.push(`<path class="series ${ser.key}" d="${stepPath(pts, ser.key, px, py, endT)}"><title>${esc(ser.label)}</title></path>`);
    const ly = M.top + 14 + k * 18;
    out.push(`<g class="key ${ser.key}"><line x1="${W - M.right + 8}" y1="${ly - 4}" x2="${W - M.right + 24}" y2="${ly - 4}"/><text x="${W - M.right + 28}" y="${ly}">${esc(ser.short)}</text></g>`);
  });
  for (const p of pts.slice(0, MAX_DOTS)) {
    const tip = `${p.t} ms: counter ${p.available}, reserved ${p.reserved}, sold ${p.sold}${doubled ? `, promised ${p.claimed}` : ''}`;
    out.push(`<circle class="dot" cx="${px(p.t)}" cy="${py(p.available)}" r="3"><title>${esc(tip)}</title></circle>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function stepPath(pts: readonly StockPoint[], key: Key, px: (t: number) => number, py: (v: number) => number, endT: number): string {
  let d = `M${px(pts[0].t)},${py(pts[0][key])}`;
  for (let i = 1; i < pts.length; i++) d += `H${px(pts[i].t)}V${py(pts[i][key])}`;
  return `${d}H${px(endT)}`;
}

function ticks(min: number, max: number): number[] {
  const span = max - min;
  const step = Math.max(1, Math.ceil(span / 5));
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max; v += step) out.push(v);
  return out;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

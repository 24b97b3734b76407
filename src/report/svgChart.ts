import { esc } from './escape.js';
import type { StockPoint, StockSeries } from './stock.js';
import { LabelPlacer, spot, textBox } from './labels.js';
import type { Drawn } from './svgDiagram.js';

const W = 640;
const H = 220;
const M = { left: 44, right: 24, top: 22, bottom: 28 };
const MAX_DOTS = 400;
const FONT_PX = 11;

type Key = 'available' | 'reserved' | 'sold' | 'claimed';
export const SERIES: ReadonlyArray<{ key: Key; label: string }> = [
  { key: 'available', label: 'available (the counter)' },
  { key: 'reserved', label: 'reserved units' },
  { key: 'sold', label: 'sold (distinct units)' },
  { key: 'claimed', label: 'promised (counting each double sale)' },
];

/**
 * One item's stock over virtual time (linear, unlike the diagram) as step lines: the counter,
 * reserved and sold units, and (only when it differs from sold) units promised counting every
 * double sale. A dotted rule marks the initial stock, a solid red one the first bad event.
 * The legend is the report's, in HTML (it lists the keys returned).
 */
export function stockChartSvg(s: StockSeries, endMs: number, badMs: readonly number[]): Drawn {
  const keys = new Set<string>(['initial', 'dot']);
  const pts = s.points;
  const maxV = Math.max(s.initial, ...pts.map((p) => Math.max(p.available, p.claimed, p.sold, p.reserved)), 1);
  const minV = Math.min(0, ...pts.map((p) => p.available));
  const endT = Math.max(1, endMs, ...pts.map((p) => p.t));
  const px = (t: number) => round(M.left + ((W - M.left - M.right) * t) / endT);
  const py = (v: number) => round(M.top + ((H - M.top - M.bottom) * (maxV - v)) / (maxV - minV));
  const doubled = pts.some((p) => p.claimed > p.sold);
  const shown = SERIES.filter((x) => x.key !== 'claimed' || doubled).filter((x) => x.key !== 'reserved' || pts.some((p) => p.reserved > 0));
  const placer = new LabelPlacer(0, W);
  const text = (x: number, y: number, words: string, anchor: 'start' | 'middle' | 'end', cls = ''): string => {
    placer.reserve(textBox(x, y, words, anchor, FONT_PX));
    return `<text${cls ? ` class="${cls}"` : ''} x="${x}" y="${y}"${anchor === 'start' ? '' : ` text-anchor="${anchor}"`}>${esc(words)}</text>`;
  };
  const out: string[] = [];
  out.push(`<svg class="chart" data-item="${esc(s.item)}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(`stock of ${s.item} over time`)}">`);
  out.push(text(M.left, 13, `${s.item}: ${s.initial} in stock`, 'start', 'ctitle'));
  for (const v of ticks(minV, maxV)) out.push(`<g class="axis"><line class="tick" x1="${M.left}" y1="${py(v)}" x2="${W - M.right}" y2="${py(v)}"/>${text(M.left - 6, py(v) + 4, String(v), 'end')}</g>`);
  out.push(`<g class="axis">${text(M.left, H - 8, '0 ms', 'start')}${text(W - M.right, H - 8, `${endT} ms`, 'end')}</g>`);
  out.push(`<line class="initial" data-key="initial" x1="${M.left}" y1="${py(s.initial)}" x2="${W - M.right}" y2="${py(s.initial)}"><title>${esc(`initial stock: ${s.initial}`)}</title></line>`);
  for (const t of badMs) {
    keys.add('badline');
    const words = 'first bad event';
    const at = placer.place([spot(px(t) + 4, M.top + 10, words, 'start', FONT_PX), spot(px(t) - 4, M.top + 10, words, 'end', FONT_PX), spot(px(t) + 4, M.top + 26, words, 'start', FONT_PX)]);
    const label = at === null ? '' : `<text class="badlbl" x="${at.x}" y="${at.y}"${at.anchor === 'start' ? '' : ` text-anchor="${at.anchor}"`}>${words}</text>`;
    out.push(`<g class="badline" data-key="badline" data-label="${words}"><line x1="${px(t)}" y1="${M.top}" x2="${px(t)}" y2="${H - M.bottom}"/>${label}<title>first bad event at ${t} ms</title></g>`);
  }
  for (const ser of shown) {
    keys.add(ser.key);
    out.push(`<path class="series ${ser.key}" data-key="${ser.key}" d="${stepPath(pts, ser.key, px, py, endT)}"><title>${esc(ser.label)}</title></path>`);
  }
  for (const p of pts.slice(0, MAX_DOTS)) {
    const tip = `${p.t} ms: counter ${p.available}, reserved ${p.reserved}, sold ${p.sold}${doubled ? `, promised ${p.claimed}` : ''}`;
    out.push(`<circle class="dot" data-key="dot" cx="${px(p.t)}" cy="${py(p.available)}" r="3"><title>${esc(tip)}</title></circle>`);
  }
  out.push('</svg>');
  return { svg: out.join('\n'), keys };
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

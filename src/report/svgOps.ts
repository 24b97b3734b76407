import { esc } from './escape.js';
import { LabelPlacer, spot, textBox } from './labels.js';
import type { Drawn } from './svgDiagram.js';
import type { TimeScale } from './timeScale.js';

export interface OpOrder {
  readonly id: string;
  readonly app: string;
  readonly startMs: number;
  readonly endMs: number | null;
  /** ORDER_PLACED, OUT_OF_STOCK, FAILED, or the status of an order that got no answer. */
  readonly answer: string;
}

const LANE_PX = 30;
const BAR_PX = 10;
const HEAD_PX = 44;
const MARGIN_PX = 10;
const LABEL_PX = 10;

/** The legend key of an order's outcome. */
export function outcomeKey(answer: string): string {
  if (answer === 'ORDER_PLACED') return 'op-placed';
  if (answer === 'OUT_OF_STOCK') return 'op-out-of-stock';
  if (answer === 'FAILED') return 'op-failed';
  return 'op-unanswered';
}

/** Greedy interval partitioning: each order takes the first lane free since before it arrived. */
function lanes(orders: readonly OpOrder[], endT: number): Map<string, number> {
  const laneEnds: number[] = [];
  const out = new Map<string, number>();
  const sorted = [...orders].sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id, 'en', { numeric: true }));
  for (const o of sorted) {
    const end = o.endMs ?? endT;
    let lane = laneEnds.findIndex((e) => e < o.startMs);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = end;
    out.set(o.id, lane);
  }
  return out;
}

/**
 * The operation view, as Jepsen's timeline.html draws a history: per app server, each order a
 * bar from its arrival to its answer, coloured by the answer (an order that never got one
 * runs to the end of the run, open). Orders that overlap in time at one server stand side by
 * side. It shares the message diagram's time scale, so a bar lines up with its messages.
 */
export function operationsSvg(orders: readonly OpOrder[], focus: readonly string[], violating: ReadonlySet<string>, scale: TimeScale, height: number): Drawn {
  const keys = new Set<string>();
  const apps = [...new Set(orders.map((o) => o.app))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const placer = new LabelPlacer(2);
  const body: string[] = [];
  let x0 = MARGIN_PX;
  const caption = 'orders: arrival → answer';
  placer.reserve(textBox(4, 14, caption, 'start', LABEL_PX));
  for (const app of apps) {
    const mine = orders.filter((o) => o.app === app);
    const lane = lanes(mine, scale.endT);
    const count = Math.max(1, ...[...lane.values()].map((l) => l + 1));
    const colPx = Math.max(count * LANE_PX, 60);
    const cx = x0 + colPx / 2;
    placer.reserve(textBox(cx, HEAD_PX - 14, app, 'middle', 12));
    body.push(`<g class="opcol"><text class="node" x="${cx}" y="${HEAD_PX - 14}">${esc(app)}</text><title>${esc(`${app}: ${mine.length} ${mine.length === 1 ? 'order' : 'orders'}`)}</title></g>`);
    for (const o of mine) {
      const bx = x0 + lane.get(o.id)! * LANE_PX + (LANE_PX - BAR_PX) / 2;
      const y0 = scale.y(o.startMs);
      const y1 = o.endMs === null ? scale.bottom : scale.y(o.endMs);
      const k = focus.indexOf(o.id);
      const fk = k >= 0 ? `focus${Math.min(k, 2)}` : violating.has(o.id) ? 'viol' : null;
      const ok = outcomeKey(o.answer);
      keys.add(ok);
      if (fk !== null) keys.add(fk);
      const tip = `${o.id} at ${app}: arrived ${o.startMs} ms, ${o.endMs === null ? `no answer (${o.answer})` : `answered ${o.answer} at ${o.endMs} ms`}`;
      const s = placer.place([
        spot(bx + BAR_PX + 3, y0 + 10, o.id, 'start', LABEL_PX),
        spot(bx - 3, y0 + 10, o.id, 'end', LABEL_PX),
        spot(bx + BAR_PX + 3, y0 + 25, o.id, 'start', LABEL_PX),
        spot(bx + BAR_PX / 2, y0 - 3, o.id, 'middle', LABEL_PX),
      ]);
      const label = s === null ? '' : `<text class="lbl" x="${s.x}" y="${s.y}"${s.anchor === 'start' ? '' : ` text-anchor="${s.anchor}"`}>${esc(o.id)}</text>`;
      body.push(`<g class="op ${ok}${o.endMs === null ? ' open' : ''}${fk === null ? '' : ` ${fk}`}" data-key="${ok}${fk === null ? '' : ` ${fk}`}" data-order="${esc(o.id)}" data-label="${esc(o.id)}"><rect x="${bx}" y="${y0}" width="${BAR_PX}" height="${Math.max(3, Math.round((y1 - y0) * 10) / 10)}" rx="2"/>${label}<title>${esc(tip)}</title></g>`);
    }
    x0 += colPx + MARGIN_PX;
  }
  const width = Math.max(x0, 180);
  const svg = [
    `<svg class="ops" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="orders per app server, from arrival to answer">`,
    `<text class="caption" x="4" y="14">${esc(caption)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
  return { svg, keys };
}

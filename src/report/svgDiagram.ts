import { esc } from './escape.js';
import { LabelPlacer, spot, textBox, type Spot } from './labels.js';
import type { Row } from './rows.js';
import type { TimeScale } from './timeScale.js';
import type { TraceIndex } from './traceIndex.js';

export interface DiagramOptions {
  /** Explained orders, in highlight order (first magenta, second cyan, then blue). */
  readonly focus: readonly string[];
  readonly violating: ReadonlySet<string>;
  /** Trace indexes of first bad events, with the words to show there. */
  readonly bad: ReadonlyMap<number, string>;
}

/** An SVG and the legend keys of what it drew (the legend lists exactly those). */
export interface Drawn {
  readonly svg: string;
  readonly keys: ReadonlySet<string>;
}

export const DIAGRAM_TOP_PX = 44;
const LEFT = 64;
const COL = 112;
const RIGHT = 300;
const BOTTOM = 24;
const LABEL_PX = 10;
const NODE_PX = 12;
const AXIS_PX = 10;
/** One line of 10 px labels, with the placer's gap: stacked spots do not collide. */
const LINE_PX = 15;

function focusKey(o: string | undefined, opts: DiagramOptions): string | null {
  if (o === undefined) return null;
  const k = opts.focus.indexOf(o);
  if (k >= 0) return `focus${Math.min(k, 2)}`;
  return opts.violating.has(o) ? 'viol' : null;
}

function data(r: Row, label: string | null): string {
  const o = r.orders[0];
  return `${o === undefined ? '' : ` data-order="${esc(o)}"`}${r.units.length > 0 ? ` data-units="${esc(r.units.join(' '))}"` : ''}${label === null ? '' : ` data-label="${esc(label)}"`} data-i="${r.index}" data-covers="${r.covers.join(' ')}"`;
}

/** A label to place: its words, where it may go (in order of preference), its priority. */
interface Want {
  readonly text: string;
  readonly spots: readonly Spot[];
  readonly rank: number;
}

/** One element of the diagram: its markup before and after the label, and the label it wants. */
interface Part {
  readonly head: string;
  readonly tail: string;
  readonly want: Want | null;
  readonly labelClass: string;
}

/**
 * The HTML report's space-time diagram: a lifeline per node, a slanted arrow per message
 * from the time it left to the time it landed (so overlapping requests, the race, are
 * visible), dashed red stubs for dropped ones, bands for pauses and crashes, bands on the
 * lifelines a partition cuts off (labelled with the cut), a mark per domain event, and a red
 * rule at the first bad event. Every element has a <title>, which holds its label's words
 * too: labels that would overlap another are left out, never drawn on top of each other.
 */
export function spaceTimeSvg(ix: TraceIndex, rows: readonly Row[], opts: DiagramOptions, scale: TimeScale): Drawn {
  const keys = new Set<string>(['lifeline']);
  const nodes = ix.nodes;
  const x = new Map(nodes.map((n, i) => [n, LEFT + COL / 2 + i * COL]));
  const y = scale.y;
  const height = Math.ceil(scale.bottom) + BOTTOM + 20;
  const width = LEFT + nodes.length * COL + RIGHT;
  // Labels stay right of the time axis and inside the picture.
  const placer = new LabelPlacer(LEFT - 4, width - 2);
  const out: string[] = [];
  out.push(`<svg class="spacetime" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="space-time diagram: a column per node, time running down">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>');
  out.push(axis(scale, width, placer));
  // Always drawn, so placed first: node names, then the first bad events' words; then the
  // partitions' cuts, then the rows' labels. Drawn in another order (bands under lifelines).
  for (const n of nodes) placer.reserve(textBox(x.get(n)!, DIAGRAM_TOP_PX - 14, n, 'middle', NODE_PX));
  const firstBad: string[] = [];
  for (const r of rows) {
    const words = r.covers.map((i) => opts.bad.get(i)).find((w) => w !== undefined);
    if (words === undefined) continue;
    keys.add('firstbad');
    const yy = y(r.t);
    const text = `first bad event · ${r.t} ms`;
    const s = placer.place([spot(width - 10, yy - 4, text, 'end', LABEL_PX), spot(width - 10, yy + 4 + LINE_PX, text, 'end', LABEL_PX)]);
    const label = s === null ? '' : `<text class="lbl" x="${s.x}" y="${s.y}" text-anchor="end">${esc(text)}</text>`;
    firstBad.push(`<g class="firstbad" data-key="firstbad" data-i="${r.index}" data-label="${esc(text)}"><line x1="${LEFT - 8}" y1="${yy}" x2="${width - 8}" y2="${yy}"/>${label}<title>${esc(`${text}: ${words}`)}</title></g>`);
  }
  out.push(...bands(ix, x, y, scale.endT, placer, keys));
  for (const n of nodes) {
    const nx = x.get(n)!;
    out.push(`<g class="lifeline" data-key="lifeline"><text class="node" x="${nx}" y="${DIAGRAM_TOP_PX - 14}">${esc(n)}</text><line x1="${nx}" y1="${DIAGRAM_TOP_PX}" x2="${nx}" y2="${height - BOTTOM}"/><title>${esc(n)}</title></g>`);
  }
  out.push(...firstBad);
  const parts = rows.map((r) => rowPart(r, x, y, opts, keys));
  // Errors and faults first, then the highlighted orders' words, each in time order.
  const order = parts.map((p, i) => i).filter((i) => parts[i].want !== null).sort((a, b) => parts[a].want!.rank - parts[b].want!.rank || a - b);
  const shown = new Map<number, Spot>();
  for (const i of order) {
    const s = placer.place(parts[i].want!.spots);
    if (s !== null) shown.set(i, s);
  }
  parts.forEach((p, i) => {
    if (p.head === '') return;
    const s = shown.get(i);
    const label = s === undefined ? '' : `<text class="${p.labelClass}" x="${s.x}" y="${s.y}"${s.anchor === 'start' ? '' : ` text-anchor="${s.anchor}"`}>${esc(p.want!.text)}</text>`;
    out.push(p.head + label + p.tail);
  });
  out.push('</svg>');
  return { svg: out.join('\n'), keys };
}

/** Tick labels at least 36 px apart; a caption says the scale is not linear. */
function axis(scale: TimeScale, width: number, placer: LabelPlacer): string {
  const parts: string[] = ['<g class="axis">'];
  const caption = 'ms ↓ (not to scale)';
  placer.reserve(textBox(4, 14, caption, 'start', AXIS_PX));
  parts.push(`<text class="caption" x="4" y="14">${caption}<title>Time runs down. The scale is not linear: each instant with an event gets its own row, long quiet stretches are squeezed and bursts spread; read the times on the axis.</title></text>`);
  let last = -Infinity;
  for (const t of scale.instants) {
    const yy = scale.y(t);
    if (yy - last < 36) continue;
    last = yy;
    placer.reserve(textBox(LEFT - 10, yy + 4, `${t} ms`, 'end', AXIS_PX));
    parts.push(`<line class="tick" x1="${LEFT - 6}" y1="${yy}" x2="${width - 8}" y2="${yy}"/><text x="${LEFT - 10}" y="${yy + 4}" text-anchor="end">${t} ms</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/**
 * Pauses and crashes as shaded stretches of one lifeline; a partition as shaded stretches of
 * the lifelines it cuts off (and no other), labelled with the cut.
 */
function bands(ix: TraceIndex, x: Map<string, number>, y: (t: number) => number, endT: number, placer: LabelPlacer, keys: Set<string>): string[] {
  const out: string[] = [];
  const open = new Map<string, { t: number; kind: string; text: string; cut: string | null; nodes: string[] }>();
  const close = (key: string, t: number) => {
    const b = open.get(key);
    if (!b) return;
    open.delete(key);
    const y0 = y(b.t);
    const h = Math.max(3, y(t) - y0);
    const title = esc(`${b.text}, ${b.t}–${t} ms`);
    const rects: string[] = [];
    for (const n of b.nodes) {
      const nx = x.get(n);
      if (nx === undefined) continue;
      rects.push(`<rect class="${b.kind}" x="${nx - 9}" y="${y0}" width="18" height="${h}"><title>${title}</title></rect>`);
    }
    if (rects.length === 0) return;
    keys.add(b.kind);
    let label = '';
    if (b.cut !== null) {
      const nx = Math.min(...b.nodes.map((n) => x.get(n) ?? Infinity));
      const s = placer.place([spot(nx + 12, y0 + 11, b.cut, 'start', LABEL_PX), spot(nx - 12, y0 + 11, b.cut, 'end', LABEL_PX), spot(nx + 12, y0 + 24, b.cut, 'start', LABEL_PX)]);
      if (s !== null) label = `<text class="lbl" x="${s.x}" y="${s.y}"${s.anchor === 'start' ? '' : ` text-anchor="${s.anchor}"`}>${esc(b.cut)}</text>`;
    }
    out.push(`<g class="band ${b.kind}" data-key="${b.kind}"${b.cut === null ? '' : ` data-label="${esc(b.cut)}"`}>${rects.join('')}${label}<title>${title}</title></g>`);
  };
  ix.events.forEach((e) => {
    if (e.type === 'pause') open.set(`p:${e.node}`, { t: e.t, kind: 'paused', text: `${e.node} paused (${e.cause})`, cut: null, nodes: [e.node] });
    else if (e.type === 'resume') close(`p:${e.node}`, e.t);
    else if (e.type === 'crash') open.set(`c:${e.node}`, { t: e.t, kind: 'crashed', text: `${e.node} crashed`, cut: null, nodes: [e.node] });
    else if (e.type === 'restart') close(`c:${e.node}`, e.t);
    else if (e.type === 'partition') {
      const arrow = e.direction === 'both' ? '|' : '->';
      const cut = `cut ${e.a.join(',')} ${arrow} ${e.b.join(',')}`;
      const links = e.direction === 'both' ? 'no message passes between them either way' : `messages from ${e.a.join(', ')} to ${e.b.join(', ')} are lost`;
      open.set(`x:${e.a.join(',')}|${e.b.join(',')}`, { t: e.t, kind: 'partition', text: `partition: ${e.a.join(', ')} cut off from ${e.b.join(', ')} (${links})`, cut, nodes: [...e.a, ...e.b] });
    } else if (e.type === 'heal') close(`x:${e.a.join(',')}|${e.b.join(',')}`, e.t);
  });
  for (const key of [...open.keys()]) close(key, endT);
  return out;
}

/** Candidate spots around a point: right, left, then a line below and above on either side. */
function around(x: number, y: number, text: string, side: 'start' | 'end'): Spot[] {
  const dx = side === 'start' ? 8 : -8;
  const other = side === 'start' ? 'end' : 'start';
  return [
    spot(x + dx, y + 4, text, side, LABEL_PX),
    spot(x - dx, y + 4, text, other, LABEL_PX),
    spot(x + dx, y + 4 + LINE_PX, text, side, LABEL_PX),
    spot(x + dx, y + 4 - LINE_PX, text, side, LABEL_PX),
    spot(x - dx, y + 4 + LINE_PX, text, other, LABEL_PX),
    spot(x - dx, y + 4 - LINE_PX, text, other, LABEL_PX),
    spot(x + dx, y + 4 + 2 * LINE_PX, text, side, LABEL_PX),
  ];
}

function rowPart(r: Row, x: Map<string, number>, y: (t: number) => number, opts: DiagramOptions, keys: Set<string>): Part {
  const o = r.orders[0];
  const fk = focusKey(o, opts);
  const cls = fk === null ? '' : ` ${fk}`;
  const focus = o !== undefined && opts.focus.includes(o);
  if ((r.kind === 'message' || r.kind === 'drop') && r.message && r.from && r.to) {
    const m = r.message;
    const x1 = x.get(r.from)!;
    const x2 = x.get(r.to)!;
    const y1 = y(m.sentMs);
    const y2 = y(r.t);
    const tip = `${r.label} · ${m.from} → ${m.to} · sent ${m.sentMs} ms · ${r.kind === 'drop' ? `dropped ${r.t} ms` : `delivered ${r.t} ms`} · rpc ${m.rpc} · msg ${m.msg}`;
    if (r.kind === 'drop') {
      keys.add('dropped');
      const xe = r.dropAt === 'send' ? (x1 + x2) / 2 : x2;
      const ye = r.dropAt === 'send' ? y1 + 6 : y2;
      return { head: `<g class="msg dropped${cls}" data-key="dropped"${data(r, null)}><line x1="${x1}" y1="${y1}" x2="${xe}" y2="${ye}"/><path class="x" d="M${xe - 4},${ye - 4}l8,8m0,-8l-8,8"/>`, tail: `<title>${esc(tip)}</title></g>`, want: null, labelClass: 'lbl' };
    }
    const key = fk ?? 'message';
    keys.add(key);
    const want: Want | null = focus ? { text: r.label, spots: around(x2, y2 - 7, r.label, x2 > x1 ? 'end' : 'start'), rank: 2 } : null;
    // A wide transparent twin makes a thin arrow easy to hover.
    return { head: `<g class="msg${cls}" data-key="${key}"${data(r, want?.text ?? null)}><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#arrow)"/><line class="hit" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/>`, tail: `<title>${esc(tip)}</title></g>`, want, labelClass: 'lbl' };
  }
  if (r.kind === 'span' || r.from === null) return { head: '', tail: '', want: null, labelClass: '' };
  const cx = x.get(r.from);
  if (cx === undefined) return { head: '', tail: '', want: null, labelClass: '' };
  const cy = y(r.t);
  // The mark's shape says what happened; its colour, whose order it was (faults and errors
  // keep their own colour).
  const shapeKey = r.kind === 'fault' || r.kind === 'error' ? r.kind : `ev-${r.kind}`;
  const keyList = fk === null || shapeKey === r.kind ? [shapeKey] : [shapeKey, fk];
  for (const k of keyList) keys.add(k);
  const key = keyList.join(' ');
  const shape = r.kind === 'op' ? `<rect x="${cx - 4}" y="${cy - 4}" width="8" height="8" transform="rotate(45 ${cx} ${cy})"/>` : `<circle cx="${cx}" cy="${cy}" r="${r.kind === 'order' ? 5 : 4}"/>`;
  const labelled = focus || (r.kind === 'fault' && r.type !== 'clock') || r.kind === 'error';
  const want: Want | null = labelled ? { text: r.label, spots: around(cx, cy, r.label, 'start'), rank: r.kind === 'error' || r.kind === 'fault' ? 1 : 2 } : null;
  return { head: `<g class="ev ${r.kind}${cls}" data-key="${key}"${data(r, want?.text ?? null)}>${shape}`, tail: `<title>${esc(`${r.t} ms · ${r.from} · ${r.label}`)}</title></g>`, want, labelClass: 'lbl' };
}

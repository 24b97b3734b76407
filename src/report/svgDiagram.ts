import { esc } from './escape.js';
import type { Row } from './rows.js';
import type { TraceIndex } from './traceIndex.js';

export interface DiagramOptions {
  /** Explained orders, in highlight order (first magenta, second cyan, then blue). */
  readonly focus: readonly string[];
  readonly violating: ReadonlySet<string>;
  /** Trace indexes of first bad events, with the words to show there. */
  readonly bad: ReadonlyMap<number, string>;
}

const LEFT = 64;
const TOP = 44;
const COL = 112;
const RIGHT = 300;
const BOTTOM = 24;
const PLOT_PX = 1400;

/** Maps virtual time to y: proportional, but long quiet stretches are squeezed and bursts spread. */
function timeScale(times: number[]): (t: number) => number {
  const ts = [...new Set(times)].sort((a, b) => a - b);
  const maxT = Math.max(1, ts[ts.length - 1] ?? 1);
  const pxPerMs = Math.min(2, Math.max(0.02, PLOT_PX / maxT));
  const ys = new Map<number, number>();
  let y = TOP + 16;
  let prev = ts[0] ?? 0;
  for (const t of ts) {
    y += Math.min(60, Math.max(t === prev ? 0 : 5, (t - prev) * pxPerMs));
    ys.set(t, Math.round(y * 10) / 10);
    prev = t;
  }
  return (t) => ys.get(t) ?? y;
}

function orderClass(o: string | undefined, opts: DiagramOptions): string {
  if (o === undefined) return '';
  const k = opts.focus.indexOf(o);
  if (k >= 0) return ` focus${Math.min(k, 2)}`;
  return opts.violating.has(o) ? ' viol' : '';
}

function data(o: string | undefined, r: Row): string {
  return `${o === undefined ? '' : ` data-order="${esc(o)}"`} data-i="${r.index}" data-covers="${r.covers.join(' ')}"`;
}

/**
 * The HTML report's space-time diagram: a lifeline per node, a slanted arrow per message
 * from the time it left to the time it landed (so overlapping requests, the race, are
 * visible), dashed red stubs for dropped ones, bands for pauses, crashes and partitions, a
 * dot per domain event, and a red rule at the first bad event. Every element has a <title>.
 */
export function spaceTimeSvg(ix: TraceIndex, rows: readonly Row[], opts: DiagramOptions): string {
  const nodes = ix.nodes;
  const x = new Map(nodes.map((n, i) => [n, LEFT + COL / 2 + i * COL]));
  const times = [0];
  for (const r of rows) {
    times.push(r.t);
    if (r.message) times.push(r.message.sentMs);
  }
  const y = timeScale(times);
  const endT = Math.max(...times);
  const height = Math.ceil(y(endT)) + BOTTOM + 20;
  const width = LEFT + nodes.length * COL + RIGHT;
  const out: string[] = [];
  out.push(`<svg class="spacetime" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="space-time diagram">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>');
  out.push(axis(times, y, width));
  out.push(...bands(ix, x, y, endT));
  for (const n of nodes) {
    out.push(`<g class="lifeline"><text class="node" x="${x.get(n)}" y="${TOP - 14}">${esc(n)}</text><line x1="${x.get(n)}" y1="${TOP}" x2="${x.get(n)}" y2="${height - BOTTOM}"/><title>${esc(n)}</title></g>`);
  }
  for (const r of rows) out.push(rowSvg(r, x, y, opts));
  for (const r of rows) {
    const words = r.covers.map((i) => opts.bad.get(i)).find((w) => w !== undefined);
    if (words === undefined) continue;
    const yy = y(r.t);
    out.push(`<g class="firstbad" data-i="${r.index}"><line x1="${LEFT - 8}" y1="${yy}" x2="${width - 8}" y2="${yy}"/><text x="${width - 10}" y="${yy - 4}" text-anchor="end">first bad event · ${esc(r.t)} ms</text><title>${esc(words)}</title></g>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

function axis(times: number[], y: (t: number) => number, width: number): string {
  const ts = [...new Set(times)].sort((a, b) => a - b);
  const parts: string[] = ['<g class="axis">'];
  let last = -Infinity;
  for (const t of ts) {
    const yy = y(t);
    if (yy - last < 36) continue;
    last = yy;
    parts.push(`<line class="tick" x1="${LEFT - 6}" y1="${yy}" x2="${width - 8}" y2="${yy}"/><text x="${LEFT - 10}" y="${yy + 4}" text-anchor="end">${t} ms</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/** Pauses, crashes and partitions as shaded stretches of lifelines. */
function bands(ix: TraceIndex, x: Map<string, number>, y: (t: number) => number, endT: number): string[] {
  const out: string[] = [];
  const open = new Map<string, { t: number; kind: string; text: string }>();
  const close = (key: string, t: number, nodes: string[]) => {
    const b = open.get(key);
    if (!b) return;
    open.delete(key);
    const xs = nodes.map((n) => x.get(n)).filter((v): v is number => v !== undefined);
    if (xs.length === 0) return;
    const x0 = Math.min(...xs) - 9;
    const x1 = Math.max(...xs) + 9;
    const y0 = y(b.t);
    const h = Math.max(3, y(t) - y0);
    out.push(`<rect class="${b.kind}" x="${x0}" y="${y0}" width="${x1 - x0}" height="${h}"><title>${esc(`${b.text}, ${b.t}–${t} ms`)}</title></rect>`);
  };
  const spans: Array<{ key: string; nodes: string[] }> = [];
  ix.events.forEach((e) => {
    if (e.type === 'pause') open.set(`p:${e.node}`, { t: e.t, kind: 'paused', text: `${e.node} paused (${e.cause})` });
    else if (e.type === 'resume') close(`p:${e.node}`, e.t, [e.node]);
    else if (e.type === 'crash') open.set(`c:${e.node}`, { t: e.t, kind: 'crashed', text: `${e.node} crashed` });
    else if (e.type === 'restart') close(`c:${e.node}`, e.t, [e.node]);
    else if (e.type === 'partition') {
      const key = `x:${e.a.join(',')}|${e.b.join(',')}`;
      open.set(key, { t: e.t, kind: 'partition', text: `partition ${e.a.join(', ')} | ${e.b.join(', ')}` });
      spans.push({ key, nodes: [...e.a, ...e.b] });
    } else if (e.type === 'heal') close(`x:${e.a.join(',')}|${e.b.join(',')}`, e.t, [...e.a, ...e.b]);
  });
  for (const key of [...open.keys()]) {
    const nodes = key.startsWith('x:') ? spans.find((s) => s.key === key)?.nodes ?? [] : [key.slice(2)];
    close(key, endT, nodes);
  }
  return out;
}

function rowSvg(r: Row, x: Map<string, number>, y: (t: number) => number, opts: DiagramOptions): string {
  const o = r.orders[0];
  const cls = orderClass(o, opts);
  const focus = o !== undefined && opts.focus.includes(o);
  if ((r.kind === 'message' || r.kind === 'drop') && r.message && r.from && r.to) {
    const m = r.message;
    const x1 = x.get(r.from)!;
    const x2 = x.get(r.to)!;
    const y1 = y(m.sentMs);
    const y2 = y(r.t);
    const tip = `${r.label} · ${m.from} → ${m.to} · sent ${m.sentMs} ms · ${r.kind === 'drop' ? `dropped ${r.t} ms` : `delivered ${r.t} ms`} · rpc ${m.rpc} · msg ${m.msg}`;
    if (r.kind === 'drop') {
      const xe = r.dropAt === 'send' ? (x1 + x2) / 2 : x2;
      const ye = r.dropAt === 'send' ? y1 + 6 : y2;
      return `<g class="msg dropped${cls}"${data(o, r)}><line x1="${x1}" y1="${y1}" x2="${xe}" y2="${ye}"/><text class="x" x="${xe}" y="${ye + 4}">✗</text><title>${esc(tip)}</title></g>`;
    }
    const label = focus ? `<text class="lbl" x="${x2 + (x2 > x1 ? -6 : 6)}" y="${y2 - 3}" text-anchor="${x2 > x1 ? 'end' : 'start'}">${esc(r.label)}</text>` : '';
    // A wide transparent twin makes a thin arrow easy to hover.
    return `<g class="msg${cls}"${data(o, r)}><line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#arrow)"/><line class="hit" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/>${label}<title>${esc(tip)}</title></g>`;
  }
  if (r.kind === 'span' || r.from === null) return '';
  const cx = x.get(r.from);
  if (cx === undefined) return '';
  const cy = y(r.t);
  const shape = r.kind === 'op' ? `<rect x="${cx - 4}" y="${cy - 4}" width="8" height="8" transform="rotate(45 ${cx} ${cy})"/>` : `<circle cx="${cx}" cy="${cy}" r="${r.kind === 'order' ? 5 : 4}"/>`;
  const label = focus || (r.kind === 'fault' && r.type !== 'clock') || r.kind === 'error' ? `<text class="lbl" x="${cx + 8}" y="${cy + 4}">${esc(r.label)}</text>` : '';
  return `<g class="ev ${r.kind}${cls}"${data(o, r)}>${shape}${label}<title>${esc(`${r.t} ms · ${r.from} · ${r.label}`)}</title></g>`;
}

import type { TraceEvent } from '../sim/trace.js';
import { plain, type Colors } from './colors.js';
import { focusOrders, type Explanation } from './explain.js';
import { buildRows, nodeStates, type Row } from './rows.js';
import { TraceIndex } from './traceIndex.js';

export interface TimelineOptions {
  /** Visible columns, never exceeded (default 100). */
  readonly width?: number;
  readonly colors?: Colors;
  /** Their orders are highlighted, their events kept, their first bad event marked. */
  readonly explanations?: readonly Explanation[];
  /** Every order some violation names (highlighted less strongly than the explained ones). */
  readonly violatingOrders?: readonly string[];
  /** Runs with more rows than this are elided to the interesting rows (default 40). */
  readonly maxRows?: number;
}

const MIN_LABEL = 30;
const COL_MAX = 8;
const COL_MIN = 3;

type Style = 'life' | 'paused' | 'ink' | 'drop' | 'span' | 'blank';
interface Cell { ch: string; st: Style }

/**
 * The terminal space-time diagram: a column per node, time going down, one row per message
 * where it lands (├───▶, ◀───┤; ✗ where a dropped one died), pauses as dotted lifelines,
 * crashes as gaps, partitions as ╪ across the cut nodes. Long runs keep the explained orders,
 * the faults and the first bad event, and elide the rest as "… 42 events …".
 */
export function formatTimeline(trace: readonly TraceEvent[], opts: TimelineOptions = {}): string {
  const width = opts.width ?? 100;
  const c = opts.colors ?? plain;
  const ix = new TraceIndex(trace);
  const rows = buildRows(ix);
  const explanations = opts.explanations ?? [];
  const focus = focusOrders(explanations);
  const violating = new Set(opts.violatingOrders ?? []);
  const bad = new Set(explanations.map((x) => x.firstBadIndex).filter((i): i is number => i !== null));
  const maxRows = opts.maxRows ?? 40;
  // Without a violation nothing is more interesting than the rest: show the beginning.
  const keep = explanations.length > 0 ? interestFilter(explanations, focus, bad) : () => true;
  const kept = elide(rows, maxRows, keep, explanations.length > 0 ? 4 * maxRows : maxRows);
  const maxT = rows.reduce((m, r) => Math.max(m, r.t), 0);
  const tw = Math.max(4, String(maxT).length);
  const gutter = tw + 2;
  const layout = columns(ix.nodes, kept, width - gutter - 1 - MIN_LABEL);
  const state = nodeStates(ix);
  const orderColor = (o: string | undefined): ((s: string) => string) => {
    if (o === undefined) return (s) => s;
    const k = focus.indexOf(o);
    if (k === 0) return c.magenta;
    if (k === 1) return c.cyan;
    if (k >= 2) return c.blue;
    return violating.has(o) ? c.yellow : (s) => s;
  };
  const out: string[] = [];
  const told = new Set<string>();
  for (const x of explanations) {
    const head = `${x.title}: ${x.conclusion}`;
    if (told.has(head)) continue;
    told.add(head);
    out.push(c.bold(c.red(fit(head, width))));
  }
  out.push(c.dim(`${'ms'.padStart(tw + 1)} `) + c.bold(header(layout, width - gutter)));
  for (const item of kept) {
    if (item.kind === 'gap') {
      out.push(c.dim(`${' '.repeat(gutter)}${lifelines(layout, item.before, state).map((x) => x.ch).join('')} … ${item.events} event${item.events === 1 ? '' : 's'} …`));
      continue;
    }
    const row = item.row;
    const isBad = row.covers.some((i) => bad.has(i));
    const cells = drawRow(layout, row, state);
    const ink = row.kind === 'drop' ? c.red : row.kind === 'fault' || row.kind === 'span' ? c.yellow : orderColor(row.orders[0]);
    const canvas = cells.map((x) => (x.st === 'life' ? c.dim(x.ch) : x.st === 'paused' ? c.yellow(x.ch) : x.st === 'drop' ? c.red(x.ch) : x.st === 'span' ? c.yellow(x.ch) : x.st === 'ink' ? ink(x.ch) : x.ch)).join('');
    const room = width - gutter - layout.colW * layout.nodes.length - 1;
    let label = row.label + (isBad ? '  ◀ first bad' : '');
    if (label.length > room) label = label.slice(0, Math.max(0, room - 1)) + '…';
    const styled = isBad ? c.bold(c.red(label)) : row.kind === 'error' ? c.red(label) : ink(label);
    const mark = isBad ? c.red('»') : ' ';
    out.push(`${mark}${c.dim(String(row.t).padStart(tw))} ${canvas} ${styled}`);
  }
  out.push(c.dim(legend(focus, width)));
  return out.join('\n');
}

function legend(focus: readonly string[], width: number): string {
  const who = focus.length > 0 ? `highlighted ${focus.slice(0, 4).join(', ')} · ` : '';
  return fit(`${who}├─▶ message, drawn where it lands · ✗ dropped · ┊ paused · » first bad event`, width);
}

function fit(s: string, width: number): string {
  return s.length > width ? s.slice(0, width - 1) + '…' : s;
}

/**
 * The node names, each centred on its lifeline. A name may spill into its neighbours' columns
 * while they are free ("replica1" in a column of 8 beside "db" and "lock"), keeping one space
 * between names; only a name that still does not fit is abbreviated, to the column width.
 * `room` is every column right of the gutter, so the last name may use the label area and the
 * line never exceeds the width.
 */
function header(layout: Layout, room: number): string {
  const line: string[] = [];
  let free = 0; // first column a name may use
  layout.nodes.forEach((node, i) => {
    const p = layout.at.get(node)!;
    const next = layout.nodes[i + 1];
    // Leave the next name its own lifeline column and a space before it.
    const last = next === undefined ? room - 1 : layout.at.get(next)! - 2;
    const window = Math.max(1, last - free + 1);
    // Whole when it fits; else as short as every crowded name (one column less than the lifelines').
    const name = node.length <= window ? node : abbreviate(node, Math.min(window, layout.colW - 1));
    const start = Math.min(Math.max(free, p - Math.floor((name.length - 1) / 2)), Math.max(free, last - name.length + 1));
    while (line.length < start) line.push(' ');
    line.push(...name);
    free = start + name.length + 1;
  });
  const canvas = layout.nodes.length * layout.colW;
  return line.join('').padEnd(canvas);
}

/** "replica1" in 7 columns -> "replic1": keeps the number that tells nodes apart. */
function abbreviate(name: string, w: number): string {
  if (name.length <= w) return name;
  const digits = /\d*$/.exec(name)![0];
  const short = name.slice(0, Math.max(1, w - digits.length)) + digits;
  return short.length <= w ? short : short.slice(-w);
}

type Item = { kind: 'row'; row: Row } | { kind: 'gap'; events: number; before: number };

/** Rows worth keeping in a long run: the explained orders, faults, chain steps, contested units. */
export function interestFilter(explanations: readonly Explanation[], focus: readonly string[], bad: ReadonlySet<number>): (r: Row) => boolean {
  const steps = new Set(explanations.flatMap((x) => x.steps.map((s) => s.index)));
  const units = new Set(explanations.flatMap((x) => x.units));
  return (r) =>
    r.kind === 'fault' && r.type !== 'clock' ||
    r.kind === 'span' ||
    r.orders.some((o) => focus.includes(o)) ||
    r.covers.some((i) => steps.has(i) || bad.has(i)) ||
    r.units.some((u) => units.has(u));
}

/** Keeps every row of a short run; of a long one, the interesting rows, with gaps counted in events. */
export function elide(rows: readonly Row[], maxRows: number, keep: (r: Row) => boolean, shownMax = Infinity): Item[] {
  if (rows.length <= maxRows) return rows.map((row) => ({ kind: 'row', row }));
  const out: Item[] = [];
  let skipped = 0;
  let shown = 0;
  for (const row of rows) {
    // Past `shownMax` rows even interesting ones fold (a huge run: use --html, or a smaller scenario).
    if (!keep(row) || shown >= shownMax) {
      // A hidden message also hides its send event.
      skipped += row.covers.length + (row.message && row.message.sendIndex !== row.index - 1 ? 1 : 0);
      continue;
    }
    if (skipped > 0) out.push({ kind: 'gap', events: skipped, before: row.index });
    skipped = 0;
    shown++;
    out.push({ kind: 'row', row });
  }
  if (skipped > 0) out.push({ kind: 'gap', events: skipped, before: rows[rows.length - 1].index });
  return out;
}

interface Layout {
  readonly nodes: string[];
  readonly colW: number;
  readonly at: Map<string, number>;
}

/** Column width and which nodes get a column: all of them if they fit, else the busy ones. */
function columns(all: readonly string[], kept: readonly Item[], room: number): Layout {
  let nodes = [...all];
  if (nodes.length * COL_MIN > room) {
    const used = new Set<string>();
    for (const it of kept) if (it.kind === 'row') for (const n of [it.row.from, it.row.to, ...it.row.nodes]) if (n) used.add(n);
    nodes = nodes.filter((n) => used.has(n)).slice(0, Math.max(1, Math.floor(room / COL_MIN)));
  }
  const colW = Math.max(COL_MIN, Math.min(COL_MAX, Math.floor(room / Math.max(1, nodes.length))));
  const at = new Map(nodes.map((n, i) => [n, i * colW + Math.floor((colW - 1) / 2)]));
  return { nodes, colW, at };
}

function lifelines(layout: Layout, index: number, state: ReturnType<typeof nodeStates>): Cell[] {
  const cells: Cell[] = Array.from({ length: layout.nodes.length * layout.colW }, () => ({ ch: ' ', st: 'blank' as Style }));
  for (const n of layout.nodes) {
    const s = state(index, n);
    const p = layout.at.get(n)!;
    cells[p] = s === 'up' ? { ch: '│', st: 'life' } : s === 'paused' ? { ch: '┊', st: 'paused' } : { ch: ' ', st: 'blank' };
  }
  return cells;
}

function drawRow(layout: Layout, row: Row, state: ReturnType<typeof nodeStates>): Cell[] {
  const cells = lifelines(layout, row.index, state);
  const put = (p: number | undefined, ch: string, st: Style) => {
    if (p !== undefined && p >= 0 && p < cells.length) cells[p] = { ch, st };
  };
  if (row.kind === 'span') {
    const cut = new Set(row.nodes);
    for (const n of layout.nodes) if (cut.size === 0 || cut.has(n)) put(layout.at.get(n), cut.size === 0 ? '┄' : '╪', 'span');
    if (cut.size === 0) for (let i = 0; i < cells.length; i++) if (cells[i].st !== 'span') cells[i] = { ch: '┄', st: 'span' };
    return cells;
  }
  const s = row.from === null ? undefined : layout.at.get(row.from);
  const d = row.to === null ? undefined : layout.at.get(row.to);
  if (row.kind !== 'message' && row.kind !== 'drop') {
    put(s, MARKS[row.kind] ?? '●', 'ink');
    if (row.type === 'pause') put(s, '‖', 'ink');
    else if (row.type === 'crash') put(s, '╳', 'ink');
    return cells;
  }
  if (s === undefined || d === undefined || s === d) {
    put(s ?? d, row.kind === 'drop' ? '✗' : '○', row.kind === 'drop' ? 'drop' : 'ink');
    return cells;
  }
  const dir = d > s ? 1 : -1;
  const end = row.kind === 'drop' && row.dropAt === 'send' ? s + dir * Math.max(1, Math.floor(Math.abs(d - s) / 2)) : d;
  for (let p = s + dir; p !== end; p += dir) put(p, '─', 'ink');
  put(s, dir > 0 ? '├' : '┤', 'ink');
  put(end, row.kind === 'drop' ? '✗' : dir > 0 ? '▶' : '◀', row.kind === 'drop' ? 'drop' : 'ink');
  return cells;
}

const MARKS: Partial<Record<Row['kind'], string>> = { order: '●', op: '◆', fault: '◇', note: '·', error: '!' };

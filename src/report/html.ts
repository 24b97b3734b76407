import type { TraceEvent } from '../sim/trace.js';
import type { Violation } from '../inventory/invariants.js';
import type { RunResult } from '../explore/run.js';
import { esc } from './escape.js';
import { explainViolations, focusOrders, type Explanation } from './explain.js';
import { buildRows } from './rows.js';
import { stockSeries } from './stock.js';
import { stockChartSvg } from './svgChart.js';
import { DIAGRAM_TOP_PX, spaceTimeSvg } from './svgDiagram.js';
import { operationsSvg } from './svgOps.js';
import { legendHtml } from './legend.js';
import { CSS } from './htmlStyle.js';
import { SCRIPT } from './htmlScript.js';
import { plural } from './plural.js';
import { timeScale } from './timeScale.js';
import { elide, interestFilter } from './timeline.js';
import { TraceIndex } from './traceIndex.js';

/** Everything the HTML report shows; `htmlInputFromRun` fills it from a run. */
export interface HtmlReportInput {
  readonly scenario: string;
  readonly strategy: string;
  /** "seed 7" or "recorded (42 choices)". */
  readonly source: string;
  readonly verdict: 'ok' | 'violated';
  readonly violations: readonly Violation[];
  readonly explanations: readonly Explanation[];
  readonly trace: readonly TraceEvent[];
  readonly items: ReadonlyArray<{ readonly id: string; readonly stock: number }>;
  readonly orders: ReadonlyArray<{ readonly id: string; readonly app: string; readonly startMs: number; readonly endMs: number | null; readonly answer: string }>;
  readonly virtualTimeMs: number;
  /** Kernel events fired: the number `run` prints as "N events". */
  readonly events: number;
  readonly choices: number;
  readonly traceHash: string;
  /** The command that reproduces the run. */
  readonly replay: string;
}

/** Rows beyond this are elided to the interesting ones, as in the terminal timeline. */
const DIAGRAM_ROWS_MAX = 1500;

export function htmlInputFromRun(r: RunResult, replay: string): HtmlReportInput {
  if (r.trace === null) throw new Error('htmlInputFromRun needs a run with keepTrace: true');
  return {
    scenario: r.scenario,
    strategy: r.strategy,
    source: r.source,
    verdict: r.verdict,
    violations: r.violations,
    explanations: explainViolations(r.violations, r.trace),
    trace: r.trace,
    items: r.world.config.items,
    orders: r.orderRecords.map((o) => ({ id: o.order.id, app: o.order.app, startMs: o.startMs, endMs: o.endMs, answer: o.status === 'answered' ? (o.answer ?? '?') : o.status })),
    virtualTimeMs: r.virtualTimeMs,
    events: r.events,
    choices: r.choicesAsked,
    traceHash: r.traceHash,
    replay,
  };
}

/**
 * One self-contained HTML file: inline CSS, SVG and a few lines of script, no network. A
 * person opens it with any browser (file://). Every piece of text is escaped.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const ix = new TraceIndex(input.trace);
  const focus = focusOrders(input.explanations);
  const violating = new Set(input.violations.flatMap((v) => v.orders));
  const bad = new Map<number, string>();
  for (const x of input.explanations) if (x.firstBadIndex !== null && !bad.has(x.firstBadIndex)) bad.set(x.firstBadIndex, `${x.invariant}: ${x.title}`);
  const all = buildRows(ix);
  const keep = input.explanations.length > 0 ? interestFilter(input.explanations, focus, new Set(bad.keys())) : () => true;
  const kept = elide(all, DIAGRAM_ROWS_MAX, keep, DIAGRAM_ROWS_MAX);
  const rows = kept.flatMap((k) => (k.kind === 'row' ? [k.row] : []));
  const hidden = all.length - rows.length;
  const badMs = [...bad.keys()].map((i) => input.trace[i].t);
  const charts = stockSeries(input.trace, input.items).map((s) => stockChartSvg(s, input.virtualTimeMs, badMs));
  const chartKeys = new Set(charts.flatMap((c) => [...c.keys]));
  // The message diagram and the operation view share one time scale, side by side.
  const times = [0];
  for (const r of rows) {
    times.push(r.t);
    if (r.message) times.push(r.message.sentMs);
  }
  for (const o of input.orders) times.push(o.startMs, ...(o.endMs === null ? [] : [o.endMs]));
  const scale = timeScale(times, DIAGRAM_TOP_PX);
  const diagram = spaceTimeSvg(ix, rows, { focus, violating, bad }, scale);
  const height = Math.ceil(scale.bottom) + 44;
  const ops = operationsSvg(input.orders, focus, violating, scale, height);
  const diagramKeys = new Set([...diagram.keys, ...ops.keys]);
  const title = `oversold: ${input.scenario} · ${input.strategy} · ${input.source}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1><span class="verdict ${input.verdict}">${input.verdict === 'ok' ? 'OK' : 'VIOLATED'}</span> ${esc(input.scenario)}</h1>
<p class="meta">strategy <b>${esc(input.strategy)}</b> · ${esc(input.source)} · ${input.virtualTimeMs} ms virtual, ${plural(input.events, 'event')}, ${plural(input.choices, 'choice')} · trace ${esc(input.traceHash)}</p>
<p class="meta">replay: <code>${esc(input.replay)}</code></p>
</header>
<main>
<section id="explanations">
<h2>What went wrong</h2>
${input.explanations.length === 0 ? '<p class="ok">Every invariant held.</p>' : groupByChain(input.explanations).map((g) => explanationHtml(g.invariants, g.x)).join('\n')}
</section>
<section id="stock">
<h2>Stock over time</h2>
<div class="charts">${charts.map((c) => `<div class="chartbox" tabindex="0" role="region" aria-label="stock chart">${c.svg}</div>`).join('\n')}</div>
${legendHtml(chartKeys, focus, 'legend of the stock charts')}
</section>
<section id="diagram">
<h2>Messages and orders</h2>
<p class="intro">Left, a column per node: each arrow is one message, from when it left to when it landed (overlapping arrows are the race). Right, a column per app server: each order from its arrival to its answer. Time runs down on one scale, which is not linear (quiet stretches are squeezed): read the times on the left. Hover or tap anything for details.
${focus.length > 0 ? `Explained: ${focus.map((o, k) => `<span class="chip focus${Math.min(k, 2)}" data-order="${esc(o)}">${esc(o)}</span>`).join(' ')}.` : ''}
${hidden > 0 ? ` <b>${hidden} uninteresting rows of this long run are not drawn.</b>` : ''}</p>
${legendHtml(diagramKeys, focus, 'legend of the diagram')}
<div class="tools">
${focus.length > 0 ? '<label><input type="checkbox" id="only-focus"> only the explained orders</label>' : ''}
<label>find an order or unit <input type="search" id="find" placeholder="o7 or vase#3" aria-describedby="found"></label> <span id="found" aria-live="polite"></span>
</div>
<div class="scroll" tabindex="0" role="region" aria-label="messages and orders over time"><div class="side">${diagram.svg}${ops.svg}</div></div>
</section>
<section id="orders">
<h2>Orders</h2>
<div class="tablebox" tabindex="0" role="region" aria-label="orders">${ordersTable(input, focus, violating)}</div>
</section>
</main>
<div id="tip" role="tooltip"></div>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** Violations explained by the same chain (a lost update breaks several invariants) share one box. */
function groupByChain(xs: readonly Explanation[]): Array<{ invariants: string[]; x: Explanation }> {
  const out: Array<{ invariants: string[]; x: Explanation }> = [];
  for (const x of xs) {
    const same = out.find((g) => g.x.text === x.text);
    if (same) same.invariants.push(x.invariant);
    else out.push({ invariants: [x.invariant], x });
  }
  return out;
}

function explanationHtml(invariants: readonly string[], x: Explanation): string {
  const steps = x.steps.map((s) => `<li data-i="${s.index}"><span class="t">${s.t} ms</span> ${esc(s.text)}</li>`).join('');
  return `<article class="explanation" data-anomaly="${esc(x.anomaly)}">
<h3>${invariants.map((i) => `<span class="inv">${esc(i)}</span>`).join(' ')} <span class="anomaly">${esc(x.title)}</span></h3>
${steps ? `<ol class="chain">${steps}</ol>` : ''}
<p class="conclusion">${esc(x.conclusion)}.</p>
</article>`;
}

function ordersTable(input: HtmlReportInput, focus: readonly string[], violating: ReadonlySet<string>): string {
  const rows = input.orders.map((o) => {
    const k = focus.indexOf(o.id);
    const cls = k >= 0 ? `focus${Math.min(k, 2)}` : violating.has(o.id) ? 'viol' : '';
    return `<tr class="${cls}" data-order="${esc(o.id)}"><td>${esc(o.id)}</td><td>${esc(o.app)}</td><td>${o.startMs}</td><td>${o.endMs ?? '–'}</td><td>${esc(o.answer)}</td></tr>`;
  });
  return `<table><thead><tr><th>order</th><th>app</th><th>start ms</th><th>answer ms</th><th>answer</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

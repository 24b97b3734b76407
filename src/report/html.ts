import type { TraceEvent } from '../sim/trace.js';
import type { Violation } from '../inventory/invariants.js';
import type { RunResult } from '../explore/run.js';
import { esc } from './escape.js';
import { explainViolations, focusOrders, type Explanation } from './explain.js';
import { buildRows } from './rows.js';
import { stockSeries } from './stock.js';
import { stockChartSvg } from './svgChart.js';
import { spaceTimeSvg } from './svgDiagram.js';
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
  const title = `oversold: ${input.scenario} · ${input.strategy} · ${input.source}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1><span class="verdict ${input.verdict}">${input.verdict === 'ok' ? 'OK' : 'VIOLATED'}</span> ${esc(input.scenario)}</h1>
<p class="meta">strategy <b>${esc(input.strategy)}</b> · ${esc(input.source)} · ${input.virtualTimeMs} ms virtual · ${input.trace.length} trace events · trace ${esc(input.traceHash)}</p>
<p class="meta">replay: <code>${esc(input.replay)}</code></p>
</header>
<main>
<section id="explanations">
<h2>What went wrong</h2>
${input.explanations.length === 0 ? '<p class="ok">Every invariant held.</p>' : groupByChain(input.explanations).map((g) => explanationHtml(g.invariants, g.x)).join('\n')}
</section>
<section id="stock">
<h2>Stock over time</h2>
<div class="charts">${charts.join('\n')}</div>
</section>
<section id="diagram">
<h2>Space-time diagram</h2>
<p class="legend">Time runs down; a column per node. Each arrow is one message, from when it left to when it landed: overlapping arrows are the race.
Dashed red stubs with ✗ are dropped messages; yellow bands are pauses, red bands crashes, grey bands partitions. Hover anything for details.
${focus.length > 0 ? `Highlighted: ${focus.map((o, k) => `<span class="chip focus${Math.min(k, 2)}" data-order="${esc(o)}">${esc(o)}</span>`).join(' ')}.` : ''}
${hidden > 0 ? ` <b>${hidden} uninteresting rows of this long run are not drawn.</b>` : ''}</p>
<div class="scroll">${spaceTimeSvg(ix, rows, { focus, violating, bad })}</div>
</section>
<section id="orders">
<h2>Orders</h2>
${ordersTable(input, focus, violating)}
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

const CSS = `
:root{--fg:#1e293b;--muted:#64748b;--line:#cbd5e1;--f0:#c026d3;--f1:#0891b2;--f2:#2563eb;--viol:#d97706;--bad:#dc2626}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0;background:#f8fafc}
header,main{max-width:1400px;margin:0 auto;padding:8px 20px}
h1{font-size:22px;margin:12px 0 4px}h2{font-size:17px;margin:22px 0 8px}h3{font-size:15px;margin:0 0 6px}
.meta{color:var(--muted);margin:2px 0}code{background:#e2e8f0;padding:1px 5px;border-radius:3px}
.verdict{padding:2px 8px;border-radius:4px;color:#fff}.verdict.ok{background:#16a34a}.verdict.violated{background:var(--bad)}
.explanation{background:#fff;border:1px solid var(--line);border-left:4px solid var(--bad);border-radius:6px;padding:10px 14px;margin:0 0 10px}
.inv{font-family:ui-monospace,monospace;color:var(--bad)}.anomaly{text-transform:uppercase;letter-spacing:.04em;font-size:12px;background:#fee2e2;color:#991b1b;padding:2px 6px;border-radius:3px}
.chain{margin:4px 0;padding-left:22px}.chain li{margin:2px 0;cursor:pointer}.chain .t{color:var(--muted);font-family:ui-monospace,monospace;font-size:12px}
.conclusion{font-weight:600;margin:6px 0 0}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{background:#fff;border:1px solid var(--line);border-radius:6px}
.scroll{overflow:auto;background:#fff;border:1px solid var(--line);border-radius:6px;max-height:80vh}
.legend{color:var(--muted);max-width:1000px}
.chip{font-family:ui-monospace,monospace;padding:0 6px;border-radius:3px;color:#fff;cursor:pointer}
.chip.focus0{background:var(--f0)}.chip.focus1{background:var(--f1)}.chip.focus2{background:var(--f2)}
svg text{font:11px ui-monospace,monospace;fill:var(--fg)}
.spacetime .node{font-weight:700;font-size:12px;text-anchor:middle}
.lifeline line{stroke:#94a3b8;stroke-width:1.5;pointer-events:none}
.msg line.hit{stroke:#000!important;stroke-width:9!important;stroke-opacity:0!important;stroke-dasharray:none!important}
.axis text{fill:var(--muted);font-size:10px}.axis .tick{stroke:#f1f5f9}
.msg line{stroke:#94a3b8;stroke-width:1.2}.msg:hover line:not(.hit),.hl line:not(.hit){stroke-width:3}
.msg.viol line{stroke:var(--viol);opacity:.55}.msg.focus0 line{stroke:var(--f0);stroke-width:2}.msg.focus1 line{stroke:var(--f1);stroke-width:2}.msg.focus2 line{stroke:var(--f2);stroke-width:2}
.msg.dropped line{stroke:var(--bad);stroke-dasharray:4 3}.msg .x{fill:var(--bad);font-size:14px;font-weight:700;text-anchor:middle}
.msg .lbl,.ev .lbl{font-size:10px}.focus0 .lbl{fill:var(--f0)}.focus1 .lbl{fill:var(--f1)}.focus2 .lbl{fill:var(--f2)}
.ev circle,.ev rect{fill:#94a3b8}.ev.viol circle,.ev.viol rect{fill:var(--viol)}.ev.focus0 circle,.ev.focus0 rect{fill:var(--f0)}.ev.focus1 circle,.ev.focus1 rect{fill:var(--f1)}.ev.focus2 circle,.ev.focus2 rect{fill:var(--f2)}
.ev.fault circle{fill:#ca8a04}.ev.error circle{fill:var(--bad)}.ev.fault .lbl{fill:#a16207}.ev.error .lbl{fill:var(--bad)}
.paused{fill:#fde047;opacity:.55}.crashed{fill:#fca5a5;opacity:.6}.partition{fill:#94a3b8;opacity:.25}
.firstbad line{stroke:var(--bad);stroke-width:2;stroke-dasharray:8 4}.firstbad text{fill:var(--bad);font-weight:700}
.series{fill:none;stroke-width:2}.series.available,.key.available line{stroke:#16a34a}.series.reserved,.key.reserved line{stroke:#ca8a04}
.series.sold,.key.sold line{stroke:#2563eb}.series.claimed,.key.claimed line{stroke:var(--bad);stroke-dasharray:5 3}.key line{stroke-width:2}
.chart .initial{stroke:#475569;stroke-dasharray:2 3}.chart .badline{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:6 3}.chart .dot{fill:#16a34a;opacity:.6}
.chart .ctitle{font-weight:700;font-size:12px}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid var(--line);padding:3px 10px;font-family:ui-monospace,monospace;font-size:12px;text-align:left}
tr.focus0 td:first-child{color:var(--f0);font-weight:700}tr.focus1 td:first-child{color:var(--f1);font-weight:700}tr.focus2 td:first-child{color:var(--f2);font-weight:700}tr.viol td:first-child{color:var(--viol)}
tr.hl td{background:#fef9c3}
#tip{position:fixed;display:none;pointer-events:none;background:#0f172a;color:#f8fafc;font:12px ui-monospace,monospace;padding:5px 8px;border-radius:4px;max-width:520px;z-index:10}
`;

// Hover: a tooltip from each element's <title>; hovering an order highlights all its messages.
// Clicking a step of an explanation scrolls the diagram to its event.
const SCRIPT = `
(function () {
  var tip = document.getElementById('tip');
  function titled(el) {
    while (el && el !== document) {
      if (el.querySelector) { var t = el.querySelector(':scope > title'); if (t) return t.textContent; }
      el = el.parentNode;
    }
    return null;
  }
  function highlight(order, on) {
    if (!order) return;
    document.querySelectorAll('[data-order]').forEach(function (el) {
      if (el.getAttribute('data-order') === order) el.classList.toggle('hl', on);
    });
  }
  document.addEventListener('mouseover', function (ev) {
    var text = titled(ev.target);
    if (text) { tip.textContent = text; tip.style.display = 'block'; } else { tip.style.display = 'none'; }
    var holder = ev.target.closest ? ev.target.closest('[data-order]') : null;
    if (holder) highlight(holder.getAttribute('data-order'), true);
  });
  document.addEventListener('mouseout', function (ev) {
    var holder = ev.target.closest ? ev.target.closest('[data-order]') : null;
    if (holder) highlight(holder.getAttribute('data-order'), false);
  });
  document.addEventListener('mousemove', function (ev) {
    tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - 540) + 'px';
    tip.style.top = (ev.clientY + 14) + 'px';
  });
  document.querySelectorAll('.chain li').forEach(function (li) {
    li.addEventListener('click', function () {
      var i = li.getAttribute('data-i');
      var el = document.querySelector('.spacetime [data-covers~="' + i + '"]');
      if (el && el.scrollIntoView) el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'smooth' });
    });
  });
})();
`;

/**
 * The HTML report's stylesheet. Colours are variables so that `prefers-color-scheme: dark`
 * swaps them in one place; every text colour meets WCAG AA (4.5:1) on the background it sits
 * on, in both schemes (the browser test runs axe-core over the whole page). The pictures are
 * never scaled down on a narrow screen (their text would shrink to nothing): they scroll.
 */
export const CSS = `
:root{color-scheme:light dark;
--bg:#f8fafc;--panel:#ffffff;--fg:#1e293b;--muted:#475569;--line:#cbd5e1;--tick:#eef2f7;--codebg:#e2e8f0;
--f0:#a21caf;--f1:#0e7490;--f2:#1d4ed8;--viol:#b45309;--bad:#b91c1c;--okc:#15803d;
--msg:#64748b;--lifeline:#94a3b8;--fault:#a16207;--pausefill:#fde047;--crashfill:#fca5a5;--partfill:#94a3b8;
--avail:#15803d;--resv:#a16207;--sold:#1d4ed8;--claim:#7e22ce;--hl:#fef08a;--found:#f59e0b;
--tipbg:#0f172a;--tipfg:#f8fafc;--anombg:#fee2e2;--anomfg:#991b1b}
@media (prefers-color-scheme: dark){:root{
--bg:#0b1120;--panel:#111827;--fg:#e2e8f0;--muted:#a3b1c6;--line:#334155;--tick:#1e293b;--codebg:#1e293b;
--f0:#f0abfc;--f1:#67e8f9;--f2:#93c5fd;--viol:#fbbf24;--bad:#f87171;--okc:#4ade80;
--msg:#94a3b8;--lifeline:#64748b;--fault:#facc15;--pausefill:#a16207;--crashfill:#991b1b;--partfill:#64748b;
--avail:#4ade80;--resv:#facc15;--sold:#93c5fd;--claim:#d8b4fe;--hl:#854d0e;--found:#f59e0b;
--tipbg:#f8fafc;--tipfg:#0f172a;--anombg:#450a0a;--anomfg:#fecaca}}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0;background:var(--bg)}
header,main{max-width:1400px;margin:0 auto;padding:8px 20px}
h1{font-size:22px;margin:12px 0 4px;overflow-wrap:anywhere}h2{font-size:18px;margin:22px 0 8px}h3{font-size:15px;margin:0 0 6px}
.meta{color:var(--muted);margin:2px 0;overflow-wrap:anywhere}code{background:var(--codebg);padding:1px 5px;border-radius:3px;overflow-wrap:anywhere}
.verdict{padding:2px 8px;border-radius:4px;color:#fff}.verdict.ok{background:#15803d}.verdict.violated{background:#b91c1c}
.explanation{background:var(--panel);border:1px solid var(--line);border-left:4px solid var(--bad);border-radius:6px;padding:10px 14px;margin:0 0 10px}
.inv{font-family:ui-monospace,monospace;color:var(--bad)}.anomaly{text-transform:uppercase;letter-spacing:.04em;font-size:12px;background:var(--anombg);color:var(--anomfg);padding:2px 6px;border-radius:3px}
.chain{margin:4px 0;padding-left:22px}.chain li{margin:2px 0;cursor:pointer}.chain .t{color:var(--muted);font-family:ui-monospace,monospace;font-size:12px}
.conclusion{font-weight:600;margin:6px 0 0}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chartbox{overflow-x:auto;max-width:100%}.chart{background:var(--panel);border:1px solid var(--line);border-radius:6px;display:block}
.scroll{overflow:auto;background:var(--panel);border:1px solid var(--line);border-radius:6px;max-height:80vh;-webkit-overflow-scrolling:touch}
.side{display:flex;align-items:flex-start;width:max-content}.side svg{display:block;flex:none}.side .ops{border-left:1px solid var(--line)}
.intro{color:var(--fg);max-width:1000px}
.legend{list-style:none;padding:0;margin:6px 0 10px;display:flex;flex-wrap:wrap;gap:4px 18px;color:var(--fg);font-size:13px}
.legend li{display:flex;align-items:center;gap:6px}.legend svg{flex:none}
.tools{display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center;margin:6px 0 10px;font-size:14px}
.tools input[type=search]{font:inherit;padding:4px 8px;border:1px solid var(--muted);border-radius:4px;background:var(--panel);color:var(--fg);width:14em}
.tools label{display:flex;align-items:center;gap:6px}#found{color:var(--muted)}
.chip{font-family:ui-monospace,monospace;padding:0 6px;border-radius:3px;color:#fff;cursor:pointer}
.chip.focus0{background:#a21caf}.chip.focus1{background:#0e7490}.chip.focus2{background:#1d4ed8}
svg text{font:11px ui-monospace,monospace;fill:var(--fg)}
svg .node{font-weight:700;font-size:12px;text-anchor:middle}svg .caption{fill:var(--muted);font-size:10px}
.lifeline line{stroke:var(--lifeline);stroke-width:1.5;pointer-events:none}
.msg line.hit{stroke:#000!important;stroke-width:9!important;stroke-opacity:0!important;stroke-dasharray:none!important}
.axis text{fill:var(--muted);font-size:10px}.axis .tick{stroke:var(--tick)}
.msg line{stroke:var(--msg);stroke-width:1.2}.msg:hover line:not(.hit),.hl line:not(.hit){stroke-width:3}
.msg.viol line{stroke:var(--viol)}.msg.focus0 line{stroke:var(--f0);stroke-width:2}.msg.focus1 line{stroke:var(--f1);stroke-width:2}.msg.focus2 line{stroke:var(--f2);stroke-width:2}
.msg.dropped line{stroke:var(--bad);stroke-dasharray:4 3}.msg .x{stroke:var(--bad);stroke-width:2.2;fill:none}
svg .lbl{font-size:10px}.viol .lbl{fill:var(--viol)}.focus0 .lbl{fill:var(--f0)}.focus1 .lbl{fill:var(--f1)}.focus2 .lbl{fill:var(--f2)}
.ev circle,.ev rect{fill:var(--msg)}.ev.viol circle,.ev.viol rect{fill:var(--viol)}.ev.focus0 circle,.ev.focus0 rect{fill:var(--f0)}.ev.focus1 circle,.ev.focus1 rect{fill:var(--f1)}.ev.focus2 circle,.ev.focus2 rect{fill:var(--f2)}
.ev.fault circle{fill:var(--fault)}.ev.error circle{fill:var(--bad)}.ev.fault .lbl{fill:var(--fault)}.ev.error .lbl{fill:var(--bad)}
.paused{fill:var(--pausefill);opacity:.55}.crashed{fill:var(--crashfill);opacity:.6}.partition{fill:var(--partfill);opacity:.35}
.firstbad line{stroke:var(--bad);stroke-width:2;stroke-dasharray:8 4}.firstbad text{fill:var(--bad);font-weight:700}
.op rect{stroke-width:2;stroke:transparent}.op-placed rect{fill:var(--okc)}.op-out-of-stock rect{fill:var(--msg)}.op-failed rect{fill:var(--bad)}
.op-unanswered rect{fill:none;stroke:var(--fault)!important;stroke-dasharray:3 2}
.op.focus0 rect{stroke:var(--f0)}.op.focus1 rect{stroke:var(--f1)}.op.focus2 rect{stroke:var(--f2)}.op.viol rect{stroke:var(--viol)}
.series{fill:none;stroke-width:2}.series.available{stroke:var(--avail)}.series.reserved{stroke:var(--resv)}
.series.sold{stroke:var(--sold)}.series.claimed{stroke:var(--claim);stroke-dasharray:5 3}
.initial{stroke:var(--muted);stroke-dasharray:1 3;stroke-width:1.5}.badline line{stroke:var(--bad);stroke-width:1.5}.badline text{fill:var(--bad);font-size:10px}.dot{fill:var(--avail);opacity:.6}
.chart .ctitle{font-weight:700;font-size:12px}
.tablebox{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;background:var(--panel)}td,th{border:1px solid var(--line);padding:3px 10px;font-family:ui-monospace,monospace;font-size:12px;text-align:left}
tr.focus0 td:first-child{color:var(--f0);font-weight:700}tr.focus1 td:first-child{color:var(--f1);font-weight:700}tr.focus2 td:first-child{color:var(--f2);font-weight:700}tr.viol td:first-child{color:var(--viol)}
tr.hl td{background:var(--hl)}
.found circle,.found rect,.found line:not(.hit){stroke:var(--found)!important;stroke-width:4!important}tr.found td{outline:2px solid var(--found)}
body.only-focus .spacetime .msg:not(.focus0):not(.focus1):not(.focus2),body.only-focus .spacetime .ev:not(.focus0):not(.focus1):not(.focus2):not(.fault),
body.only-focus .ops .op:not(.focus0):not(.focus1):not(.focus2),body.only-focus #orders tbody tr:not(.focus0):not(.focus1):not(.focus2){display:none}
#tip{position:fixed;display:none;pointer-events:none;background:var(--tipbg);color:var(--tipfg);font:12px ui-monospace,monospace;padding:5px 8px;border-radius:4px;max-width:min(520px,calc(100vw - 16px));overflow-wrap:anywhere;z-index:10}
@media (max-width:700px){
header,main{padding:6px 10px}h1{font-size:19px}body{font-size:16px}
.scroll{max-height:70vh}.legend{font-size:14px;gap:4px 12px}.tools input[type=search]{width:100%}
}
`;

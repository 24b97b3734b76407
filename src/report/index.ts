// The report layer's public surface, for src/index.ts to re-export (one line:
// `export * from './report/index.js';`). Everything here reads traces and results; nothing runs.
export { explainViolations, explanationToJson, focusOrders, ANOMALY_TITLES, type Explanation, type AnomalyClass, type Step } from './explain.js';
export { formatTimeline, type TimelineOptions } from './timeline.js';
export { renderHtmlReport, htmlInputFromRun, type HtmlReportInput } from './html.js';
export { stockSeries, type StockSeries, type StockPoint } from './stock.js';
export { formatWhy, faultToJson } from './whyText.js';
export { formatExport } from './exportText.js';
export { describeKnobs } from './knobs.js';
export { formatRunSummary, formatSweepSummary, replayCommand } from './summary.js';
export { colorsFor, plain, type Colors } from './colors.js';

// The report layer's public surface, for src/index.ts to re-export (one line:
// `export * from './report/index.js';`). Everything here reads traces; nothing changes a run.
export { explainViolations, explanationToJson, focusOrders, ANOMALY_TITLES, type Explanation, type AnomalyClass, type Step } from './explain.js';
export { formatTimeline, type TimelineOptions } from './timeline.js';
export { renderHtmlReport, htmlInputFromRun, type HtmlReportInput } from './html.js';
export { stockSeries, type StockSeries, type StockPoint } from './stock.js';
export { why, AlignedSource, type WhyResult, type WhyOptions, type FailingRun } from './why.js';
export { exportScenario, type ExportInput, type ExportResult } from './exportScenario.js';
export { faultsOf, describeStep, NothingToExplainError, type Fault } from './faults.js';
export { formatRunSummary, formatSweepSummary, replayCommand } from './summary.js';
export { colorsFor, plain, type Colors } from './colors.js';

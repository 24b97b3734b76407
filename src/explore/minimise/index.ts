// The minimiser: one module for every search that shrinks a failing run to what it needs.
// check's polish, `why` and `export` share its searches (search.ts), its faults (faults.ts) and
// its way of re-running a run with some faults removed, by meaning (removal.ts).
export { Budget, ddmin, necessaryOf, dropUnneeded } from './search.js';
export { faultsOf, type Fault } from './faults.js';
export { recordedRun, answersKeeping, answersAsRecorded, stepsKeeping, type FailingRun } from './removal.js';
export { why, type WhyOptions, type WhyResult } from './why.js';
export { exportScenario, type ExportInput, type ExportResult } from './export.js';
export { polishCounterexample, type KnobsRun } from './polish.js';

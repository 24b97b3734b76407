/**
 * oversold's public API: what a vitest (or any) suite imports. Everything the CLI does goes
 * through these functions. See docs/exploration.md for a complete test file and
 * docs/writing-a-strategy.md for the Strategy API.
 */

// ── Scenarios ────────────────────────────────────────────────────────────────
export {
  loadScenario,
  loadScenarioFile,
  builtinScenarioNames,
  builtinScenarioPath,
  BUILTIN_SCENARIOS_DIR,
  parseScenario,
  formatProblem,
  scenarioJsonSchema,
  INVARIANT_NAMES,
  type Scenario,
  type ScenarioInput,
  type ScenarioResult,
  type ScenarioProblem,
  type FaultStep,
} from './scenario/index.js';

// ── Running: one run is a function of (scenario, strategy, choice source) ────
export { runOnce, runToJson, builtinStrategy, timingOf, calmPctStats, type RunOptions, type RunResult, type RunnableScenario, type OrderCounts } from './explore/run.js';
export { checkInvariants, INVARIANTS, type Violation, type InvariantName, type JudgedState, type JudgedItem } from './inventory/invariants.js';
export { checkExpectation } from './explore/expect.js';

// ── Choice sources: every decision of fate is a question answered by a source ─
export { SeededSource, ListSource } from './sim/sources.js';
export { StreamListSource, type StreamLists } from './explore/streamSource.js';
export { STREAMS, CHOICE_KINDS, type ChoiceSource, type Question, type Choice, type ChoiceKind, type Stream } from './sim/choice.js';
export { traceToJsonLines, TRACE_FORMAT_VERSION, type TraceEvent } from './sim/trace.js';

// ── The schedule is a choice: timing models, schedulers, identities ───────────
export { TIMING_MODELS, type TimingModel, type RunLimits, type StopReason } from './sim/kernel.js';
export { EARLIEST, ChoiceScheduler, type Scheduler } from './sim/scheduler.js';
export { PctScheduler, CalmCounter, pctMissBound, PCT_DEPTH_MAX, type PctOptions, type PctCalmStats } from './sim/pct.js';
export { chainOf } from './sim/chains.js';
export { searchOf, searchName, PCT_DEPTH_DEFAULT, SEARCH_KINDS, type Search, type SearchKind } from './explore/search.js';
export { pctBoundText } from './report/pctBound.js';
export { EVENT_KINDS, type EventKind, type QueuedEvent } from './sim/queue.js';
export { eventSubjectOf } from './sim/eventSubject.js';
export { subjectKey, type Subject, type EventSubject, type MessageSubject, type CallSubject } from './sim/subjects.js';
export { labelOf, subjectText, eventText } from './sim/labels.js';
export { KernelAssertionError } from './sim/assert.js';
export { AlignedSource } from './explore/alignedSource.js';

// ── Strategies: bring your own placeOrder ────────────────────────────────────
export {
  defineStrategy,
  DEFAULT_STRATEGY_OPTIONS,
  STRATEGY_OPTION_SPECS,
  resolveStrategyOptions,
  type BuiltInOptions,
  type Strategy,
  type StrategyOptions,
  type OrderContext,
  type RecoveryContext,
  type InventoryDB,
  type PaymentClient,
  type LockClient,
  type CallOptions,
  type SqlClient,
  type SqlTransaction,
  type SqlQueryResult,
  type SqlUnknown,
} from './inventory/strategy.js';

// ── SQL: PostgreSQL's isolation levels, simulated and checked against PostgreSQL ─
export {
  loadSqlParser,
  sqlParserReady,
  SqlEngine,
  tableSql,
  runConformance,
  compareWithPostgres,
  conformanceCases,
  HERMITAGE,
  checkHermitage,
  type Isolation,
  type TableSpec,
  type ColumnSpec,
  type SqlResult,
  type SqlRows,
  type SqlFailure,
  type SqlErrorKind,
  type Access,
  type RowRef,
  type PredicateRead,
  type ConformanceReport,
  type CaseResult,
} from './inventory/sql/index.js';
export { SqlSubsetError } from './inventory/sqlNode.js';
export { runOrdersOnPostgres, type PostgresRunOptions, type PostgresOrderResult } from './inventory/sqlOnPostgres.js';
export type { SqlConfig } from './inventory/worldConfig.js';
export { ORDER_ANSWERS, orderQty, type Order, type OrderLine, type OrderAnswer } from './inventory/types.js';
export type * as DbTypes from './inventory/dbTypes.js';
export type { Proc, RpcResult } from './sim/process.js';
export * from './inventory/strategies/index.js';
export { loadStrategy, isStrategy } from './explore/loadStrategy.js';

// ── Property testing with fast-check ─────────────────────────────────────────
export {
  choiceListArb,
  streamListsArb,
  swarmArb,
  applySwarm,
  identityKnobs,
  type ChoiceListOptions,
  type SwarmKnobs,
} from './explore/arbitraries.js';
export { enabledFaults, type FaultToggles } from './scenario/shape.js';
export { checkStrategy, type CheckOptions, type CheckResult, type Counterexample } from './explore/check.js';
export { defaultReplayFile, counterexampleRun, REPLAY_DIR } from './explore/property.js';
export { formatCounterexample, type CounterexampleText } from './report/counterexample.js';

// ── In your test suite: one call, or a property for fast-check / @fast-check/vitest ──
export { assertStrategyHolds, CounterexampleError, type AssertOptions } from './testing/assert.js';
export { strategyProperty, StrategyViolationError, type StrategyCase, type StrategyProperty, type StrategyPropertyOptions } from './testing/strategyProperty.js';
export type { ModuleRef } from './testing/refs.js';
export { describeChoice, surprisingChoices, type ShownChoice } from './explore/describeChoices.js';

// ── Replay files ─────────────────────────────────────────────────────────────
export { readReplayFile, writeReplayFile, replayDataOf, replayRun, answersOf, type ReplayData, type ReplayFile, type ReplayResult } from './explore/replayFile.js';

// ── Sweeps: many seeds, in this thread or on worker threads ─────────────────
export { sweepInline, mergeTallies, summarizeTally, type SweepOptions, type SweepTally, type SweepSummary } from './explore/sweep.js';
export { sweepParallel, type ParallelSweepOptions, type ParallelSweepResult } from './explore/parallel.js';
// The CLI's limits for your own sweeps: sweepParallel({ ..., watchdog: wallClockWatchdog(30, { runBudgetS: 300, loadBudgetS: 60 }) }).
export { wallClockWatchdog } from './cli/watchdog.js';
export type { Watchdog } from './explore/pool.js';
export { threadHeapMb, simulatorHeapMb } from './explore/memory.js';
export { tuneGcForSweeps } from './explore/gcTuning.js';
export { parseShard, shardRange, type Shard } from './explore/shard.js';
export { sweepReport, mergeSweepReports, readSweepReport, type SweepReport } from './explore/sweepReport.js';
export { checkRunDeterminism, firstTraceDifference, type Divergence } from './explore/determinism.js';
export { formatDivergence } from './report/divergence.js';

// ── Scenarios in code: the builder mirrors the file vocabulary one method per field or step
export { scenario, ScenarioBuilder, ScenarioBuildError } from './scenario/index.js';

// ── Minimising a failing run: which faults it needs (why), as a scenario file (export) ──
export { why, exportScenario, faultsOf, type WhyResult, type WhyOptions, type FailingRun, type ExportInput, type ExportResult, type Fault } from './explore/minimise/index.js';
export { describeStep } from './scenario/describeStep.js';

// ── Reports: explanations, timelines, HTML, why and export in words ─────────
export * from './report/index.js';

// ── Errors ───────────────────────────────────────────────────────────────────
export { EXIT, OversoldError, InputError, UsageError, UnknownStrategyError, NothingToExplainError, type ExitCode } from './errors.js';
export { userFrame, type SourceFrame } from './inventory/thrownAt.js';
export { VERSION } from './version.js';

// Exhaustive exploration (docs/exploration.md, "oversold explore: every schedule of a small sale").
export { exploreStrategy, assertNoScheduleBreaks, concludeSearch, ScheduleBreaksError, type ExploreResult, type ExploreStrategyOptions } from './explore/exhaustive/explore.js';
export { searchSchedules, type ExploreOptions, type ExploreSearch, type FoundExecution } from './explore/exhaustive/search.js';
export { NO_FAULTS, SEMANTICS, boundedScenario, type FaultBounds } from './explore/exhaustive/bounds.js';
export { proofStatement, proofJson, notCovered, SEMANTICS_TEXT, type ProofJson } from './explore/exhaustive/proof.js';
export { DEFAULT_SEMANTICS, SEMANTICS_NAMES, SEMANTICS_TEXTS, type Semantics } from './explore/exhaustive/semantics.js';
export { parseCursor, type Cursor } from './explore/exhaustive/cursor.js';
export { searchParallel, searchSplitInProcess, type ParallelExploreOptions, type SplitExploreOptions, type ParallelExploreSearch } from './explore/exhaustive/parallel.js';

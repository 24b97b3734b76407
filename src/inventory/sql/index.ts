/**
 * The SQL room's public surface: the engine (pure, deterministic), step schedules, Hermitage
 * as data, and conformance against a real PostgreSQL (the only part that does I/O).
 */
export { SqlEngine, type CommitEvent, type Completion, type EngineOptions, type StepOutcome, type WrittenRow } from './engine.js';
export { loadSqlParser, sqlParserReady } from './parse.js';
export { tableSql } from './catalog.js';
export type { CancelReason } from './errors.js';
export * from './types.js';
export type { ColumnType, JsVal } from './values.js';
export { compareOutcomes, runScheduleSim, type Disagreement, type Schedule, type ScheduleOutcome, type ScheduleStep, type StepRecord, type StepResult } from './schedule.js';
export { checkHermitage, HERMITAGE, HERMITAGE_TABLE, hermitageSchedule, LEVEL_NAMES, LEVELS, type HermitageCase, type Level } from './hermitage.js';
export { EXTRA_CASES, extraSchedule, ITEMS_TABLE, RESERVATIONS_TABLE, type ExtraCase } from './conformanceCases.js';
export { PgConnections, runSchedulePg, type PgScheduleOptions } from './pg/runSchedulePg.js';
export { compareWithPostgres, conformanceCases, runConformance, type CaseResult, type ConformanceCase, type ConformanceReport } from './pg/conformance.js';

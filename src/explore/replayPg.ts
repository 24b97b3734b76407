import { InputError } from '../errors.js';
import { compareWithPostgres } from '../inventory/sql/pg/conformance.js';
import type { Level } from '../inventory/sql/hermitage.js';
import type { Disagreement, Schedule, ScheduleOutcome } from '../inventory/sql/schedule.js';
import { sqlScheduleOf } from '../inventory/sqlSchedule.js';
import type { RunResult } from './run.js';

export interface PostgresReplay {
  /** The run's SQL, statement by statement, as the server started them. */
  readonly schedule: Schedule;
  readonly level: Level;
  readonly simulated: ScheduleOutcome;
  readonly postgres: ScheduleOutcome;
  /** Empty: PostgreSQL gave every statement the same outcome, so the same anomaly happened there. */
  readonly disagreements: readonly Disagreement[];
  /** Runs on PostgreSQL: more than 1 when the schedule is racy and PostgreSQL first took the other order (RACY_SCHEDULE_ATTEMPTS). */
  readonly attempts: number;
}

/**
 * `replay --pg`: drives the SQL of a simulated run (it must have kept its trace) against a real
 * PostgreSQL, step for step in the order the simulated server started the statements (one
 * connection per session, a session known to wait from pg_locks, as the conformance runner
 * does), and compares every outcome and the final tables. No disagreement means PostgreSQL
 * shows the same anomaly (the same lost update, the same write skew) on the same interleaving.
 */
export async function replayOnPostgres(run: RunResult, connectionString: string): Promise<PostgresReplay> {
  const sql = run.world.sql;
  if (sql === null) throw new InputError('replay --pg: this run has no SQL server (its strategy does not speak SQL)', 'NO_SQL');
  if (run.trace === null) throw new Error('replayOnPostgres needs the run\'s trace (runOnce with keepTrace)');
  const schedule = sqlScheduleOf(run.trace, sql.config);
  // SERIALIZABLE promises a committed set, not a victim: compare it as conformance does.
  const level: Level = schedule.steps.some((s) => /\bserializable\b/i.test(s.sql)) ? 'ser' : 'rc';
  const r = await compareWithPostgres(schedule, level, { connectionString });
  return { schedule, level, ...r };
}

/**
 * Conformance: the same schedules on the simulated engine and on a real PostgreSQL, compared
 * outcome by outcome. At READ COMMITTED and REPEATABLE READ every step must agree (blocked
 * or not, when it finished, command, row count, rows, SQLSTATE) and so must the final tables;
 * at SERIALIZABLE the promise is the committed set, "some transaction failed with 40001 or
 * none", and the final tables (docs/sql.md says where the victim may differ).
 */
import { EXTRA_CASES, extraSchedule } from '../conformanceCases.js';
import { HERMITAGE, hermitageSchedule, LEVEL_NAMES, LEVELS, type Level } from '../hermitage.js';
import { loadSqlParser } from '../parse.js';
import { compareOutcomes, runScheduleSim, type Disagreement, type Schedule, type ScheduleOutcome } from '../schedule.js';
import { PgConnections, runSchedulePg, type PgScheduleOptions } from './runSchedulePg.js';

export interface ConformanceCase {
  readonly name: string;
  readonly level: Level;
  readonly schedule: Schedule;
}

export interface CaseResult {
  readonly name: string;
  readonly level: Level;
  readonly disagreements: readonly Disagreement[];
  readonly simulated: ScheduleOutcome;
  readonly postgres: ScheduleOutcome;
}

export interface ConformanceReport {
  readonly cases: readonly CaseResult[];
  /** Total number of disagreements over all cases. */
  readonly disagreements: number;
}

/** Hermitage's cases and oversold's own, each at the three isolation levels. */
export function conformanceCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const c of HERMITAGE) for (const level of LEVELS) out.push({ name: `hermitage ${c.name}`, level, schedule: hermitageSchedule(c, level) });
  for (const c of EXTRA_CASES) for (const level of LEVELS) out.push({ name: c.name, level, schedule: extraSchedule(c, LEVEL_NAMES[level]) });
  return out;
}

/** One schedule on both, compared (exactly below SERIALIZABLE). */
export async function compareWithPostgres(schedule: Schedule, level: Level, options: PgScheduleOptions): Promise<Omit<CaseResult, 'name' | 'level'>> {
  await loadSqlParser();
  const simulated = runScheduleSim(schedule);
  const postgres = await runSchedulePg(schedule, options);
  const disagreements = compareOutcomes(simulated, postgres, level === 'ser' ? 'serializable' : 'exact');
  return { simulated, postgres, disagreements };
}

export async function runConformance(options: PgScheduleOptions, cases: readonly ConformanceCase[] = conformanceCases()): Promise<ConformanceReport> {
  const results: CaseResult[] = [];
  let total = 0;
  const connections = options.connections ?? new PgConnections(options.connectionString, options.deadlockTimeoutMs);
  try {
    for (const c of cases) {
      const r = await compareWithPostgres(c.schedule, c.level, { ...options, connections });
      total += r.disagreements.length;
      results.push({ name: c.name, level: c.level, ...r });
    }
  } finally {
    if (!options.connections) await connections.close();
  }
  return { cases: results, disagreements: total };
}

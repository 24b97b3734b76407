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
import { PgConnections, runSchedulePg, StillBlockedOnPostgres, type PgScheduleOptions } from './runSchedulePg.js';

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
  /** Runs on PostgreSQL it took: more than 1 only for a racy schedule (compareWithPostgres). */
  readonly attempts: number;
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

/**
 * How many times a racy schedule is run on PostgreSQL before its outcome counts. In a racy
 * schedule one transaction's end wakes two waiting statements at once (ScheduleOutcome.racy):
 * PostgreSQL lets them race for the row (under READ COMMITTED each re-reads it after its wait
 * and locks its newest version), so which one goes first depends on which backend the
 * operating system runs first. The engine resumes them in the order they started waiting,
 * PostgreSQL's more frequent outcome (docs/sql.md: 14 runs in 20 on one random schedule; with
 * three busy loops beside it, `replay --pg` of sql-read-then-write went the other way in 3 of
 * 25 replays). The
 * question is whether PostgreSQL can run the same statements to the same outcomes, so a racy
 * schedule is tried again, up to this many times, until one run agrees.
 */
export const RACY_SCHEDULE_ATTEMPTS = 5;

/** One schedule on both, compared (exactly below SERIALIZABLE). */
export async function compareWithPostgres(schedule: Schedule, level: Level, options: PgScheduleOptions): Promise<Omit<CaseResult, 'name' | 'level'>> {
  await loadSqlParser();
  return compareRacyAware(schedule, level, () => runSchedulePg(schedule, options));
}

/**
 * compareWithPostgres with the PostgreSQL side as a function (a test gives a scripted one). A
 * schedule that is not racy runs once: whatever PostgreSQL does is the answer. A racy one runs
 * until PostgreSQL agrees or RACY_SCHEDULE_ATTEMPTS runs are spent; then the last run's
 * disagreements are the answer, or, if PostgreSQL still held a session waiting where the
 * engine had it done, that error, saying the schedule is racy and how often it was tried.
 */
export async function compareRacyAware(schedule: Schedule, level: Level, runPg: () => Promise<ScheduleOutcome>): Promise<Omit<CaseResult, 'name' | 'level'>> {
  const simulated = runScheduleSim(schedule);
  const attemptsMax = simulated.racy === true ? RACY_SCHEDULE_ATTEMPTS : 1;
  for (let attempts = 1; ; attempts++) {
    let postgres: ScheduleOutcome;
    try {
      postgres = await runPg();
    } catch (e) {
      if (!(e instanceof StillBlockedOnPostgres) || attemptsMax === 1) throw e;
      if (attempts < attemptsMax) continue;
      throw new StillBlockedOnPostgres(
        `${e.message} in each of ${attempts} runs on PostgreSQL: the schedule is racy (a transaction's end wakes two waiting statements at once, and PostgreSQL lets them race), and PostgreSQL never woke them in the order the simulated engine did`,
      );
    }
    const disagreements = compareOutcomes(simulated, postgres, level === 'ser' ? 'serializable' : 'exact');
    if (disagreements.length === 0 || attempts >= attemptsMax) return { simulated, postgres, disagreements, attempts };
  }
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

/**
 * A step schedule: sessions x statements in a fixed order, as PostgreSQL's isolation tester
 * runs a permutation. The same schedule runs on the simulated engine (here) and on a real
 * server (pg/runSchedulePg.ts); both produce a ScheduleOutcome, and `compareOutcomes` lists
 * every disagreement. A step "blocks" when it has not finished by the time the next step is
 * issued (after any deadlock among the waiters has been resolved); it records after which
 * step it finished.
 */
import { InputError } from '../../errors.js';
import { SqlEngine } from './engine.js';
import type { Isolation, Row, SqlResult, TableSpec } from './types.js';

export interface ScheduleStep {
  readonly session: string;
  readonly sql: string;
  readonly params?: readonly unknown[];
}

export interface Schedule {
  readonly tables: readonly TableSpec[];
  readonly steps: readonly ScheduleStep[];
}

/** A statement's outcome in the form both runners can produce and compare. */
export type StepResult =
  | { readonly ok: true; readonly command: string; readonly rowCount: number | null; readonly rows: readonly Row[] }
  | { readonly ok: false; readonly sqlstate: string; readonly message: string };

export interface StepRecord {
  readonly index: number;
  readonly session: string;
  readonly sql: string;
  /** Did not finish before the next step was issued. */
  blocked: boolean;
  /** The step after which it finished (its own index when it did not block); -1: never finished. */
  completedAfter: number;
  result?: StepResult;
}

export interface ScheduleOutcome {
  readonly steps: StepRecord[];
  /** Committed contents of every table at the end, ordered by primary key. */
  readonly tables: Record<string, Row[]>;
  /** Simulated runs only: some transaction's end woke two waiting statements at once, where PostgreSQL's outcome may vary. */
  readonly racy?: boolean;
}

/** Rows in a canonical order unless the statement asked for one (ORDER BY): SQL promises no order otherwise. */
export function normalizeResult(sql: string, r: { ok: true; command: string; rowCount: number | null; rows: readonly Row[] } | { ok: false; sqlstate: string; message: string }): StepResult {
  if (!r.ok) return { ok: false, sqlstate: r.sqlstate, message: r.message };
  const rows = r.rows.map((x) => ({ ...x }));
  if (!/\border\s+by\b/i.test(sql)) rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
  return { ok: true, command: r.command, rowCount: r.rowCount, rows };
}

function fromSql(sql: string, r: SqlResult): StepResult {
  return normalizeResult(sql, r.ok ? r : { ok: false, sqlstate: r.sqlstate, message: r.message });
}

export interface SimScheduleOptions {
  readonly defaultIsolation?: Isolation;
}

export function runScheduleSim(schedule: Schedule, options: SimScheduleOptions = {}): ScheduleOutcome {
  const engine = new SqlEngine({ tables: schedule.tables, defaultIsolation: options.defaultIsolation });
  const steps: StepRecord[] = [];
  const waiting = new Map<string, StepRecord>();
  schedule.steps.forEach((st, i) => {
    if (waiting.has(st.session)) throw new InputError(`step ${i + 1} (${st.session}: ${st.sql}): session ${st.session} is still blocked on step ${waiting.get(st.session)!.index + 1}`, 'BAD_SCHEDULE');
    const rec: StepRecord = { index: i, session: st.session, sql: st.sql, blocked: false, completedAfter: i };
    steps.push(rec);
    const out = engine.execute(st.session, st.sql, st.params ?? []);
    if (out.status === 'done') rec.result = fromSql(st.sql, out.result);
    else {
      rec.blocked = true;
      rec.completedAfter = -1;
      waiting.set(st.session, rec);
    }
    for (const c of engine.takeCompletions()) {
      const w = waiting.get(c.session)!;
      w.result = fromSql(w.sql, c.result);
      w.completedAfter = i;
      waiting.delete(c.session);
    }
  });
  const tables: Record<string, Row[]> = {};
  for (const t of schedule.tables) tables[t.name] = engine.committedRows(t.name);
  return { steps, tables, racy: engine.racyWakeups() > 0 };
}

export interface Disagreement {
  /** 1-based step number, or 0 for the final table state. */
  readonly step: number;
  readonly what: string;
  readonly simulated: string;
  readonly postgres: string;
}

const show = (x: unknown) => JSON.stringify(x) ?? 'none';

/** Tables with rows in one canonical order (a server's collation may order text keys differently). */
function canonicalTables(t: Record<string, Row[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(t).sort()) out[name] = t[name].map((r) => JSON.stringify(r)).sort();
  return out;
}

function resultText(r: StepResult | undefined): string {
  if (!r) return 'did not finish';
  if (!r.ok) return `ERROR ${r.sqlstate}`;
  return `${r.command} ${r.rowCount ?? ''} ${show(r.rows)}`.replace(/\s+/g, ' ');
}

/**
 * Step by step: blocked or not, when it finished, command, row count, rows, SQLSTATE; then
 * the final tables. With `serializable`, only what SSI promises to match: the same sessions
 * commit, the same answer to "did some transaction fail with 40001", the same final tables.
 */
export function compareOutcomes(sim: ScheduleOutcome, pg: ScheduleOutcome, mode: 'exact' | 'serializable' = 'exact'): Disagreement[] {
  const out: Disagreement[] = [];
  if (mode === 'exact') {
    sim.steps.forEach((s, i) => {
      const p = pg.steps[i];
      const n = i + 1;
      if (s.blocked !== p.blocked) out.push({ step: n, what: 'blocked', simulated: String(s.blocked), postgres: String(p.blocked) });
      if (s.completedAfter !== p.completedAfter) out.push({ step: n, what: 'finished after step', simulated: String(s.completedAfter + 1), postgres: String(p.completedAfter + 1) });
      const a = resultText(s.result);
      const b = resultText(p.result);
      if (a !== b) out.push({ step: n, what: 'result', simulated: a, postgres: b });
    });
  } else {
    const committedSessions = (o: ScheduleOutcome) =>
      [...new Set(o.steps.filter((s) => s.result?.ok && s.result.command === 'COMMIT' && /^\s*commit\b/i.test(s.sql)).map((s) => s.session))].sort().join(',');
    const a = committedSessions(sim);
    const b = committedSessions(pg);
    if (a !== b) out.push({ step: 0, what: 'committed sessions', simulated: a, postgres: b });
    const fails = (o: ScheduleOutcome) => o.steps.some((s) => s.result && !s.result.ok && s.result.sqlstate === '40001');
    if (fails(sim) !== fails(pg)) out.push({ step: 0, what: 'some transaction failed with 40001', simulated: String(fails(sim)), postgres: String(fails(pg)) });
  }
  const ta = show(canonicalTables(sim.tables));
  const tb = show(canonicalTables(pg.tables));
  if (ta !== tb) out.push({ step: 0, what: 'final tables', simulated: ta, postgres: tb });
  return out;
}

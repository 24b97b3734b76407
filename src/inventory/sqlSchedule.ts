import type { TraceEvent } from '../sim/trace.js';
import type { Schedule, ScheduleStep } from './sql/schedule.js';
import type { SqlConfig } from './worldConfig.js';

/**
 * The SQL a simulated run sent, as a step schedule (sessions x statements, in the order the
 * server started them): what `replay --pg` drives against a real PostgreSQL, step for step.
 * A statement starts when the server first notes it: `sql:wait` for one that waited for a
 * lock, else `sql:statement`. A dropped connection (`sql:disconnect`) is a ROLLBACK on it.
 * Needs the run's trace (keepTrace).
 */
export function sqlScheduleOf(trace: readonly TraceEvent[], config: SqlConfig): Schedule {
  const steps: ScheduleStep[] = [];
  const waiting = new Set<string>();
  for (const e of trace) {
    if (e.type !== 'domain' || e.node !== 'sql') continue;
    const d = e.data as { session?: string; sql?: string; params?: unknown[] };
    const session = String(d.session ?? '');
    if (e.what === 'sql:wait') {
      waiting.add(session);
      steps.push({ session, sql: String(d.sql), params: d.params ?? [] });
    } else if (e.what === 'sql:statement') {
      if (waiting.delete(session)) continue;
      steps.push({ session, sql: String(d.sql), params: d.params ?? [] });
    } else if (e.what === 'sql:disconnect') {
      if (!waiting.delete(session)) steps.push({ session, sql: 'ROLLBACK', params: [] });
    }
  }
  return { tables: config.tables, steps };
}

/**
 * Runs a step schedule on a real PostgreSQL, the way PostgreSQL's isolation tester runs a
 * permutation: one connection per session; after issuing a step, wait until it finishes or
 * the server says the session waits for a lock held by another session
 * (`pg_isolation_test_session_is_blocked`); then let every earlier-blocked session finish or
 * be seen blocked again. Waiting is done by the server (`pg_sleep` on the control
 * connection), so this module reads no clock of its own.
 *
 * The schedule's tables are dropped and created afresh: point it at a scratch database.
 */
import type { PgClient, PgResult } from './pgTypes.js';
import { pgClient } from './pgClient.js';
import { InputError } from '../../../errors.js';
import { tableSql } from '../catalog.js';
import { normalizeResult, type Schedule, type ScheduleOutcome, type StepRecord } from '../schedule.js';
import type { Row } from '../types.js';

export interface PgScheduleOptions {
  readonly connectionString: string;
  /**
   * deadlock_timeout for a statement issued while no other session waits, 500 ms by
   * default; one issued while k sessions wait gets k x 250 ms more (setting it needs a
   * superuser; otherwise the server's own value applies). PostgreSQL's victim is the waiter
   * whose deadlock_timeout fires first once the cycle exists; staggering the timeouts makes
   * that the one that waited first, as the simulator chooses, however slow the machine.
   * When the sessions' waits form a cycle (pg_blocking_pids), the runner waits for the
   * server to break it before it calls a step blocked.
   */
  readonly deadlockTimeoutMs?: number;
  /** Connections to reuse across schedules (opening one costs far more than a schedule's steps). */
  readonly connections?: PgConnections;
}

/**
 * A step for a session whose previous statement PostgreSQL still holds waiting for a lock. A
 * schedule that the simulated engine ran puts no step on a waiting session, so on PostgreSQL
 * this means the server released the waiters in another order than the engine did (a racy
 * schedule: compareWithPostgres tries it again) or that the engine and PostgreSQL disagree.
 */
export class StillBlockedOnPostgres extends InputError {
  constructor(message: string) {
    super(message, 'BAD_SCHEDULE');
    this.name = 'StillBlockedOnPostgres';
  }
}

interface Live {
  readonly client: PgClient;
  readonly pid: number;
  running?: { rec: StepRecord; settled: boolean };
}

/** A control connection and one connection per session name, reused from schedule to schedule. */
export class PgConnections {
  private admin?: PgClient;
  private readonly sessions = new Map<string, Live>();

  constructor(
    readonly connectionString: string,
    readonly deadlockTimeoutMs = 500,
  ) {}

  async control(): Promise<PgClient> {
    if (!this.admin) {
      const Client = await pgClient();
      // Another caller may have opened it while the package loaded.
      if (this.admin) return this.admin;
      this.admin = new Client({ connectionString: this.connectionString });
      await this.admin.connect();
    }
    return this.admin;
  }

  async session(name: string): Promise<Live> {
    let live = this.sessions.get(name);
    if (!live) {
      const client = new (await pgClient())({ connectionString: this.connectionString });
      await client.connect();
      client.on('error', () => {});
      client.on('notice', () => {});
      const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      this.sessions.set(name, (live = { client, pid }));
    }
    // A clean session: no transaction, no settings left by an earlier schedule.
    await live.client.query('ROLLBACK');
    await live.client.query('RESET ALL');
    await live.client.query(`SET deadlock_timeout = '${this.deadlockTimeoutMs}ms'`).catch(() => {});
    live.running = undefined;
    return live;
  }

  /** Cancels statements still waiting (a schedule may end with a session blocked) and rolls back. */
  async settleAll(): Promise<void> {
    const admin = await this.control();
    for (const s of this.sessions.values()) {
      if (s.running && !s.running.settled) await admin.query('SELECT pg_cancel_backend($1)', [s.pid]).catch(() => {});
    }
    for (const s of this.sessions.values()) {
      while (s.running && !s.running.settled) await admin.query('SELECT pg_sleep(0.001)');
      await s.client.query('ROLLBACK').catch(() => {});
    }
  }

  async close(): Promise<void> {
    await this.settleAll().catch(() => {});
    for (const s of this.sessions.values()) await s.client.end().catch(() => {});
    this.sessions.clear();
    await this.admin?.end().catch(() => {});
    this.admin = undefined;
  }
}

export async function runSchedulePg(schedule: Schedule, options: PgScheduleOptions): Promise<ScheduleOutcome> {
  const conns = options.connections ?? new PgConnections(options.connectionString, options.deadlockTimeoutMs);
  const deadlockMs = conns.deadlockTimeoutMs;
  const sessions = new Map<string, Live>();
  try {
    const admin = await conns.control();
    for (const t of schedule.tables) {
      await admin.query(`DROP TABLE IF EXISTS ${t.name}`);
      for (const sql of tableSql(t)) await admin.query(sql);
    }
    for (const st of schedule.steps) {
      if (!sessions.has(st.session)) sessions.set(st.session, await conns.session(st.session));
    }
    const pids = [...sessions.values()].map((s) => s.pid);
    const sleep = (ms: number) => admin.query('SELECT pg_sleep($1)', [ms / 1000]);
    const isBlocked = async (pid: number) => (await admin.query('SELECT pg_isolation_test_session_is_blocked($1, $2) AS b', [pid, pids])).rows[0].b === true;
    /**
     * A wait is real when every session it waits for is idle in its transaction or itself
     * waiting for a lock. A blocker still running (PostgreSQL sends a statement's error to the
     * client before it aborts the transaction and releases its locks) will let go by itself.
     */
    const blockersSettled = async (pid: number) =>
      Number(
        (
          await admin.query(
            "SELECT count(*) AS busy FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids($1)) AND state <> 'idle in transaction' AND wait_event_type IS DISTINCT FROM 'Lock'",
            [pid],
          )
        ).rows[0].busy,
      ) === 0;
    /** Until the session's statement finishes (true) or waits on another session's lock (false). */
    const settle = async (live: Live): Promise<boolean> => {
      for (;;) {
        if (!live.running || live.running.settled) return true;
        const blocked = (await isBlocked(live.pid)) && (await blockersSettled(live.pid));
        if (live.running.settled) return true;
        if (blocked) return false;
        await sleep(1);
      }
    };
    /** Whether the sessions' lock waits (pg_blocking_pids) form a cycle. */
    const inCycle = async (): Promise<boolean> => {
      const rows = (await admin.query('SELECT pid, pg_blocking_pids(pid) AS by FROM unnest($1::int[]) AS pid', [pids])).rows as { pid: number; by: number[] }[];
      const edges = new Map(rows.map((r) => [r.pid, r.by.filter((b) => pids.includes(b))]));
      const onPath = new Set<number>();
      const done = new Set<number>();
      const visit = (p: number): boolean => {
        if (onPath.has(p)) return true;
        if (done.has(p)) return false;
        onPath.add(p);
        const found = (edges.get(p) ?? []).some(visit);
        onPath.delete(p);
        done.add(p);
        return found;
      };
      return pids.some(visit);
    };
    const steps: StepRecord[] = [];
    for (let i = 0; i < schedule.steps.length; i++) {
      const st = schedule.steps[i];
      const live = sessions.get(st.session)!;
      if (live.running && !live.running.settled) {
        throw new StillBlockedOnPostgres(`step ${i + 1} (${st.session}: ${st.sql}): session ${st.session} is still blocked on step ${live.running.rec.index + 1}`);
      }
      const rec: StepRecord = { index: i, session: st.session, sql: st.sql, blocked: false, completedAfter: -1 };
      steps.push(rec);
      // PostgreSQL's victim is the waiter whose deadlock_timeout fires first after the cycle
      // closes. A statement issued while k sessions already wait gets k x 250 ms more, so the
      // earliest waiter's timer fires first even when the machine is slow to schedule it.
      const waitingNow = [...sessions.values()].filter((s) => s.running && !s.running.settled).length;
      await live.client.query(`SET deadlock_timeout = '${deadlockMs + 250 * waitingNow}ms'`).catch(() => {});
      const running = { rec, settled: false };
      live.running = running;
      const values = st.params && st.params.length > 0 ? [...st.params] : undefined;
      live.client.query({ text: st.sql, values }).then(
        (r) => {
          rec.result = normalizeResult(st.sql, { ok: true, command: r.command, rowCount: r.rowCount, rows: r.rows as Row[] });
          running.settled = true;
        },
        (e: { code?: string; message: string }) => {
          rec.result = { ok: false, sqlstate: e.code ?? 'XX000', message: e.message };
          running.settled = true;
        },
      );
      const waiting = () => [...sessions.values()].filter((s) => s.running && !s.running.settled);
      await settle(live);
      // Waiters in a cycle: wait for the server's deadlock check (deadlock_timeout) to break it.
      for (let polls = 0; waiting().length >= 2 && (await inCycle()); polls++) {
        if (polls * 5 > deadlockMs * 20) throw new Error(`step ${i + 1}: a deadlock among the sessions was not resolved within ${deadlockMs * 20} ms (is deadlock_timeout longer than ${deadlockMs} ms?)`);
        await sleep(5);
      }
      for (const s of waiting()) await settle(s);
      for (const s of sessions.values()) {
        const r = s.running;
        if (r && r.settled && r.rec.completedAfter === -1) {
          r.rec.completedAfter = i;
          r.rec.blocked = r.rec.index !== i;
        } else if (r && !r.settled && r.rec.index === i) r.rec.blocked = true;
      }
    }
    const tables: Record<string, Row[]> = {};
    for (const t of schedule.tables) {
      tables[t.name] = (await admin.query(`SELECT * FROM ${t.name} ORDER BY ${t.primaryKey.join(', ')}`)).rows as Row[];
    }
    return { steps, tables };
  } finally {
    if (options.connections) await conns.settleAll();
    else await conns.close();
  }
}

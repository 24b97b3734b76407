import type { Sim } from '../sim/world.js';
import { Hooks, type RequestHandler, type SimNode } from '../sim/node.js';
import type { Message } from '../sim/network.js';
import type { HasSubject, TimerSubject } from '../sim/subjects.js';
import { InputError } from '../errors.js';
import { SqlEngine, type CommitEvent } from './sql/engine.js';
import type { Access, SqlResult } from './sql/types.js';
import type { DomainNotes } from './domainNotes.js';
import type { SqlConfig } from './worldConfig.js';
import { SERVICE_NODES } from './nodeNames.js';
import { describeSqlEvent, rowName, sessionObject, type SqlEventRecord } from './sqlAccess.js';

/** One statement on the wire: which connection (session), its number on it, the text and parameters. */
export interface SqlRequest {
  readonly session: string;
  /** 1, 2, ... per session: a copy of a statement already received is ignored (a connection delivers once). */
  readonly seq: number;
  readonly text: string;
  readonly params: readonly unknown[];
  /** The process that owns the connection (an order id, `recover-app1`): whose units a commit takes. */
  readonly owner: string;
}

/** The call kinds of the SQL protocol: COMMIT has its own, so a fault step can aim at "o1's COMMIT". */
export const SQL_CALL = 'sql';
export const SQL_COMMIT_CALL = 'sql-commit';

/** A statement that outside oversold's SQL subset stops the run: bad input, exit 2. */
export class SqlSubsetError extends InputError {
  /** The run's seed, when a seeded run met it (runOnce sets it, and names it in the message). */
  seed: number | null = null;
  constructor(
    message: string,
    readonly statement: string,
  ) {
    super(message, 'SQL_UNSUPPORTED');
    this.name = 'SqlSubsetError';
  }
}

interface Session {
  readonly name: string;
  readonly owner: string;
  /** Highest statement number received: copies at or below it are ignored. */
  lastSeq: number;
  /** The statement being executed (it waits for a lock), whose reply is owed. */
  current: { readonly m: Message; readonly req: SqlRequest; readonly n: number } | null;
  /** Statements received while one waits (a client that did not wait for its reply). */
  readonly queue: Array<{ readonly m: Message; readonly req: SqlRequest }>;
  /** Rows its open transaction block wrote or locked (`table:key`), for the footprint of its end (sqlAccess.ts). */
  readonly txRows: Set<string>;
}

type TimerPurpose = 'lock_timeout' | 'statement_timeout' | 'deadlock_timeout' | 'disconnect';

/** A server-timer event's argument: which timer, for which statement (by the session's statement counter). */
class SqlTimer implements HasSubject {
  constructor(
    readonly server: SqlServerNode,
    readonly purpose: TimerPurpose,
    readonly session: string,
    /** The statement it was armed for (its `n`); 0 for a disconnect. */
    readonly n: number,
    readonly serving: Message | null,
  ) {}
  subject(): TimerSubject {
    return { type: 'timer', node: this.server.node.name, timer: this.purpose, serving: this.serving === null ? null : this.serving.subject(), session: this.session };
  }
}

function fireTimer(t: SqlTimer): void {
  t.server.timerFired(t);
}

/**
 * The SQL server: a node `sql` beside the primary, holding the SQL engine (sql/engine.ts) with
 * PostgreSQL's isolation levels. Each statement is one request; it runs in the event that
 * delivers it and is answered at once, or, when it waits for a row lock, answered later, when
 * the transaction it waits for ends. Its timers are PostgreSQL's: lock_timeout and
 * statement_timeout (SET [LOCAL]) cancel a waiting statement, and deadlock_timeout runs the
 * deadlock check for the statement that has waited that long (the engine's manual mode), so
 * PostgreSQL's victim rule holds under any timing. A dropped connection rolls back its
 * transaction; a crash loses every transaction in flight and keeps what was committed.
 * Every statement is noted in the trace with its access report (rows read and written,
 * predicates): what a partial-order reduction needs to know of it.
 */
export class SqlServerNode {
  readonly node: SimNode;
  engine: SqlEngine;
  private readonly sessions = new Map<string, Session>();
  /** Sessions whose connection was closed: statements still in flight on them are not answered. */
  private readonly closed = new Set<string>();
  private counter = 0;
  /** Told of every commit that wrote rows, with the owner of the committing session. */
  onCommit: ((e: CommitEvent, owner: string) => void) | null = null;
  /** What the event being handled did (explore only: sim.access set), for its footprint. */
  private record: SqlEventRecord | null = null;

  constructor(
    private readonly sim: Sim,
    readonly config: SqlConfig,
    private readonly notes: DomainNotes,
  ) {
    this.node = sim.addNode(SERVICE_NODES.sql, 'sql');
    this.engine = this.newEngine();
    // A local first (src/sim/untracked.ts): V8 puts a function literal assigned straight to a property in the old generation.
    const handler: RequestHandler = (call, body, _from, m) => {
      if (call !== SQL_CALL && call !== SQL_COMMIT_CALL) return { ok: false, error: 'syntax', sqlstate: '08P01', message: `sql server: unknown call ${JSON.stringify(call)}` };
      this.receive(m, body as SqlRequest);
      return undefined;
    };
    this.node.handler = handler;
    this.node.hooks = new Hooks(() => this.crashed(), undefined);
    sim.access?.refine(this.node.name);
  }

  /** The explorer's access log (sim/access.ts), or null outside explore. */
  get access(): Sim['access'] {
    return this.sim.access;
  }

  private newEngine(tables: SqlConfig['tables'] = this.config.tables): SqlEngine {
    const e = new SqlEngine({ tables, deadlocks: 'manual' });
    const onCommit: SqlEngine['onCommit'] = (c) => this.onCommit?.(c, this.sessions.get(c.session)?.owner ?? c.session);
    e.onCommit = onCommit;
    return e;
  }

  private receive(m: Message, req: SqlRequest): void {
    const log = this.sim.access;
    // A statement on a closed connection, or a copy: it reads (and writes) its session only.
    const sessionOnly = (): void => {
      if (log === null) return;
      log.touch('w', this.node.name, sessionObject(req.session));
      log.describe(this.node.name);
    };
    if (this.closed.has(req.session)) return sessionOnly();
    let s = this.sessions.get(req.session);
    if (!s) this.sessions.set(req.session, (s = { name: req.session, owner: req.owner, lastSeq: 0, current: null, queue: [], txRows: new Set() }));
    if (req.seq <= s.lastSeq) return sessionOnly();
    s.lastSeq = req.seq;
    if (s.current) {
      s.queue.push({ m, req });
      return;
    }
    if (log !== null) {
      this.record = { session: s.name, text: req.text, isolation: this.engine.isolationOf(s.name), shape: this.engine.describeStatement(req.text), txRows: [...s.txRows], answers: [], waited: false, woke: false };
    }
    this.start(s, m, req);
    this.drain();
    if (log !== null && this.record !== null) {
      describeSqlEvent(log, this.node.name, this.record);
      this.record = null;
    }
  }

  /** Runs one statement: answered now, or armed with its timers while it waits. */
  private start(s: Session, m: Message, req: SqlRequest): void {
    // A scan's rows (and the rows it locks) come in heap order: the order of the writes to its table matters from now on.
    if (this.sim.access !== null) for (const t of this.engine.describeStatement(req.text).scanned) this.sim.access.observe(`${this.node.name}/heap:${t}`);
    const out = this.engine.execute(s.name, req.text, req.params);
    if (out.status === 'done') {
      this.answer(s, m, req, out.result, out.access);
      return;
    }
    if (this.record !== null) this.record.waited = true;
    const n = ++this.counter;
    s.current = { m, req, n };
    this.notes.note(this.node.name, 'sql:wait', s.owner, { session: s.name, sql: req.text, params: req.params, waitingFor: out.waitingFor.length });
    const t = this.engine.timeouts(s.name);
    // PostgreSQL's statement_timeout counts from the statement's start, lock_timeout from the wait's: both now here.
    if (t.lockTimeoutMs !== null) this.node.timer('server-timer', t.lockTimeoutMs, fireTimer, new SqlTimer(this, 'lock_timeout', s.name, n, m));
    if (t.statementTimeoutMs !== null) this.node.timer('server-timer', t.statementTimeoutMs, fireTimer, new SqlTimer(this, 'statement_timeout', s.name, n, m));
    this.node.timer('server-timer', this.config.deadlockTimeoutMs, fireTimer, new SqlTimer(this, 'deadlock_timeout', s.name, n, m));
  }

  /** Replies to a finished statement (outside the subset: the run stops, exit 2) and notes it with its access report. */
  private answer(s: Session, m: Message, req: SqlRequest, result: SqlResult, access: Access): void {
    if (!result.ok && result.error === 'unsupported') {
      throw new SqlSubsetError(`${result.message}: ${JSON.stringify(req.text)} (sent by ${s.owner})`, req.text);
    }
    if (this.sim.access !== null) {
      this.record?.answers.push({ session: s.name, result, access });
      // The rows an open block wrote or locked: its COMMIT or ROLLBACK releases them.
      if (this.engine.inTransactionBlock(s.name)) for (const r of [...access.writes, ...access.locks]) s.txRows.add(rowName(r));
      else s.txRows.clear();
    }
    const summary = result.ok ? { command: result.command, rowCount: result.rowCount } : { error: result.error, sqlstate: result.sqlstate };
    this.notes.note(this.node.name, 'sql:statement', s.owner, { session: s.name, sql: req.text, params: req.params, ...summary, access });
    this.sim.network.send(m.replyWith(result));
  }

  /** Statements that finished because another session's statement ended a transaction; then what queued behind them. */
  private drain(): void {
    for (;;) {
      const done = this.engine.takeCompletions();
      if (done.length === 0) {
        // A session freed by a completion may have statements queued behind it.
        const next = [...this.sessions.values()].find((s) => s.current === null && s.queue.length > 0);
        if (!next) return;
        if (this.record !== null) this.record.woke = true;
        const q = next.queue.shift()!;
        this.start(next, q.m, q.req);
        continue;
      }
      if (this.record !== null) this.record.woke = true;
      for (const c of done) {
        const s = this.sessions.get(c.session);
        if (!s?.current) continue;
        const { m, req } = s.current;
        s.current = null;
        this.answer(s, m, req, c.result, c.access);
      }
    }
  }

  /** A server timer fired: cancel or check the statement it was armed for, if that one still waits. */
  timerFired(t: SqlTimer): void {
    if (t.purpose === 'disconnect') {
      this.disconnectNow(t.session);
      return;
    }
    const s = this.sessions.get(t.session);
    if (!s?.current || s.current.n !== t.n) return;
    if (t.purpose === 'deadlock_timeout') {
      if (!this.engine.checkDeadlock(s.name)) return;
    } else {
      const f = this.engine.cancel(s.name, t.purpose);
      if (f) {
        const { m, req } = s.current;
        s.current = null;
        this.answer(s, m, req, f, { reads: [], writes: [], locks: [], predicates: [] });
      }
    }
    this.drain();
  }

  /**
   * The client dropped the connection (it gave up waiting for a reply, or its process ended):
   * as the news reaches the server, a waiting statement is canceled and an open transaction
   * rolls back. A server-timer event of the server's own, so it interleaves like any other.
   */
  disconnect(session: string): void {
    // Called in the client's event (it gave up, or its process ended): that event changed this session's state.
    this.sim.access?.touch('w', this.node.name, sessionObject(session));
    if (!this.sessions.has(session) || this.closed.has(session)) {
      this.closed.add(session);
      return;
    }
    this.closed.add(session);
    this.node.timer('server-timer', 0, fireTimer, new SqlTimer(this, 'disconnect', session, 0, null));
  }

  private disconnectNow(session: string): void {
    const s = this.sessions.get(session);
    if (!s) return;
    this.sessions.delete(session);
    // Completions of the session's own statement are dropped with it; others' are answered.
    this.engine.closeSession(session);
    this.notes.note(this.node.name, 'sql:disconnect', s.owner, { session });
    this.drain();
  }

  /** A crash loses every connection and transaction in flight; committed rows survive (a new engine over them). */
  private crashed(): void {
    // What was committed survives; nothing in flight may finish (no waiter is woken by the crash).
    const old = this.engine;
    this.engine = this.newEngine(this.config.tables.map((t) => ({ ...t, rows: old.committedRows(t.name) })));
    for (const name of this.sessions.keys()) this.closed.add(name);
    this.sessions.clear();
    this.notes.note(this.node.name, 'sql:crash-recovery', undefined, {});
  }
}

/**
 * The SQL engine: sessions, transactions and statements, driven one step at a time.
 *
 * `execute(session, text, params)` runs one statement and answers `done` (a result or a SQL
 * error, as values) or `blocked` (the statement waits on a row lock held by other
 * transactions). A blocked statement resumes by itself when a transaction it waits for ends;
 * its result then appears in `takeCompletions()`. A server node drives the engine from its
 * message handlers; timeouts are its timers calling `cancel(session, reason)`; deadlocks are
 * found when a wait closes a cycle (or by `checkDeadlock`, the call a deadlock_timeout timer
 * makes). No time, no randomness, no I/O: the same calls give the same answers.
 */
import { InputError } from '../../errors.js';
import { defineTable, type TableDef } from './catalog.js';
import { isControl, type Compiled, type Stmt } from './compiled.js';
import { compile } from './compileStatement.js';
import { canceled, deadlockDetected, failure, fromEvalError, inFailedTransaction, type CancelReason } from './errors.js';
import { execData, rowKey } from './exec.js';
import type { ExecCtx, TxState, Wait } from './execCtx.js';
import { addVersion, newHeap, TxTable, vacuum, visible, type Heap } from './heap.js';
import { Ssi } from './ssi.js';
import { emptyAccess, type Access, type RowRef, type Isolation, type Row, type SqlFailure, type SqlResult, type SqlRows, type TableSpec } from './types.js';
import { EvalError, fromJs, toColumn, toJs, valKey, type Val } from './values.js';

export interface EngineOptions {
  readonly tables: readonly TableSpec[];
  /** The isolation of BEGIN without a level and of autocommit statements (PostgreSQL's default: read committed). */
  readonly defaultIsolation?: Isolation;
  /**
   * 'on-wait' (default): a wait that closes a wait-for cycle resolves it at once, choosing the
   * victim PostgreSQL's deadlock_timeout timers would choose when every wait starts within one
   * deadlock_timeout: the member of the cycle that has waited longest. 'manual': only
   * `checkDeadlock(session)` (a server's deadlock_timeout timer) resolves cycles.
   */
  readonly deadlocks?: 'on-wait' | 'manual';
  /** Vacuum after this many transactions end (default 32; 0: never). Changes no answer, only speed. */
  readonly vacuumEveryTxs?: number;
}

/** A transaction committed: its session and the rows it wrote (for a ledger that follows committed changes). */
export interface CommitEvent {
  readonly session: string;
  readonly tx: number;
  /** Rows written, in statement order; `columns`: the columns an UPDATE set (absent: the whole row, an INSERT or DELETE). */
  readonly written: readonly WrittenRow[];
}

export interface WrittenRow extends RowRef {
  readonly columns?: readonly string[];
}

/** A statement's shape before it runs (SqlEngine.describeStatement). */
export interface StatementShape {
  readonly kind: Stmt['kind'] | null;
  readonly scanned: readonly string[];
  readonly extraUniqueKeys: boolean;
}

export type StepOutcome =
  | { readonly status: 'done'; readonly result: SqlResult; readonly access: Access }
  | { readonly status: 'blocked'; readonly waitingFor: readonly number[] };

/** A blocked statement that finished because of something another session did. */
export interface Completion {
  readonly session: string;
  readonly result: SqlResult;
  readonly access: Access;
}

interface Pending {
  readonly gen: Generator<Wait, SqlResult, void>;
  readonly stmt: Stmt;
  readonly ctx: ExecCtx;
  waitingFor: readonly number[];
  since: number;
}

interface Session {
  readonly name: string;
  /** The open transaction block (BEGIN ... COMMIT), or the running autocommit statement's transaction. */
  tx?: TxState;
  pending?: Pending;
  readonly settings: { lock_timeout: number | null; statement_timeout: number | null };
}

const COMPILED_BY_SCHEMA = new Map<string, Map<string, Compiled | SqlFailure>>();

const ok = (command: SqlRows['command'], warning?: string): SqlRows => ({ ok: true, command, rowCount: null, rows: [], fields: [], ...(warning ? { warning } : {}) });

export class SqlEngine {
  private readonly txs = new TxTable();
  private readonly defs = new Map<string, TableDef>();
  private readonly heaps = new Map<string, Heap>();
  private readonly ssi = new Ssi(this.txs);
  private readonly sessions = new Map<string, Session>();
  private readonly compiled: Map<string, Compiled | SqlFailure>;
  private completions: Completion[] = [];
  private waitSeq = 0;
  private readonly defaultIsolation: Isolation;
  private readonly deadlocks: 'on-wait' | 'manual';
  private readonly vacuumEveryTxs: number;
  /** Told of every commit that wrote rows, after it is visible to new snapshots (and before waiters resume). */
  onCommit: ((e: CommitEvent) => void) | null = null;

  constructor(options: EngineOptions) {
    this.defaultIsolation = options.defaultIsolation ?? 'read committed';
    this.deadlocks = options.deadlocks ?? 'on-wait';
    this.vacuumEveryTxs = options.vacuumEveryTxs ?? 32;
    // Compiled statements depend on the tables' definitions only: engines of one schema share them.
    const schema = JSON.stringify(options.tables.map((t) => ({ ...t, rows: undefined })));
    let shared = COMPILED_BY_SCHEMA.get(schema);
    if (!shared) {
      if (COMPILED_BY_SCHEMA.size >= 64) COMPILED_BY_SCHEMA.clear();
      COMPILED_BY_SCHEMA.set(schema, (shared = new Map()));
    }
    this.compiled = shared;
    for (const spec of options.tables) {
      if (this.defs.has(spec.name)) throw new InputError(`table "${spec.name}" is declared twice`, 'BAD_TABLE');
      const def = defineTable(spec);
      const heap = newHeap(def);
      this.defs.set(def.name, def);
      this.heaps.set(def.name, heap);
      const seen = def.uniques.map(() => new Set<string>());
      (spec.rows ?? []).forEach((r, n) => {
        for (const k of Object.keys(r)) if (!def.colIndex.has(k)) throw new InputError(`table "${def.name}" row ${n + 1}: no column "${k}"`, 'BAD_TABLE');
        let values: Val[];
        try {
          values = def.columns.map((c) => toColumn(fromJs(r[c.name] !== undefined ? r[c.name] : c.default), c.type));
        } catch (e) {
          if (e instanceof EvalError) throw new InputError(`table "${def.name}" row ${n + 1}: ${e.message}`, 'BAD_TABLE');
          throw e;
        }
        def.columns.forEach((c, i) => {
          if (values[i] === null && (c.notNull || def.pk.includes(i))) throw new InputError(`table "${def.name}" row ${n + 1}: column "${c.name}" may not be null`, 'BAD_TABLE');
        });
        def.uniques.forEach((u, k) => {
          const key = u.cols.map((i) => valKey(values[i])).join('|');
          if (seen[k].has(key)) throw new InputError(`table "${def.name}" row ${n + 1}: duplicate key for ${u.name}`, 'BAD_TABLE');
          seen[k].add(key);
        });
        // Initial rows belong to transaction 0: committed before every snapshot.
        addVersion(heap, { values, xmin: 0, cmin: 0, xmax: 0, cmax: 0, lockers: [] });
      });
    }
  }

  tableNames(): string[] {
    return [...this.defs.keys()];
  }

  private session(name: string): Session {
    let s = this.sessions.get(name);
    if (!s) this.sessions.set(name, (s = { name, settings: { lock_timeout: null, statement_timeout: null } }));
    return s;
  }

  private compile(text: string): Compiled | SqlFailure {
    let c = this.compiled.get(text);
    if (!c) this.compiled.set(text, (c = compile(text, this.defs)));
    return c;
  }

  private newTx(explicit: boolean, isolation: Isolation): TxState {
    return { id: this.txs.begin(), isolation, explicit, cid: 0, failed: false, queried: false, wrote: false, local: {} };
  }

  /** Runs one statement of `session`. The session must not have a blocked statement. */
  execute(sessionName: string, text: string, params: readonly unknown[] = []): StepOutcome {
    const s = this.session(sessionName);
    if (s.pending) throw new Error(`session ${sessionName} already has a statement waiting; wait for its completion first`);
    const c = this.compile(text);
    if ('ok' in c) return this.done(this.failStatement(s, c));
    const values: Val[] = [];
    try {
      if (params.length < c.paramTypes.length) {
        return this.done(this.failStatement(s, failure('syntax', '08P01', `bind message supplies ${params.length} parameters, but prepared statement requires ${c.paramTypes.length}`)));
      }
      params.forEach((p, i) => values.push(toColumn(fromJs(p), c.paramTypes[i] ?? 'text')));
    } catch (e) {
      if (e instanceof EvalError) return this.done(this.failStatement(s, fromEvalError(e)));
      throw e;
    }
    if (isControl(c.stmt)) return this.done(this.control(s, c.stmt));
    return this.startData(s, c.stmt, values);
  }

  private done(result: SqlResult, access: Access = emptyAccess()): StepOutcome {
    return { status: 'done', result, access };
  }

  /** An error before or outside execution: in a block, it aborts the transaction as PostgreSQL does. */
  private failStatement(s: Session, f: SqlFailure): SqlFailure {
    if (s.tx?.explicit && !s.tx.failed) this.abortTx(s.tx, true);
    return f;
  }

  private control(s: Session, stmt: Stmt): SqlResult {
    const block = s.tx?.explicit ? s.tx : undefined;
    switch (stmt.kind) {
      case 'begin':
        if (block?.failed) return inFailedTransaction();
        if (block) return ok('BEGIN', 'there is already a transaction in progress');
        s.tx = this.newTx(true, stmt.isolation ?? this.defaultIsolation);
        return ok('BEGIN');
      case 'commit': {
        if (!block) return ok('COMMIT', 'there is no transaction in progress');
        s.tx = undefined;
        if (block.failed) return ok('ROLLBACK');
        const f = this.commitTx(block, s.name);
        return f ?? ok('COMMIT');
      }
      case 'rollback':
        if (!block) return ok('ROLLBACK', 'there is no transaction in progress');
        s.tx = undefined;
        if (!block.failed) this.abortTx(block, false);
        return ok('ROLLBACK');
      case 'set-isolation':
        if (block?.failed) return inFailedTransaction();
        if (!block) return ok('SET', 'SET TRANSACTION can only be used in transaction blocks');
        if (block.queried) return this.failStatement(s, failure('invalid_transaction_state', '25001', 'SET TRANSACTION ISOLATION LEVEL must be called before any query'));
        block.isolation = stmt.isolation;
        return ok('SET');
      case 'set':
        if (block?.failed) return inFailedTransaction();
        if (stmt.local) {
          if (!block) return ok('SET', 'SET LOCAL can only be used in transaction blocks');
          block.local[stmt.name] = stmt.ms;
        } else s.settings[stmt.name] = stmt.ms;
        return ok('SET');
      default:
        throw new Error(`control: ${stmt.kind}`);
    }
  }

  private startData(s: Session, stmt: Stmt, params: Val[]): StepOutcome {
    if (s.tx?.explicit && s.tx.failed) return this.done(inFailedTransaction());
    const tx = s.tx?.explicit ? s.tx : (s.tx = this.newTx(false, this.defaultIsolation));
    tx.queried = true;
    const cid = tx.cid++;
    let snap: { seq: number };
    if (tx.isolation === 'read committed') snap = this.txs.snapshot();
    else {
      if (!tx.snapshot) {
        tx.snapshot = this.txs.snapshot();
        if (tx.isolation === 'serializable') this.ssi.register(tx.id, tx.snapshot.seq);
      }
      snap = tx.snapshot;
    }
    const access = emptyAccess();
    const doomed = this.ssi.checkDoomed(tx.id);
    if (doomed) return this.done(this.finish(s, doomed), access);
    const ctx: ExecCtx = { tx, cid, viewer: { tx: tx.id, cid, snap }, params, txs: this.txs, heaps: this.heaps, ssi: this.ssi, access };
    const pending: Pending = { gen: execData(ctx, stmt), stmt, ctx, waitingFor: [], since: 0 };
    const first = this.step(s, pending);
    if (first) return this.done(first, access);
    if (this.deadlocks === 'on-wait') this.resolveDeadlocks();
    // Our own wait may have been resolved (we were the victim, or a cycle's end freed us).
    if (!s.pending) {
      const i = this.completions.findIndex((c) => c.session === s.name);
      const mine = this.completions.splice(i, 1)[0];
      return this.done(mine.result, mine.access);
    }
    return { status: 'blocked', waitingFor: s.pending.waitingFor };
  }

  /** Advances a statement: its result when it finishes, undefined when it waits (then s.pending is set). */
  private step(s: Session, p: Pending): SqlResult | undefined {
    let r: IteratorResult<Wait, SqlResult>;
    try {
      r = p.gen.next();
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      s.pending = undefined;
      return this.finish(s, fromEvalError(e));
    }
    if (!r.done) {
      p.waitingFor = r.value.on;
      p.since = ++this.waitSeq;
      s.pending = p;
      return undefined;
    }
    s.pending = undefined;
    if (r.value.ok && p.ctx.access.writes.length > 0) {
      // An UPDATE names the columns it set; an INSERT or DELETE changes the whole row.
      const st = p.stmt;
      const columns = st.kind === 'update' ? st.sets.map((x) => st.scan.table.columns[x.i].name) : undefined;
      const list = (p.ctx.tx.written ??= []);
      for (const w of p.ctx.access.writes) list.push(columns ? { ...w, columns } : w);
    }
    return this.finish(s, r.value);
  }

  /** Ends a statement: an error aborts its transaction; an autocommit statement commits. */
  private finish(s: Session, result: SqlResult): SqlResult {
    const tx = s.tx!;
    if (!result.ok) {
      if (tx.explicit) {
        if (!tx.failed) this.abortTx(tx, true);
      } else {
        s.tx = undefined;
        this.abortTx(tx, false);
      }
      return result;
    }
    if (!tx.explicit) {
      s.tx = undefined;
      const f = this.commitTx(tx, s.name);
      if (f) return f;
    }
    return result;
  }

  private commitTx(tx: TxState, session: string): SqlFailure | undefined {
    const f = this.ssi.preCommit(tx.id);
    if (f) {
      this.abortTx(tx, false);
      return f;
    }
    const seq = this.txs.commit(tx.id);
    this.ssi.committed(tx.id, seq);
    if (this.onCommit && tx.written && tx.written.length > 0) this.onCommit({ session, tx: tx.id, written: tx.written });
    this.maybeVacuum();
    this.wake();
    return undefined;
  }

  private endedSinceVacuum = 0;

  /** Every `vacuumEveryTxs` transaction ends, drop the versions no snapshot in use can see (see heap.ts vacuum). */
  private maybeVacuum(): void {
    if (this.vacuumEveryTxs <= 0 || ++this.endedSinceVacuum < this.vacuumEveryTxs) return;
    this.endedSinceVacuum = 0;
    let horizon = this.txs.snapshot().seq;
    for (const s of this.sessions.values()) {
      if (s.tx?.snapshot) horizon = Math.min(horizon, s.tx.snapshot.seq);
      if (s.pending) horizon = Math.min(horizon, s.pending.ctx.viewer.snap.seq);
    }
    for (const heap of this.heaps.values()) vacuum(heap, this.txs, horizon);
  }

  private abortTx(tx: TxState, keepBlock: boolean): void {
    if (keepBlock) tx.failed = true;
    this.txs.abort(tx.id);
    this.ssi.aborted(tx.id);
    this.maybeVacuum();
    this.wake();
  }

  private waking = false;
  private racy = 0;

  /**
   * How many times a transaction's end woke two or more waiting statements at once. PostgreSQL
   * wakes them together and they race, so its outcome may vary from run to run there; the
   * engine resumes them longest-waiting first (PostgreSQL's more frequent outcome).
   */
  racyWakeups(): number {
    return this.racy;
  }

  /**
   * Resumes waiting statements whose awaited transaction ended, longest-waiting first, each
   * until it finishes or waits again. PostgreSQL wakes them together and they race; the one
   * woken first (the longest waiting) usually gets there first, and that is what the engine
   * does (docs/sql.md, "Where the simulator may differ").
   */
  private wake(): void {
    if (this.waking) return;
    this.waking = true;
    let first = true;
    try {
      for (;;) {
        if (first) {
          // PostgreSQL wakes these together and they race (see racyWakeups).
          let ready = 0;
          for (const s of this.sessions.values()) if (s.pending && s.pending.waitingFor.some((t) => this.txs.statusOf(t) !== 'active')) ready++;
          if (ready >= 2) this.racy++;
          first = false;
        }
        let next: Session | undefined;
        for (const s of this.sessions.values()) {
          const p = s.pending;
          if (!p || p.waitingFor.every((t) => this.txs.statusOf(t) === 'active')) continue;
          if (!next || p.since < next.pending!.since) next = s;
        }
        if (!next) break;
        const p = next.pending!;
        next.pending = undefined;
        const r = this.step(next, p);
        if (r) this.completions.push({ session: next.name, result: r, access: p.ctx.access });
      }
    } finally {
      this.waking = false;
    }
    // A resumed statement may wait again and close a cycle.
    if (this.deadlocks === 'on-wait') this.resolveDeadlocks();
  }

  /** Statements that finished since the last call, in the order they finished. */
  takeCompletions(): Completion[] {
    const out = this.completions;
    this.completions = [];
    return out;
  }

  isBlocked(session: string): boolean {
    return this.sessions.get(session)?.pending !== undefined;
  }

  /** The transactions the session's statement waits for (empty when it does not wait). */
  waitingFor(session: string): readonly number[] {
    return this.sessions.get(session)?.pending?.waitingFor ?? [];
  }

  /** The session's transaction id (its block, or its running autocommit statement's). */
  txOf(session: string): number | undefined {
    return this.sessions.get(session)?.tx?.id;
  }

  inTransactionBlock(session: string): boolean {
    return this.sessions.get(session)?.tx?.explicit === true;
  }

  /** The isolation the session's next statement runs at: its block's, or the default for an autocommit statement. */
  isolationOf(session: string): Isolation {
    const tx = this.sessions.get(session)?.tx;
    return tx?.explicit ? tx.isolation : this.defaultIsolation;
  }

  /**
   * What a statement is, before it runs (an explorer's footprint, docs/exploration.md "explore
   * and SQL"): its kind (null when it does not compile), the tables it scans without a
   * primary-key lookup (whose heap order its rows or its locking follow), and whether it
   * writes a table with a unique key besides the primary key (its unique check reads rows the
   * access report does not name).
   */
  describeStatement(text: string): StatementShape {
    const c = this.compile(text);
    if ('ok' in c) return { kind: null, scanned: [], extraUniqueKeys: false };
    const st = c.stmt;
    const scan = st.kind === 'select' || st.kind === 'update' || st.kind === 'delete' ? st.scan : undefined;
    const written = st.kind === 'insert' ? st.table : st.kind === 'update' ? st.scan.table : undefined;
    return { kind: st.kind, scanned: scan !== undefined && scan.keys === undefined ? [scan.table.name] : [], extraUniqueKeys: written !== undefined && written.uniques.length > 1 };
  }

  /** lock_timeout and statement_timeout in force for the session (SET LOCAL over SET); null: none. */
  timeouts(session: string): { lockTimeoutMs: number | null; statementTimeoutMs: number | null } {
    const s = this.session(session);
    const pick = (name: 'lock_timeout' | 'statement_timeout') => {
      const local = s.tx?.explicit ? s.tx.local[name] : undefined;
      const v = local !== undefined ? local : s.settings[name];
      return v === 0 ? null : v;
    };
    return { lockTimeoutMs: pick('lock_timeout'), statementTimeoutMs: pick('statement_timeout') };
  }

  /**
   * Cancels the session's waiting statement (a server's lock_timeout or statement_timeout
   * timer, or a client's cancel request): it fails with 55P03 or 57014 and its transaction
   * aborts. Answers the failure, or undefined when nothing was waiting.
   */
  cancel(session: string, reason: CancelReason): SqlFailure | undefined {
    const s = this.sessions.get(session);
    if (!s?.pending) return undefined;
    s.pending = undefined;
    return this.finish(s, canceled(reason)) as SqlFailure;
  }

  /** Who waits for whom: transaction -> the transactions its statement waits for. */
  private waitsFor(tx: number): readonly number[] {
    for (const s of this.sessions.values()) if (s.tx?.id === tx && s.pending) return s.pending.waitingFor;
    return [];
  }

  private inCycle(tx: number): boolean {
    const seen = new Set<number>();
    const stack = [...this.waitsFor(tx)];
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (t === tx) return true;
      if (seen.has(t)) continue;
      seen.add(t);
      stack.push(...this.waitsFor(t));
    }
    return false;
  }

  /**
   * PostgreSQL's deadlock check as the waiting backend runs it when its deadlock_timeout
   * fires: if the session's wait is part of a cycle, the session itself is the victim
   * (40P01) and its transaction aborts, which frees the others. Answers whether it was.
   */
  checkDeadlock(session: string): boolean {
    const s = this.sessions.get(session);
    if (!s?.pending || !s.tx || !this.inCycle(s.tx.id)) return false;
    const p = s.pending;
    s.pending = undefined;
    // The victim's error comes first; the waiters it frees are resumed after it.
    const wasWaking = this.waking;
    this.waking = true;
    try {
      this.completions.push({ session, result: this.finish(s, deadlockDetected()), access: p.ctx.access });
    } finally {
      this.waking = wasWaking;
    }
    this.wake();
    return true;
  }

  /** Runs the deadlock check for every waiter, longest-waiting first (the order their timers fire). Answers the victims. */
  resolveDeadlocks(): string[] {
    const victims: string[] = [];
    for (;;) {
      const waiting = [...this.sessions.values()].filter((s) => s.pending).sort((a, b) => a.pending!.since - b.pending!.since);
      const victim = waiting.find((s) => this.checkDeadlock(s.name));
      if (!victim) return victims;
      victims.push(victim.name);
    }
  }

  /** Ends a session: a waiting statement is canceled, an open transaction rolls back. */
  closeSession(session: string): void {
    const s = this.sessions.get(session);
    if (!s) return;
    if (s.pending) this.cancel(session, 'user');
    // Its own finished statements go with it; statements of others that its end woke stay to be taken.
    this.completions = this.completions.filter((c) => c.session !== session);
    if (s.tx && !s.tx.failed) this.abortTx(s.tx, false);
    this.sessions.delete(session);
  }

  /** The committed contents of a table (what a new snapshot sees), ordered by primary key. */
  committedRows(table: string): Row[] {
    const heap = this.heaps.get(table);
    if (!heap) throw new Error(`no table "${table}"`);
    const viewer = { tx: -1, cid: 0, snap: this.txs.snapshot() };
    const rows = heap.versions.filter((v) => visible(v, viewer, this.txs));
    const def = heap.def;
    rows.sort((a, b) => {
      for (const i of def.pk) {
        const x = a.values[i];
        const y = b.values[i];
        const c = valKey(x) === valKey(y) ? 0 : compareKey(x, y);
        if (c !== 0) return c;
      }
      return 0;
    });
    return rows.map((v) => Object.fromEntries(def.columns.map((c, i) => [c.name, toJs(v.values[i])])));
  }

  /** The committed version of one row (by its key as access reports name it), or undefined when no committed row has that key. */
  committedRow(table: string, key: string): Row | undefined {
    const heap = this.heaps.get(table);
    if (!heap) throw new Error(`no table "${table}"`);
    const viewer = { tx: -1, cid: 0, snap: this.txs.snapshot() };
    const def = heap.def;
    for (const v of heap.versions) {
      if (rowKey(def, v.values) === key && visible(v, viewer, this.txs)) return Object.fromEntries(def.columns.map((c, i) => [c.name, toJs(v.values[i])]));
    }
    return undefined;
  }

  /** Tuple versions the table holds (live and not yet vacuumed): for tests and diagnostics. */
  versionCount(table: string): number {
    return this.heaps.get(table)?.versions.length ?? 0;
  }

  /** The primary key of a row of `table` as access reports name it. */
  keyOf(table: string, row: Row): string {
    const def = this.defs.get(table)!;
    return rowKey(def, def.columns.map((c) => toColumn(fromJs(row[c.name]), c.type)));
  }
}

function compareKey(x: Val, y: Val): number {
  if (x === null) return 1;
  if (y === null) return -1;
  const nx = typeof x === 'object' ? x : undefined;
  const ny = typeof y === 'object' ? y : undefined;
  if (nx && ny) return nx.v * 10n ** BigInt(ny.scale) < ny.v * 10n ** BigInt(nx.scale) ? -1 : 1;
  return String(x) < String(y) ? -1 : 1;
}

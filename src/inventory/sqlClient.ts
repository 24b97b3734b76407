import { rpc, type Proc } from '../sim/process.js';
import { SQL_CALL, SQL_COMMIT_CALL, type SqlRequest } from './sqlNode.js';
import { SERVICE_NODES } from './nodeNames.js';
import type { Isolation, SqlResult } from './sql/types.js';

/**
 * No reply came in time: the statement may or may not have run (a lost reply to COMMIT is the
 * classic unknown outcome). The client drops the connection, so a transaction that did not
 * commit rolls back; whether it did commit, only a later read can tell.
 */
export interface SqlUnknown {
  readonly ok: false;
  readonly error: 'unknown';
  /** PostgreSQL's connection_failure class: what `pg` reports when the connection is lost. */
  readonly sqlstate: '08006';
  readonly message: string;
}

/** A statement's answer: rows as `pg` returns them, a SQL error as a value, or an unknown outcome. */
export type SqlQueryResult = SqlResult | SqlUnknown;

/** A transaction on a connection of its own (BEGIN ... COMMIT), at the isolation level it began with. */
export interface SqlTransaction {
  readonly isolation: Isolation;
  /** BEGIN's own answer. When BEGIN failed, every statement of the transaction answers the same failure without a round trip. */
  readonly begun: SqlQueryResult;
  query(text: string, params?: readonly unknown[]): Proc<SqlQueryResult>;
  commit(): Proc<SqlQueryResult>;
  rollback(): Proc<SqlQueryResult>;
}

/** `ctx.sql`: PostgreSQL's SQL (oversold's subset, docs/sql.md) over the simulated network. */
export interface SqlClient {
  /** Opens a connection and runs BEGIN ISOLATION LEVEL ... on it (default: READ COMMITTED, PostgreSQL's default). */
  begin(opts?: { readonly isolation?: Isolation }): Proc<SqlTransaction>;
  /** One statement in autocommit: its own transaction, committed when it ends. */
  query(text: string, params?: readonly unknown[]): Proc<SqlQueryResult>;
}

const LEVEL_SQL: { readonly [L in Isolation]: string } = {
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
};

interface Conn {
  readonly name: string;
  seq: number;
  /** A statement's reply was lost: the client dropped the connection. */
  broken: boolean;
  /** BEGIN sent and no COMMIT or ROLLBACK answered: dropping it rolls the transaction back. */
  inTx: boolean;
}

/**
 * The SQL client of one process (an order's placeOrder, or a recovery): one connection per
 * transaction, plus one for autocommit statements. Each statement is an rpc to the SQL server
 * node; a reply that does not come within `timeoutMs` is an unknown outcome, and the client
 * drops that connection (the server rolls back what did not commit). When the process ends,
 * connections still in a transaction are dropped too (`closeAll`).
 */
/** Where a dropped connection is reported: the SQL server node (or a real server's connection pool). */
export interface SqlConnections {
  disconnect(session: string): void;
}

export class NetworkSql implements SqlClient {
  private txs = 0;
  private autocommit: Conn | null = null;
  private autocommits = 0;
  private readonly conns: Conn[] = [];

  constructor(
    private readonly server: SqlConnections,
    private readonly owner: string,
    private readonly timeoutMs: number,
  ) {}

  private open(name: string): Conn {
    const c: Conn = { name, seq: 0, broken: false, inTx: false };
    this.conns.push(c);
    return c;
  }

  *send(c: Conn, text: string, params: readonly unknown[], call: string): Proc<SqlQueryResult> {
    if (c.broken) return unknown('the connection was dropped after an earlier statement got no reply');
    const req: SqlRequest = { session: c.name, seq: ++c.seq, text, params: [...params], owner: this.owner };
    const r = yield* rpc<SqlResult>(SERVICE_NODES.sql, call, req, this.timeoutMs);
    if (r.ok) return r.value;
    c.broken = true;
    c.inTx = false;
    this.server.disconnect(c.name);
    return unknown(`no reply within ${this.timeoutMs} ms: the statement may or may not have been applied; the connection was dropped`);
  }

  *begin(opts?: { readonly isolation?: Isolation }): Proc<SqlTransaction> {
    const isolation = opts?.isolation ?? 'read committed';
    if (!(isolation in LEVEL_SQL)) throw new Error(`ctx.sql.begin: isolation must be 'read committed', 'repeatable read' or 'serializable', not ${JSON.stringify(isolation)}`);
    const c = this.open(`${this.owner}:tx${++this.txs}`);
    c.inTx = true;
    const begun = yield* this.send(c, `BEGIN ISOLATION LEVEL ${LEVEL_SQL[isolation]}`, [], SQL_CALL);
    if (!begun.ok) c.inTx = false;
    const client = this;
    const ended = (r: SqlQueryResult) => {
      if (r.ok || r.error !== 'unknown') c.inTx = false;
      return r;
    };
    return {
      isolation,
      begun,
      *query(text: string, params: readonly unknown[] = []) {
        if (!begun.ok) return begun;
        return yield* client.send(c, text, params, SQL_CALL);
      },
      *commit() {
        if (!begun.ok) return begun;
        return ended(yield* client.send(c, 'COMMIT', [], SQL_COMMIT_CALL));
      },
      *rollback() {
        if (!begun.ok) return begun;
        return ended(yield* client.send(c, 'ROLLBACK', [], SQL_CALL));
      },
    };
  }

  *query(text: string, params: readonly unknown[] = []): Proc<SqlQueryResult> {
    if (this.autocommit === null || this.autocommit.broken) this.autocommit = this.open(`${this.owner}:ac${++this.autocommits}`);
    return yield* this.send(this.autocommit, text, params, SQL_CALL);
  }

  /** The process ended (or its app server crashed): connections still in a transaction are dropped. */
  closeAll(): void {
    for (const c of this.conns) {
      if (!c.inTx || c.broken) continue;
      c.inTx = false;
      c.broken = true;
      this.server.disconnect(c.name);
    }
  }
}

function unknown(message: string): SqlUnknown {
  return { ok: false, error: 'unknown', sqlstate: '08006', message };
}

/** ctx.sql in a world without a SQL server: every call says how to get one. */
export class NoSqlServer implements SqlClient {
  private fail(): never {
    throw new Error('ctx.sql: this scenario has no SQL server; add "sql": {} to the scenario (its items become the items table), or give the strategy `sql: true`');
  }
  // eslint-disable-next-line require-yield
  *begin(): Proc<SqlTransaction> {
    return this.fail();
  }
  // eslint-disable-next-line require-yield
  *query(): Proc<SqlQueryResult> {
    return this.fail();
  }
}

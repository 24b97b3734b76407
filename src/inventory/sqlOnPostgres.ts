/**
 * A strategy that uses only `ctx.sql`, `ctx.sleep` and `ctx.log` runs unchanged against a real
 * PostgreSQL: the same generator, stepped by a driver that sends each statement over `pg` (one
 * connection per session, as in the simulator) and sleeps with pg_sleep on a control connection
 * (no timers of our own). Orders run concurrently, so a race the simulator found can happen on
 * the real server too. Anything else the strategy asks for (ctx.db, ctx.payment, ctx.locks) is
 * refused with one line.
 */
import type { PgClient, PgResult } from './sql/pg/pgTypes.js';
import { pgClient } from './sql/pg/pgClient.js';
import { InputError } from '../errors.js';
import type { Effect, Proc } from '../sim/process.js';
import { NetworkSql } from './sqlClient.js';
import type { InventoryDB, LockClient, OrderContext, PaymentClient, Strategy } from './strategy.js';
import { resolveStrategyOptions } from './strategyOptions.js';
import type { Order, OrderAnswer } from './types.js';
import type { Row, SqlErrorKind, SqlResult } from './sql/types.js';
import { SQL_CALL, SQL_COMMIT_CALL, type SqlRequest } from './sqlNode.js';

export interface PostgresRunOptions {
  readonly connectionString: string;
  /** Strategy options (defaults otherwise). */
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  /** Told of each ctx.log note. */
  readonly onLog?: (order: string, what: string, data: Record<string, unknown>) => void;
}

export interface PostgresOrderResult {
  readonly order: string;
  readonly answer: OrderAnswer | null;
  /** What the strategy threw, or why it could not run here. */
  readonly error: string | null;
}

const KINDS: Readonly<Record<string, SqlErrorKind>> = {
  '40P01': 'deadlock', '55P03': 'lock_timeout', '57014': 'timeout', '23505': 'unique_violation', '23502': 'not_null_violation',
  '40001': 'serialization_failure', '25P02': 'in_failed_transaction', '25001': 'invalid_transaction_state', '0A000': 'unsupported',
  '42601': 'syntax', '42P01': 'undefined_table', '42703': 'undefined_column',
};

/** A `pg` result or error in the shape the simulator answers (what a strategy reads). */
export function fromPg(r: PgResult | { code?: string; message: string }): SqlResult {
  if ('command' in r) {
    return { ok: true, command: r.command as 'SELECT', rowCount: r.command === 'BEGIN' || r.command === 'COMMIT' || r.command === 'ROLLBACK' || r.command === 'SET' ? null : r.rowCount, rows: r.rows as Row[], fields: r.fields.map((f) => f.name) };
  }
  const sqlstate = r.code ?? 'XX000';
  return { ok: false, error: KINDS[sqlstate] ?? 'data_exception', sqlstate, message: r.message };
}

function refuse(what: string): never {
  throw new InputError(`against PostgreSQL a strategy may use ctx.sql, ctx.sleep and ctx.log only; it used ${what}`, 'PG_UNSUPPORTED_CONTEXT');
}

const NO_DB = new Proxy({}, { get: (_t, k) => () => refuse(`ctx.db.${String(k)}`) }) as InventoryDB;
const NO_PAYMENT = new Proxy({}, { get: (_t, k) => () => refuse(`ctx.payment.${String(k)}`) }) as PaymentClient;
const NO_LOCKS = new Proxy({}, { get: (_t, k) => () => refuse(`ctx.locks.${String(k)}`) }) as LockClient;

/** Runs `orders` of `strategy` concurrently against the PostgreSQL at `connectionString`. */
export async function runOrdersOnPostgres(strategy: Strategy, orders: readonly Order[], opts: PostgresRunOptions): Promise<PostgresOrderResult[]> {
  const options = resolveStrategyOptions(opts.options);
  const sessions = new Map<string, PgClient>();
  const Client = await pgClient();
  const control = new Client({ connectionString: opts.connectionString });
  await control.connect();
  const connect = async (name: string): Promise<PgClient> => {
    let c = sessions.get(name);
    if (!c) {
      const client = new Client({ connectionString: opts.connectionString });
      client.on('error', () => {});
      sessions.set(name, (c = client));
      await c.connect();
    }
    return c;
  };
  const dropped = new Set<string>();
  const pool = { disconnect: (session: string) => void dropped.add(session) };
  try {
    return await Promise.all(orders.map((order) => runOne(strategy, order, options, opts, pool, connect, control)));
  } finally {
    for (const c of sessions.values()) await c.end().catch(() => {});
    await control.end().catch(() => {});
  }
}

async function runOne(
  strategy: Strategy, order: Order, options: ReturnType<typeof resolveStrategyOptions>, opts: PostgresRunOptions,
  pool: { disconnect(session: string): void }, connect: (name: string) => Promise<PgClient>, control: PgClient,
): Promise<PostgresOrderResult> {
  let n = 0;
  const sql = new NetworkSql(pool, order.id, options.sqlTimeoutMs);
  const ctx: OrderContext = {
    order, options, db: NO_DB, payment: NO_PAYMENT, locks: NO_LOCKS, sql,
    sleep: function* (ms: number): Proc<void> {
      yield { type: 'sleep', ms };
    },
    localTime: () => refuse('ctx.localTime()'),
    newId: (purpose) => `${order.id}-${purpose}-${++n}`,
    log: (what, data) => opts.onLog?.(order.id, what, data ?? {}),
  };
  let gen: Proc<OrderAnswer>;
  let input: unknown;
  try {
    gen = strategy.placeOrder(ctx);
    for (;;) {
      const step: IteratorResult<Effect, OrderAnswer> = gen.next(input);
      if (step.done) return { order: order.id, answer: step.value, error: null };
      const eff = step.value;
      if (eff.type === 'sleep') {
        // PostgreSQL's clock, not ours: the driver reads no ambient time.
        await control.query('SELECT pg_sleep($1)', [Math.max(0, eff.ms) / 1000]);
        input = undefined;
      } else if (eff.type === 'rpc' && (eff.call === SQL_CALL || eff.call === SQL_COMMIT_CALL)) {
        const req = eff.body as SqlRequest;
        const client = await connect(req.session);
        const r = await client.query(req.text, [...req.params]).then((x) => fromPg(x), (e: { code?: string; message: string }) => fromPg(e));
        input = { ok: true, value: r };
      } else {
        refuse(eff.type === 'rpc' ? `a ${eff.call} call to ${eff.to}` : 'an unknown effect');
      }
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    return { order: order.id, answer: null, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

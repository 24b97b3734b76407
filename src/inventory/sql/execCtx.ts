import type { RowRef } from './types.js';
/** What a statement executor sees: its transaction, its snapshot, the tables and the SSI tracker. */
import type { Heap, TxTable, Viewer } from './heap.js';
import type { Ssi } from './ssi.js';
import type { Access, Isolation } from './types.js';
import type { Val } from './values.js';

/** A statement waits for any one of these transactions to end. */
export interface Wait {
  readonly on: readonly number[];
}

export interface TxState {
  readonly id: number;
  isolation: Isolation;
  /** Inside BEGIN ... COMMIT (false: an autocommit statement's own transaction). */
  readonly explicit: boolean;
  /** REPEATABLE READ / SERIALIZABLE: the transaction's snapshot, taken at its first non-control statement. */
  snapshot?: { readonly seq: number };
  /** Command counter: each statement in the transaction gets the next one. */
  cid: number;
  /** An error aborted the block: every statement until ROLLBACK gets 25P02. */
  failed: boolean;
  /** Set when a statement ran: SET TRANSACTION ISOLATION LEVEL must come before. */
  queried: boolean;
  wrote: boolean;
  /** Rows its finished statements wrote (inserted, updated, deleted), in order: what a commit hook is told. */
  written?: Array<RowRef & { readonly columns?: readonly string[] }>;
  local: { lock_timeout?: number | null; statement_timeout?: number | null };
}

export interface ExecCtx {
  readonly tx: TxState;
  readonly cid: number;
  readonly viewer: Viewer;
  readonly params: readonly Val[];
  readonly txs: TxTable;
  readonly heaps: ReadonlyMap<string, Heap>;
  readonly ssi: Ssi;
  readonly access: Access;
}

/**
 * MVCC storage as PostgreSQL keeps it: every UPDATE writes a new tuple version and stamps the
 * old one's xmax; a DELETE only stamps xmax. Versions are appended to the table's heap in
 * creation order, so a scan returns rows in PostgreSQL's heap order for small tables (an
 * updated row moves to the end). Nothing is undone on abort: an aborted xmin makes a version
 * invisible and an aborted xmax is ignored, exactly as in PostgreSQL's visibility rules.
 */
import type { TableDef } from './catalog.js';
import type { LockMode } from './compiled.js';
import type { Val } from './values.js';

export interface Version {
  readonly heap: Heap;
  /** Column values; never mutated after creation (an UPDATE makes a new version). */
  readonly values: readonly Val[];
  readonly xmin: number;
  /** Command id of the inserting statement within its transaction. */
  readonly cmin: number;
  /** The transaction that updated or deleted this version (0: none). */
  xmax: number;
  cmax: number;
  /** The newer version an UPDATE made (PostgreSQL's t_ctid chain); absent after a DELETE. */
  next?: Version;
  /** Row locks that change nothing (SELECT ... FOR UPDATE/SHARE); held until the locker ends. */
  lockers: { tx: number; mode: LockMode }[];
}

export interface Heap {
  readonly def: TableDef;
  readonly versions: Version[];
}

export type TxStatus = 'active' | 'committed' | 'aborted';

/** Transaction outcomes, and the order in which commits happened (for snapshots). */
export class TxTable {
  private readonly status = new Map<number, TxStatus>();
  private readonly commitSeqs = new Map<number, number>();
  private seq = 0;
  private nextId = 1;

  begin(): number {
    const id = this.nextId++;
    this.status.set(id, 'active');
    return id;
  }

  /** Transaction 0 stands for the initial rows: committed before everything. */
  statusOf(tx: number): TxStatus {
    if (tx === 0) return 'committed';
    return this.status.get(tx) ?? 'aborted';
  }

  commit(tx: number): number {
    this.status.set(tx, 'committed');
    this.commitSeqs.set(tx, ++this.seq);
    return this.seq;
  }

  abort(tx: number): void {
    this.status.set(tx, 'aborted');
  }

  commitSeq(tx: number): number | undefined {
    return tx === 0 ? 0 : this.commitSeqs.get(tx);
  }

  /** A snapshot: every transaction committed so far is visible, nothing later. */
  snapshot(): Snapshot {
    return { seq: this.seq };
  }

  /** Committed, and before the snapshot was taken. */
  visibleIn(tx: number, snap: Snapshot): boolean {
    if (tx === 0) return true;
    const s = this.commitSeqs.get(tx);
    return s !== undefined && s <= snap.seq;
  }
}

export interface Snapshot {
  /** The commit sequence number of the last commit the snapshot sees. */
  readonly seq: number;
}

/** Who is looking: a transaction, at one of its commands, through a snapshot. */
export interface Viewer {
  readonly tx: number;
  readonly cid: number;
  readonly snap: Snapshot;
}

/** PostgreSQL's HeapTupleSatisfiesMVCC, with commit order standing in for xip lists. */
export function visible(v: Version, who: Viewer, txs: TxTable): boolean {
  if (v.xmin === who.tx) {
    if (v.cmin >= who.cid) return false;
  } else if (!txs.visibleIn(v.xmin, who.snap)) return false;
  if (v.xmax === 0) return true;
  if (v.xmax === who.tx) return v.cmax >= who.cid;
  if (txs.statusOf(v.xmax) === 'aborted') return true;
  return !txs.visibleIn(v.xmax, who.snap);
}

/** The version an updater is fighting over: follow the update chain past committed updates. */
export function newest(v: Version, txs: TxTable): Version | undefined {
  let cur: Version | undefined = v;
  while (cur && cur.xmax !== 0 && txs.statusOf(cur.xmax) === 'committed') cur = cur.next;
  return cur;
}

export function keyOf(values: readonly Val[], cols: readonly number[]): Val[] {
  return cols.map((i) => values[i]);
}

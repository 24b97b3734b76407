/**
 * MVCC storage as PostgreSQL keeps it: every UPDATE writes a new tuple version and stamps the
 * old one's xmax; a DELETE only stamps xmax. Versions are appended to the table's heap in
 * creation order, so a scan returns rows in PostgreSQL's heap order for small tables (an
 * updated row moves to the end). Nothing is undone on abort: an aborted xmin makes a version
 * invisible and an aborted xmax is ignored, exactly as in PostgreSQL's visibility rules.
 */
import type { TableDef } from './catalog.js';
import type { LockMode } from './compiled.js';
import { valKey, type Val } from './values.js';

export interface Version {
  readonly heap: Heap;
  /** Position in the heap (creation order). */
  readonly pos: number;
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
  /**
   * One map per unique key (def.uniques order; the primary key first): key text -> every
   * version ever carrying it, live or dead, as a btree index holds entries until vacuum.
   */
  readonly indexes: Map<string, Version[]>[];
  /** The next version's position (positions only grow, so vacuum keeps heap order). */
  nextPos: number;
}

export function newHeap(def: TableDef): Heap {
  return { def, versions: [], indexes: def.uniques.map(() => new Map()), nextPos: 0 };
}

/** The text of a unique key's values, as the index maps are keyed. */
export function indexKey(values: readonly Val[], cols: readonly number[]): string {
  return cols.map((i) => valKey(values[i])).join('|');
}

/** Appends a version to the heap and its unique-key indexes (NULL keys are not indexed as duplicates can't conflict). */
export function addVersion(heap: Heap, v: Omit<Version, 'heap' | 'pos'>): Version {
  const full: Version = { ...v, heap, pos: heap.nextPos++ };
  heap.versions.push(full);
  heap.def.uniques.forEach((u, k) => {
    if (u.cols.some((i) => v.values[i] === null)) return;
    const key = indexKey(v.values, u.cols);
    const list = heap.indexes[k].get(key);
    if (list) list.push(full);
    else heap.indexes[k].set(key, [full]);
  });
  return full;
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

/**
 * PostgreSQL's VACUUM / HOT pruning: drops versions no snapshot can see any more (inserted by
 * an aborted transaction, or replaced or deleted by one that committed at or before
 * `horizonSeq`, the oldest snapshot still in use). Changes no answer; keeps scans short.
 */
export function vacuum(heap: Heap, txs: TxTable, horizonSeq: number): void {
  const dead = (v: Version) => {
    if (v.xmin !== 0 && txs.statusOf(v.xmin) === 'aborted') return true;
    if (v.xmax === 0 || txs.statusOf(v.xmax) !== 'committed') return false;
    return txs.commitSeq(v.xmax)! <= horizonSeq;
  };
  const live = heap.versions.filter((v) => !dead(v));
  if (live.length === heap.versions.length) return;
  heap.versions.length = 0;
  heap.versions.push(...live);
  for (const index of heap.indexes) {
    for (const [key, list] of index) {
      const kept = list.filter((v) => !dead(v));
      if (kept.length === 0) index.delete(key);
      else if (kept.length !== list.length) index.set(key, kept);
    }
  }
}

/**
 * Serializable Snapshot Isolation after PostgreSQL's src/backend/storage/lmgr/README-SSI and
 * predicate.c: SIRead locks (relation-level for a scan that is not a primary-key lookup;
 * tuple and index-page locks for a lookup, with PostgreSQL's promotion to a heap-page lock;
 * a table is taken to fit one heap page and one index page, as a scenario's tables do), rw-conflicts
 * flagged when a write meets another's SIRead lock (conflict in) or a read meets a version
 * another wrote concurrently (conflict out), the dangerous-structure check each time a
 * conflict is flagged (OnConflict_CheckForSerializationFailure) and at commit
 * (PreCommit_CheckForSerializationFailure), with PostgreSQL's rules for which transaction is
 * canceled. Committed transactions keep their locks and conflicts (a simulation is short;
 * PostgreSQL cleans up once no overlapping transaction remains, which changes no outcome).
 */
import { rwDependencies } from './errors.js';
import type { TxTable, Version } from './heap.js';
import type { SqlFailure } from './types.js';

interface Sx {
  readonly id: number;
  snapSeq: number;
  commitSeq?: number;
  aborted: boolean;
  doomed: boolean;
  /** Committed without writing (PostgreSQL marks such a transaction READ ONLY at commit). */
  readOnly: boolean;
  wrote: boolean;
  /** Transactions that read what this one wrote: reader --rw--> this. */
  readonly inConflicts: Set<Sx>;
  /** Transactions that wrote what this one read: this --rw--> writer. */
  readonly outConflicts: Set<Sx>;
}

const committed = (s: Sx) => s.commitSeq !== undefined;

/** PostgreSQL's default max_pred_locks_per_page. */
const MAX_PRED_LOCKS_PER_PAGE = 2;

/** What a write touches, as PostgreSQL's CheckForSerializableConflictIn sees it. */
export interface WriteTargets {
  /** Rows updated or deleted (their tuple, heap page and relation are checked). */
  readonly changed: readonly string[];
  /** The write inserts into the primary-key index (an INSERT, or an UPDATE that changes the key). */
  readonly indexInsert: boolean;
}

export class Ssi {
  private readonly sxs = new Map<number, Sx>();
  /** SIRead locks: target -> holders. Targets: "r:table" relation, "h:table" its heap page, "p:table" its primary-key index page, "k:table:key" a tuple. */
  private readonly locks = new Map<string, Set<Sx>>();

  constructor(private readonly txs: TxTable) {}

  register(tx: number, snapSeq: number): void {
    this.sxs.set(tx, { id: tx, snapSeq, aborted: false, doomed: false, readOnly: false, wrote: false, inConflicts: new Set(), outConflicts: new Set() });
  }

  isSerializable(tx: number): boolean {
    return this.sxs.has(tx);
  }

  private live(tx: number): Sx | undefined {
    const s = this.sxs.get(tx);
    return s && !s.aborted ? s : undefined;
  }

  /** A doomed transaction fails at its next read, write or commit ("identification as a pivot"). */
  checkDoomed(tx: number): SqlFailure | undefined {
    const s = this.live(tx);
    return s?.doomed ? rwDependencies() : undefined;
  }

  private lock(tx: number, target: string): void {
    const s = this.live(tx);
    if (!s) return;
    let set = this.locks.get(target);
    if (!set) this.locks.set(target, (set = new Set()));
    set.add(s);
  }

  lockRelation(tx: number, table: string): void {
    this.lock(tx, `r:${table}`);
  }

  /**
   * A primary-key lookup: PostgreSQL locks the btree leaf page it searched (one page for
   * the table sizes a scenario holds, so any insert into the index conflicts with it) and
   * each visible tuple it returned; past max_pred_locks_per_page (2) tuple locks on one
   * heap page, it promotes them to a lock on that page (again one page here).
   */
  lockKeyLookup(tx: number, table: string, foundKeys: readonly string[]): void {
    const s = this.live(tx);
    if (!s) return;
    this.lock(tx, `p:${table}`);
    for (const k of foundKeys) this.lock(tx, `k:${table}:${k}`);
    const tuples = [...(this.locks.keys())].filter((t) => t.startsWith(`k:${table}:`) && this.locks.get(t)!.has(s)).length;
    if (tuples > MAX_PRED_LOCKS_PER_PAGE) this.lock(tx, `h:${table}`);
  }

  /**
   * A serializable reader examined version `v` (PostgreSQL's HeapCheckForSerializableConflictOut):
   * a version it cannot see because a concurrent transaction inserted it, or a version it
   * sees that a concurrent transaction deleted or replaced, is a rw-conflict reader -> writer.
   */
  conflictOut(tx: number, v: Version, isVisible: boolean): SqlFailure | undefined {
    const me = this.live(tx);
    if (!me) return undefined;
    if (me.doomed) return rwDependencies();
    let writer: number;
    const xminSt = this.txs.statusOf(v.xmin);
    if (xminSt === 'aborted') return undefined;
    if (!isVisible) {
      // Invisible: inserted by a concurrent transaction (in flight or committed after our snapshot)?
      if (v.xmin === tx || xminSt === 'committed' && this.txs.visibleIn(v.xmin, { seq: me.snapSeq })) return undefined;
      writer = v.xmin;
    } else {
      if (v.xmax === 0 || v.xmax === tx || this.txs.statusOf(v.xmax) === 'aborted') return undefined;
      writer = v.xmax;
    }
    const w = this.live(writer);
    if (!w || w === me || w.doomed) return undefined;
    if (this.txs.visibleIn(writer, { seq: me.snapSeq })) return undefined;
    return this.flag(me, w, me);
  }

  /** A write by `tx` (PostgreSQL's CheckForSerializableConflictIn on tuple, page and relation targets). */
  conflictIn(tx: number, table: string, w: WriteTargets): SqlFailure | undefined {
    const me = this.live(tx);
    if (!me) return undefined;
    if (me.doomed) return rwDependencies();
    me.wrote = true;
    const targets = w.changed.map((k) => `k:${table}:${k}`);
    if (w.changed.length > 0) targets.push(`h:${table}`);
    if (w.indexInsert) targets.push(`p:${table}`);
    targets.push(`r:${table}`);
    for (const t of targets) {
      for (const reader of this.locks.get(t) ?? []) {
        if (reader === me || reader.aborted || reader.doomed) continue;
        // Only a reader that overlaps us: still running, or committed after our snapshot.
        if (committed(reader) && reader.commitSeq! <= me.snapSeq) continue;
        if (reader.outConflicts.has(me)) continue;
        const f = this.flag(reader, me, me);
        if (f) return f;
      }
    }
    return undefined;
  }

  /** Flag reader --rw--> writer after checking for a dangerous structure; `current` runs the check. */
  private flag(reader: Sx, writer: Sx, current: Sx): SqlFailure | undefined {
    if (reader.outConflicts.has(writer)) return undefined;
    const fail = this.wouldFail(reader, writer);
    reader.outConflicts.add(writer);
    writer.inConflicts.add(reader);
    if (!fail) return undefined;
    // PostgreSQL: if we are the writer, we fail now; if the writer already committed, the
    // reader (us) fails; otherwise the writer is doomed and fails later.
    if (current === writer || committed(writer)) {
      this.unflag(reader, writer);
      return rwDependencies();
    }
    writer.doomed = true;
    return undefined;
  }

  private unflag(reader: Sx, writer: Sx): void {
    reader.outConflicts.delete(writer);
    writer.inConflicts.delete(reader);
  }

  /** OnConflict_CheckForSerializationFailure: does reader --rw--> writer close a dangerous structure? */
  private wouldFail(reader: Sx, writer: Sx): boolean {
    // R --> W --> T2 with W committed and T2 committed before W.
    if (committed(writer)) {
      for (const t2 of writer.outConflicts) {
        if (!t2.aborted && committed(t2) && t2.commitSeq! < writer.commitSeq!) return true;
      }
    }
    // W has become a pivot with an out-conflict to a committed T2 that committed first.
    for (const t2 of writer.outConflicts) {
      if (t2.aborted || !committed(t2)) continue;
      if (committed(reader) && t2.commitSeq! > reader.commitSeq!) continue;
      if (committed(writer) && t2.commitSeq! > writer.commitSeq!) continue;
      if (reader.readOnly && t2.commitSeq! > reader.snapSeq) continue;
      return true;
    }
    // The reader has become a pivot: T0 --> R --> W with W committed.
    if (committed(writer) && !reader.readOnly) {
      for (const t0 of reader.inConflicts) {
        if (t0.aborted || t0.doomed) continue;
        if (committed(t0) && t0.commitSeq! < writer.commitSeq!) continue;
        if (t0.readOnly && t0.snapSeq < writer.commitSeq!) continue;
        return true;
      }
    }
    return false;
  }

  /**
   * PreCommit_CheckForSerializationFailure: a doomed transaction fails; otherwise, for each
   * near --rw--> me where near is still running and itself has an in-conflict from me or from
   * another running writer, the pivot `near` is doomed (so that the committing one makes progress).
   */
  preCommit(tx: number): SqlFailure | undefined {
    const me = this.live(tx);
    if (!me) return undefined;
    if (me.doomed) return rwDependencies();
    for (const near of me.inConflicts) {
      if (near.aborted || committed(near) || near.doomed) continue;
      for (const far of near.inConflicts) {
        if (far.aborted) continue;
        if (far === me || (!committed(far) && !far.readOnly && !far.doomed)) {
          near.doomed = true;
          break;
        }
      }
    }
    return undefined;
  }

  committed(tx: number, seq: number): void {
    const s = this.live(tx);
    if (!s) return;
    s.commitSeq = seq;
    if (!s.wrote) s.readOnly = true;
  }

  /** An aborted transaction's locks and conflicts vanish with it (PostgreSQL releases them at once). */
  aborted(tx: number): void {
    const s = this.sxs.get(tx);
    if (!s) return;
    s.aborted = true;
    for (const w of s.outConflicts) w.inConflicts.delete(s);
    for (const r of s.inConflicts) r.outConflicts.delete(s);
  }
}

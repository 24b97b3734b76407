import type { Sim } from '../sim/world.js';
import type { RequestHandler, SimNode } from '../sim/node.js';
import type { QueuedEvent } from '../sim/queue.js';
import type { HasSubject, LogEntrySubject } from '../sim/subjects.js';
import type { LogEntry } from './instantDb.js';
import type * as T from './dbTypes.js';
import type { DomainNotes } from './domainNotes.js';
import { MARK_REPLICA_LAG } from './faultMarks.js';

/** A delay-replica step: the extra lag of one log entry, and the step's coverage mark. */
export interface ExtraLag {
  readonly extraMs: number;
  readonly mark: string;
}

/** One entry of the primary's log on its way to one replica: a 'replica-apply' event's argument. */
class LogApply implements HasSubject {
  constructor(
    readonly replica: Replica,
    /** 1-based, in commit order at the primary. */
    readonly entry: number,
    readonly change: LogEntry,
  ) {}

  subject(): LogEntrySubject {
    return { type: 'log-entry', replica: this.replica.name, entry: this.entry };
  }
}

function applyFire(a: LogApply): void {
  a.replica.apply(a);
}

/**
 * A read replica: applies the primary's log in commit order, each entry after a lag (a choice
 * in the sampled timing model, a window in the windowed one), and serves reads of what it has
 * applied so far, stale by however far it is behind. Its state is fields, not closures, so a
 * report (or a test) can say how far behind it was.
 */
export class Replica {
  readonly node: SimNode;
  /** What the replica has applied: item -> stock and version. */
  state: Map<string, { stock: number; version: number }>;
  /** The primary's `seq` as of the last entry applied here. */
  appliedSeq = 0;
  /** Log entries shipped here so far (the next one is entry `entriesShipped + 1`). */
  entriesShipped = 0;
  /** Log entries applied here so far: behind by `entriesShipped - entriesApplied`. */
  entriesApplied = 0;
  /** delay-replica steps for this replica: log entry (1-based, commit order) -> extra lag (and the step's mark). Made by the first step. */
  private extraLagMs: Map<number, ExtraLag> | null = null;
  private lastApplyAtMs = 0;
  private lastApply: QueuedEvent | null = null;

  constructor(
    private readonly sim: Sim,
    readonly name: string,
    readonly lag: { readonly lagMsMin: number; readonly lagMsMax: number },
    items: ReadonlyArray<{ readonly id: string; readonly stock: number }>,
    /** The primary, for the seq a stale read is measured against. */
    private readonly primary: { readonly seq: number },
    private readonly notes: DomainNotes,
  ) {
    this.node = sim.addNode(name, 'replica');
    this.state = new Map();
    for (const it of items) this.state.set(it.id, { stock: it.stock, version: 0 });
    // A local first (src/sim/untracked.ts): V8 puts a function literal assigned straight to a property in the old generation.
    const handler: RequestHandler = (call, body) => this.read(call, body);
    this.node.handler = handler;
  }

  /** A world reset: the stock as at the start, nothing shipped or applied, no delay-replica steps (the fault timeline adds them again). */
  reset(items: ReadonlyArray<{ readonly id: string; readonly stock: number }>): void {
    // A new Map, not clear() (idempotency.ts says why).
    this.state = new Map();
    for (const it of items) this.state.set(it.id, { stock: it.stock, version: 0 });
    this.appliedSeq = 0;
    this.entriesShipped = 0;
    this.entriesApplied = 0;
    this.extraLagMs = null;
    this.lastApplyAtMs = 0;
    this.lastApply = null;
  }

  /**
   * A delay-replica step: entry `entry` (1-based, commit order) reaches this replica `extraMs`
   * late. Keyed by entry, not seq: one seq can commit several entries (reservations freed together).
   */
  delayEntry(entry: number, extraMs: number, mark: string): void {
    (this.extraLagMs ??= new Map()).set(entry, { extraMs, mark });
  }

  private read(call: string, body: unknown): unknown {
    const item = (body as { item?: unknown } | null)?.item;
    const s = typeof item === 'string' ? this.state.get(item) : undefined;
    if (call !== 'read' || !s) return { ok: false, reason: 'bad-request', message: `${this.name} serves reads of known items only` };
    // Stale: an entry the primary committed has not been applied here yet (the lag struck).
    if (this.entriesApplied < this.entriesShipped) this.sim.marks.hit(MARK_REPLICA_LAG);
    const order = (body as { order?: unknown }).order;
    this.notes.note(this.name, 'replica-read', typeof order === 'string' ? order : undefined, { item, stock: s.stock, appliedSeq: this.appliedSeq, primarySeq: this.primary.seq });
    return { ok: true, item: item as string, stock: s.stock, version: s.version, seq: this.appliedSeq } satisfies T.ReadRes;
  }

  /** The primary committed `change`: schedule its apply here. Log order is kept: an entry never overtakes the one before it. */
  committed(change: LogEntry): void {
    const k = this.sim.kernel;
    const node = this.node;
    const a = new LogApply(this, ++this.entriesShipped, change);
    const step = this.extraLagMs === null ? undefined : this.extraLagMs.get(a.entry);
    const extra = step === undefined ? 0 : step.extraMs;
    if (step !== undefined) this.sim.marks.hit(step.mark);
    if (!k.windowed) {
      const lagMs = k.choices.between('network', 'replica-lag', this.lag.lagMsMin, this.lag.lagMsMax, a) + extra;
      this.lastApplyAtMs = Math.max(this.lastApplyAtMs, k.nowMs + lagMs);
      k.at('replica-apply', this.name, this.lastApplyAtMs, applyFire, a, node, node.epoch);
      return;
    }
    let earliest = k.nowMs + this.lag.lagMsMin + extra;
    let latest = k.nowMs + this.lag.lagMsMax + extra;
    const prev = this.lastApply !== null && this.lastApply.pending ? this.lastApply : null;
    if (prev !== null && !k.anyOrder) {
      // Never before the previous entry, and never due before it either (ready.ts). With
      // readyRule 'any' the explorer bounds a successor by its predecessor's window itself.
      if (earliest < prev.timeMs) earliest = prev.timeMs;
      if (latest < prev.latestMs) latest = prev.latestMs;
    }
    this.lastApply = k.push('replica-apply', this.name, earliest, latest, applyFire, a, node, node.epoch, prev);
  }

  apply(a: LogApply): void {
    this.state.set(a.change.item, { stock: a.change.stock, version: a.change.version });
    this.appliedSeq = a.change.seq;
    this.entriesApplied++;
  }
}

/**
 * The kernel: a virtual clock, the event queue with its ready set, the scheduler that picks
 * among ready events, the choices and the trace. Nothing else: nodes, the network and the
 * rpc table sit on top of it (world.ts), the inventory above them.
 *
 * Time semantics (pinned; docs/exploration.md):
 * - every event has a window [earliest, latest] of virtual time in which it may fire. A
 *   fixed-time event (a timer, a fault step, every event of the sampled timing model) has a
 *   window of width 0;
 * - the ready set is every pending event whose earliest time is not after the smallest latest
 *   time of all pending events (and whose predecessor, if it has one, has fired);
 * - when event e fires, now := max(now, e.earliest); events created then take their windows
 *   from that now; every trace event records that now.
 * So the scheduler may only pick orders that real time allows, and time never runs past any
 * pending event's latest time.
 */
import { Choices, type ChoiceSource } from './choice.js';
import { Trace } from './trace.js';
import { EventQueue, type EventKind, type Fire, type Gate, type QueuedEvent } from './queue.js';
import type { Scheduler } from './scheduler.js';
import { anySet, readySet } from './ready.js';
import { kernelAssert, kernelTestHook } from './assert.js';
import { Marks } from './marks.js';
import type { HasSubject } from './subjects.js';
import { emptyObjects } from './packed.js';

/** How message delays (and the other things that take time) are decided. */
export type TimingModel =
  /** Each delay is a choice drawn when the message is sent (fast; sweeps). */
  | 'sampled'
  /** Each delay is a window; the scheduler picks the order within what the windows allow. */
  | 'windowed';

export const TIMING_MODELS: readonly TimingModel[] = ['sampled', 'windowed'];

/** Why the event loop stopped. Running into a limit is an outcome, never a hang. */
export type StopReason = 'quiet' | 'event-limit' | 'time-limit';

export interface RunLimits {
  readonly eventsMax: number;
  readonly timeMsMax: number;
}

/**
 * Which pending events the scheduler is shown. 'windows' (the default): the ready set of the
 * time semantics above. 'any' (the exhaustive explorer, windowed timing only): every pending
 * event whose predecessor has fired, whatever the windows say; the scheduler then owns time
 * (src/explore/exhaustive: it checks each event's window against the partial order of what
 * fired, a stronger and relative check), so the kernel does not assert "no event fires after
 * its window" (its clock is only a monotonic label in this mode). Every other assertion stays.
 */
export type ReadyRule = 'windows' | 'any';

/** Told of every event pushed, and which event was firing then (null: the world's setup). */
export type PushObserver = (e: QueuedEvent, firing: QueuedEvent | null, nowMs: number) => void;

/** readyRule 'any': a scheduler's answer for "nothing pending can fire within the time limit". */
export const HORIZON = -1;

export interface KernelOptions {
  readonly source: ChoiceSource;
  readonly timing?: TimingModel;
  /** Default 'windows'. 'any' needs windowed timing and a scheduler. */
  readonly readyRule?: ReadyRule;
  /** Told of every event pushed, from the first (the exhaustive explorer names them). */
  readonly onPush?: PushObserver | null;
  /** null (default): the earliest event first, straight off the heap. */
  readonly scheduler?: Scheduler | null;
  /** Keep every answered choice (replay files, explanations). */
  readonly recordChoices?: boolean;
  /** Keep trace events in memory (reports); the hash is always computed. */
  readonly keepTrace?: boolean;
}

export class Kernel {
  nowMs = 0;
  eventsFired = 0;
  readonly queue = new EventQueue();
  readonly trace: Trace;
  readonly choices: Choices;
  /** Which faults took effect in this run (coverage marks; never part of the trace). */
  readonly marks = new Marks();
  readonly timing: TimingModel;
  /** The windowed timing model (a field, not a getter: the network and the loop read it per message). */
  readonly windowed: boolean;
  readonly scheduler: Scheduler | null;
  /** No scheduler and fixed times: pop the heap, never build a ready set (the sampled default). */
  private readonly heapOnly: boolean;
  /** What the kernel-assertion test hook may reach (the world above the kernel). */
  world: unknown = null;
  /** The event being fired (null between events and during setup): who created what is pushed. */
  firing: QueuedEvent | null = null;
  /** Null unless someone (the exhaustive explorer) listens: one null check per push. */
  onPush: PushObserver | null = null;
  /** readyRule 'any': the scheduler sees every pending event (see ReadyRule). */
  readonly anyOrder: boolean;
  private readonly ready: QueuedEvent[] = emptyObjects(); // A copy, not a literal: a run-long list (src/sim/untracked.ts).

  constructor(opts: KernelOptions) {
    this.trace = new Trace(opts.keepTrace ?? false);
    this.choices = new Choices(opts.source, () => this.nowMs, opts.recordChoices ?? false, () => this.trace.count);
    this.timing = opts.timing ?? 'sampled';
    this.windowed = this.timing === 'windowed';
    this.scheduler = opts.scheduler ?? null;
    this.heapOnly = this.scheduler === null && !this.windowed;
    this.anyOrder = opts.readyRule === 'any';
    this.onPush = opts.onPush ?? null;
    if (this.anyOrder && !(this.windowed && this.scheduler !== null)) throw new Error('readyRule "any" needs windowed timing and a scheduler');
  }

  /**
   * A world reset (inventory/world.ts): the kernel of a new run with `source`, with the same
   * options. Every field a run writes is written back to what the constructor made.
   */
  reset(source: ChoiceSource): void {
    this.nowMs = 0;
    this.eventsFired = 0;
    this.queue.reset();
    this.trace.reset();
    this.choices.reset(source);
    this.marks.reset();
    this.firing = null;
    this.ready.length = 0;
  }

  /**
   * Schedules `fire(arg)` in the window [earliestMs, latestMs] (equal for a fixed time). Never
   * in the past: a caller that asks for it has a bug (it used to be clamped silently).
   */
  push<A>(kind: EventKind, owner: string, earliestMs: number, latestMs: number, fire: Fire<A>, arg: A, gate: Gate | null = null, epoch = 0, after: QueuedEvent | null = null): QueuedEvent {
    // Written out rather than kernelAssert(..., () => ...): no closure on the hot path.
    if (!(earliestMs >= this.nowMs && latestMs >= earliestMs && Number.isSafeInteger(earliestMs) && Number.isSafeInteger(latestMs))) {
      this.badWindow(kind, earliestMs, latestMs);
    }
    const e = this.queue.push(earliestMs, fire, arg, kind, owner, gate, epoch, latestMs, after);
    if (this.onPush !== null) this.onPush(e, this.firing, this.nowMs);
    return e;
  }

  /** `fire(arg)` at `timeMs`. */
  at<A>(kind: EventKind, owner: string, timeMs: number, fire: Fire<A>, arg: A, gate: Gate | null = null, epoch = 0): QueuedEvent {
    return this.push(kind, owner, timeMs, timeMs, fire, arg, gate, epoch);
  }

  /** `fire(arg)` `ms` from now. */
  after<A>(kind: EventKind, owner: string, ms: number, fire: Fire<A>, arg: A, gate: Gate | null = null, epoch = 0): QueuedEvent {
    const t = this.nowMs + ms;
    return this.push(kind, owner, t, t, fire, arg, gate, epoch);
  }

  /**
   * Runs events until nothing is left (quiet) or a limit is hit. With no scheduler the loop
   * pops the heap's minimum (the sampled model's default: no ready set is ever built).
   */
  runUntilQuiet(limits: RunLimits): StopReason {
    const q = this.queue;
    const hook = kernelTestHook();
    while (q.size > 0) {
      if (this.eventsFired >= limits.eventsMax) return 'event-limit';
      let e: QueuedEvent;
      if (this.heapOnly) {
        if (q.peekTime() > limits.timeMsMax) return 'time-limit';
        e = q.pop()!;
      } else {
        const picked = this.pickReady(this.scheduler);
        // readyRule 'any': the scheduler owns time and its limit (the clock is only a label);
        // it answers HORIZON when no pending event can fire within the time limit.
        if (picked === null) return 'time-limit';
        if (!this.anyOrder && Math.max(this.nowMs, picked.timeMs) > limits.timeMsMax) return 'time-limit';
        // Paired with pickReady(): what the ready set offered is in the queue, and leaves it once.
        if (!q.remove(picked)) kernelAssert(false, 'queue and ready set agree', () => `picked a ${picked.kind} the queue does not hold`, this.nowMs);
        e = picked;
      }
      if (hook !== null) hook({ kernel: this, world: this.world, eventsFired: this.eventsFired });
      this.fireEvent(e);
      // Heap-only (sampled, no scheduler): nothing holds a fired entry (no ready set, no
      // predecessor links, which only the windowed model makes; no observer), so it is reused.
      if (this.heapOnly && this.onPush === null) q.release(e);
    }
    this.assertQuiet();
    return 'quiet';
  }

  private fireEvent(e: QueuedEvent): void {
    const now = this.nowMs;
    const t = e.timeMs > now ? e.timeMs : now;
    // Paired with push(): time is an integer, never goes back, never passes an event's window
    // (readyRule 'any': the explorer checks windows against the partial order instead).
    if (!((t <= e.latestMs || this.anyOrder) && t >= now && Number.isSafeInteger(t) && Number.isSafeInteger(now))) this.badFire(e, now, t);
    this.nowMs = t;
    this.eventsFired++;
    this.firing = e;
    if (e.gate === null) e.fire(e.arg);
    else e.gate.whenRunning(e.epoch, e.fire, e.arg);
    this.firing = null;
  }

  /** The ready set, and the scheduler's pick from it (a member of the queue, paired with remove()). */
  private pickReady(scheduler: Scheduler | null): QueuedEvent | null {
    const ready = this.ready;
    if (this.anyOrder) anySet(this.queue, ready);
    else readySet(this.queue, ready);
    kernelAssert(ready.length > 0, 'the ready set is never empty while events are pending', () => `${this.queue.size} pending, none ready`, this.nowMs);
    const i = scheduler === null ? 0 : scheduler.pick(ready, this.choices);
    if (i === HORIZON && this.anyOrder) {
      ready.length = 0;
      return null;
    }
    kernelAssert(Number.isInteger(i) && i >= 0 && i < ready.length, 'the scheduler picks a ready event', () => `picked ${i} of ${ready.length}`, this.nowMs);
    const e = ready[i];
    ready.length = 0;
    kernelAssert(e.pending, 'queue and ready set agree', () => `picked a ${e.kind} that is not pending`, this.nowMs);
    return e;
  }

  /**
   * What a node's clock reads now, before its skew (SimNode.localTime). Under readyRule 'any'
   * the kernel's clock is a label that depends on the interleaving (the largest lower window
   * end fired so far, raised by events of every node and by timers of answered rpcs), so the
   * scheduler that owns time answers instead when it can (the explorer: the firing event's
   * earliest or latest time given its causal past, a `clock-read` choice; docs/exploration.md,
   * "Clock readings").
   */
  clockMs(node: HasSubject): number {
    if (this.anyOrder && this.scheduler!.clockMs !== undefined) return this.scheduler!.clockMs(node, this.choices);
    return this.nowMs;
  }

  private badWindow(kind: EventKind, earliestMs: number, latestMs: number): never {
    const now = this.nowMs;
    kernelAssert(Number.isSafeInteger(earliestMs) && Number.isSafeInteger(latestMs), 'time is an integer', () => `${kind} scheduled for [${earliestMs}, ${latestMs}]`, now);
    kernelAssert(earliestMs >= now, 'events are scheduled now or later, never in the past', () => `${kind} scheduled for ${earliestMs} ms at ${now} ms`, now);
    kernelAssert(false, 'an event\'s window is not inverted', () => `${kind} scheduled for [${earliestMs}, ${latestMs}]`, now);
  }

  private badFire(e: QueuedEvent, now: number, t: number): never {
    kernelAssert(Number.isSafeInteger(t) && Number.isSafeInteger(now) && t >= now, 'time is an integer and monotonic', () => `${e.kind} at ${e.timeMs} ms would move the clock from ${now} to ${t} ms`, now);
    kernelAssert(false, 'no event fires after its window', () => `${e.kind} due by ${e.latestMs} ms fired at ${t} ms`, now);
  }

  /** Paired with every push and pop: what was scheduled either fired or is still queued. */
  private assertQuiet(): void {
    kernelAssert(this.queue.pushed === this.eventsFired, 'queue and fired events agree', () => `${this.queue.pushed} scheduled, ${this.eventsFired} fired, nothing pending`, this.nowMs);
  }
}

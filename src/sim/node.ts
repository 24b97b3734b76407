import type { Sim } from './world.js';
import type { Kernel } from './kernel.js';
import type { Effect, ProcessExit, Proc } from './process.js';
import { describeThrown } from './process.js';
import type { EventKind, Fire } from './queue.js';
import type { Message } from './network.js';
import { KernelAssertionError, kernelAssert } from './assert.js';
import type { HasSubject, NodeSubject, ProcessSubject } from './subjects.js';
import { emptyObjects } from './packed.js';

export type NodeStatus = 'up' | 'paused' | 'crashed';

/**
 * What runs on a node (SimNode.whenRunning): `fire(arg)` with the node it runs on. A fire that
 * does not need the node takes `arg` alone (a Fire<A> is an OnNode<A>).
 */
export type OnNode<A> = (arg: A, node: SimNode) => void;

/**
 * What a node does with a request: answer at once (a value) or run a process whose return
 * value is the answer. Returning `undefined` means "no reply now": the caller times out unless
 * the node answers later itself (`sim.network.send(request.replyWith(body))`, as the SQL
 * server does for a statement that waits for a lock).
 */
export type RequestHandler = (call: string, body: unknown, from: string, request: Message) => unknown | Proc<unknown>;

export interface NodeHooks {
  /** The node lost its memory: in-flight work is gone. */
  onCrash?(): void;
  onRestart?(): void;
}

/**
 * A node's own hooks, made by a class rather than a literal: they live as long as their world,
 * and under V8's defaults a run-long literal is pretenured, and an old dead hooks object keeps
 * its closures and through them the whole world of its run alive in every scavenge until a
 * full GC (src/sim/untracked.ts).
 */
export class Hooks implements NodeHooks {
  constructor(
    readonly onCrash: (() => void) | undefined,
    readonly onRestart: (() => void) | undefined,
  ) {}
}

/** A node's hooks until someone sets its own (replaced, never written to). */
const NO_HOOKS: NodeHooks = Object.freeze({});

/** A pause's end: which node, and until when (a later, longer pause supersedes it). */
class PauseEnd implements HasSubject {
  constructor(
    readonly node: SimNode,
    readonly untilMs: number,
    readonly epoch: number,
  ) {}
  subject(): NodeSubject {
    return this.node.subject();
  }
}

function endPause(p: PauseEnd): void {
  p.node.endPause(p);
}

/**
 * A simulated machine. It can be paused (a GC or VM pause: it stops stepping, messages and
 * timers queue up and fire late; its clock keeps moving), crashed (loses its processes and
 * every event addressed to it) and restarted, and it has a local clock with an offset and a
 * drift that a strategy can read (and should not trust).
 */
export class SimNode implements HasSubject {
  status: NodeStatus = 'up';
  /** Bumped by every crash: events scheduled by an earlier incarnation are discarded. */
  epoch = 0;
  clockOffsetMs = 0;
  clockDriftPpm = 0;
  pausedUntilMs = 0;
  handler: RequestHandler | null = null;
  hooks: NodeHooks = NO_HOOKS;
  /** What arrived while paused, as (kind, fn, arg) triples in arrival order. */
  private deferred: unknown[] = emptyObjects();
  /** `${call}@${name}` per call kind: a handler's process name, built once (the map on first use). */
  private processNames: Map<string, string> | null = null;
  readonly processes = new ProcessSet();
  readonly kernel: Kernel;

  constructor(
    readonly sim: Sim,
    readonly name: string,
    readonly role: string,
  ) {
    this.kernel = sim.kernel;
  }

  /**
   * A world reset: up, first incarnation, an exact clock, no processes, nothing deferred. Its
   * handler and hooks (the wiring) and its process names (a cache of strings) stay.
   */
  reset(): void {
    this.status = 'up';
    this.epoch = 0;
    this.clockOffsetMs = 0;
    this.clockDriftPpm = 0;
    this.pausedUntilMs = 0;
    if (this.deferred.length > 0) this.deferred = emptyObjects();
    this.processes.reset();
  }

  subject(): NodeSubject {
    return { type: 'node', node: this.name };
  }

  /** The node's own clock: virtual time skewed by offset and drift. Never used by the kernel. */
  localTime(): number {
    const now = this.kernel.clockMs(this);
    return now + this.clockOffsetMs + Math.trunc((now * this.clockDriftPpm) / 1_000_000);
  }

  /**
   * Runs `fn(arg, this node)` on this node now, later (after a pause) or never (crashed, or
   * scheduled by an incarnation that has since crashed). `kind` is what the deferred event
   * will be when the pause ends. The node is handed to `fn` so that a delivery, which found
   * its receiver once, need not look it up again (nor the node its deferred events).
   */
  whenRunning<A>(epoch: number, fn: OnNode<A>, arg: A, kind: EventKind = 'wake'): void {
    if (this.status === 'crashed' || epoch !== this.epoch) return;
    if (this.status === 'paused') {
      this.deferred.push(kind, fn, arg);
      return;
    }
    fn(arg, this);
  }

  /** A timer on this node: `fn(arg)` after `ms`, late if the node is paused then. */
  timer<A>(kind: EventKind, ms: number, fn: Fire<A>, arg: A): void {
    this.kernel.after(kind, this.name, ms, fn, arg, this, this.epoch);
  }

  /** A timer in a window [now + msMin, now + msMax] (the windowed timing model). */
  timerBetween<A>(kind: EventKind, msMin: number, msMax: number, fn: Fire<A>, arg: A): void {
    const now = this.kernel.nowMs;
    this.kernel.push(kind, this.name, now + msMin, now + msMax, fn, arg, this, this.epoch);
  }

  /**
   * Pauses the node for `durationMs` (a GC or VM pause). Returns whether it took effect: a
   * crashed node, a zero duration and a pause inside a longer one already running change nothing.
   */
  pause(durationMs: number, cause: string): boolean {
    if (this.status === 'crashed' || durationMs <= 0) return false;
    const k = this.kernel;
    const until = k.nowMs + durationMs;
    if (this.status === 'paused' && until <= this.pausedUntilMs) return false;
    this.status = 'paused';
    this.pausedUntilMs = until;
    k.trace.emit({ t: k.nowMs, type: 'pause', node: this.name, untilMs: until, cause });
    k.at('pause-end', this.name, until, endPause, new PauseEnd(this, until, this.epoch));
    return true;
  }

  /** A pause-end event: resumes unless the node crashed since or a longer pause superseded this one. */
  endPause(p: PauseEnd): void {
    // Superseded by a longer pause, or the node crashed since (a new incarnation): not this pause's end.
    if (p.epoch !== this.epoch || this.pausedUntilMs !== p.untilMs) return;
    this.resume();
  }

  private resume(): void {
    // Paired with pause(): the end of the pause that holds the node finds it paused.
    if (this.status !== 'paused') kernelAssert(false, 'only a paused node resumes', () => `${this.name} is ${this.status} when its pause ends`, this.kernel.nowMs);
    this.status = 'up';
    const k = this.kernel;
    k.trace.emit({ t: k.nowMs, type: 'resume', node: this.name });
    // Everything that arrived during the pause happens now, in arrival order, one event each,
    // each with the identity it had (the same message, the same timer), gated by this node, so
    // that the kernel fires it through whenRunning, which hands it the node again (an OnNode).
    const queued = this.deferred;
    this.deferred = emptyObjects();
    for (let i = 0; i < queued.length; i += 3) {
      k.after(queued[i] as EventKind, this.name, 0, queued[i + 1] as Fire<unknown>, queued[i + 2], this, this.epoch);
    }
  }

  /** Crashes the node; returns whether it took effect (false: it was down already). */
  crash(): boolean {
    if (this.status === 'crashed') return false;
    this.status = 'crashed';
    this.epoch++;
    this.deferred = emptyObjects();
    for (const p of this.processes) p.kill();
    this.processes.clear();
    this.sim.rpcs.clearNode(this);
    const k = this.kernel;
    k.trace.emit({ t: k.nowMs, type: 'crash', node: this.name });
    this.hooks.onCrash?.();
    return true;
  }

  restart(): void {
    if (this.status !== 'crashed') return;
    this.status = 'up';
    const k = this.kernel;
    k.trace.emit({ t: k.nowMs, type: 'restart', node: this.name });
    this.hooks.onRestart?.();
  }

  /** The name of the process that handles a `call` request here, e.g. "reserve@db". */
  handlerProcessName(call: string): string {
    const names = (this.processNames ??= new Map());
    let name = names.get(call);
    if (name === undefined) names.set(call, (name = `${call}@${this.name}`));
    return name;
  }

  /**
   * Starts a process on this node; `onExit` hears its result unless the node crashes first.
   * `tag` rides on every message it sends (the order id: traces, explanations); `origin` is
   * what its calls are identified by (default: the tag, else the name); `serving` is the
   * request a handler process answers.
   */
  spawn<T>(name: string, body: Proc<T>, onExit: (exit: ProcessExit<T>) => void, tag?: string, origin?: string, serving: Message | null = null): Process<T> {
    const p = new Process<T>(this, name, body, onExit, tag, origin ?? tag ?? name, serving);
    this.processes.add(p as Process<unknown>);
    this.whenRunning(this.epoch, wake, p as Process<unknown>);
    return p;
  }
}

/**
 * The processes running on a node: what a crash kills. An array with each process's slot in
 * it, so that a process that ends leaves in O(1) by moving the last one into its slot, not a
 * Set: adding and deleting a process per order made a Set grow and shrink its table (a few
 * per cent of a run's garbage), and a Set per node per run was more. Iteration order is not
 * the order of starting (kill() has no effects, so a crash does not care).
 */
export class ProcessSet implements Iterable<Process<unknown>> {
  private list: Array<Process<unknown>> | null = null;

  get size(): number {
    return this.list === null ? 0 : this.list.length;
  }

  add(p: Process<unknown>): void {
    const list = (this.list ??= emptyObjects()); // A copy, not a literal: a run-long list (src/sim/untracked.ts).
    p.slot = list.length;
    list.push(p);
  }

  /** Removes `p`; false if it is not here. */
  delete(p: Process<unknown>): boolean {
    const list = this.list;
    const i = p.slot;
    if (list === null || i < 0 || list[i] !== p) return false;
    const last = list.pop()!;
    if (last !== p) {
      list[i] = last;
      last.slot = i;
    }
    p.slot = -1;
    return true;
  }

  /** A world reset: as new (the list is made by the next run's first process). */
  reset(): void {
    this.clear();
    this.list = null;
  }

  clear(): void {
    if (this.list === null) return;
    for (const p of this.list) p.slot = -1;
    this.list.length = 0;
  }

  [Symbol.iterator](): Iterator<Process<unknown>> {
    return (this.list ?? []).values();
  }
}

/** Steps a process with no input: its start, or the end of a sleep. One function for every process. */
export function wake(p: Process<unknown>): void {
  p.step(undefined);
}

export class Process<T> implements HasSubject {
  /** The rpc id this process waits for, or -1 (set and cleared by the rpc table). */
  waitingRpc = -1;
  /** Where it sits in its node's ProcessSet, or -1 (set by the set). */
  slot = -1;
  alive = true;
  /** Calls made so far per call kind (a message's attempt number); made by the first call (a handler's process often makes none). */
  private calls: CallCounts | null = null;
  /** Sleeps so far: a timer's identity. */
  private sleeps = 0;
  /** The reply it received just before a pause struck: handled when the pause ends. */
  heldReply: Message | null = null;

  constructor(
    readonly node: SimNode,
    readonly name: string,
    private readonly body: Proc<T>,
    private readonly onExit: (exit: ProcessExit<T>) => void,
    /** Attached to every message it sends (e.g. the order id), for traces and explanations. */
    readonly tag: string | undefined,
    /** What its calls are identified by: an order id or a process name (subjects.ts). */
    readonly origin: string,
    /** For a handler process: the request it serves. */
    readonly serving: Message | null,
  ) {}

  subject(): ProcessSubject {
    return { type: 'process', process: this.origin, node: this.node.name, sleep: this.sleeps, serving: this.serving === null ? null : this.serving.subject() };
  }

  /** The attempt number of its next `call` (1 for the first), counted. */
  nextAttempt(call: string): number {
    return (this.calls ??= new CallCounts()).next(call);
  }

  /** The attempt number its next `call` would get, without counting it (a choice about a call not yet made). */
  peekAttempt(call: string): number {
    return this.calls === null ? 1 : this.calls.peek(call);
  }

  kill(): void {
    this.alive = false;
    this.waitingRpc = -1;
  }

  step(input: unknown): void {
    if (!this.alive) return;
    const sim = this.node.sim;
    // Paired with whenRunning()/the gates: a process only runs on a node that is up.
    if (this.node.status !== 'up') this.steppedOnDown();
    let r: IteratorResult<Effect, T>;
    const outer = sim.current;
    sim.current = this as Process<unknown>;
    try {
      r = this.body.next(input);
    } catch (e) {
      sim.current = outer;
      // A broken kernel invariant surfacing inside a strategy's step is oversold's bug, not the strategy's.
      if (e instanceof KernelAssertionError) throw e;
      this.finish({ ok: false, error: describeThrown(e), thrown: e });
      return;
    }
    sim.current = outer;
    if (r.done) {
      this.finish({ ok: true, value: r.value });
      return;
    }
    const eff = r.value;
    if (eff === null || typeof eff !== 'object') {
      this.finish({ ok: false, error: `yielded ${String(eff)}, not an effect (use yield* on ctx helpers)` });
      return;
    }
    if (eff.type === 'sleep') {
      // A strategy's own number: made whole and non-negative (its input, not a kernel fault).
      const ms = Math.max(0, Math.floor(Number(eff.ms) || 0));
      this.sleeps++;
      if (eff.msMax === undefined || eff.msMax <= ms) this.node.timer('wake', ms, wake, this as Process<unknown>);
      else if (sim.kernel.windowed) this.node.timerBetween('wake', ms, Math.floor(eff.msMax), wake, this as Process<unknown>);
      else {
        const d = sim.kernel.choices.between(eff.stream ?? 'network', eff.kind ?? 'delay', ms, Math.floor(eff.msMax), this.serving ?? this);
        this.node.timer('wake', d, wake, this as Process<unknown>);
      }
    } else if (eff.type === 'rpc') {
      sim.startRpc(this as Process<unknown>, eff);
    } else {
      // `yield ctx.db.read()` (no *) hands the kernel the helper's generator itself.
      const missingStar = typeof (eff as { next?: unknown }).next === 'function';
      this.finish({ ok: false, error: missingStar ? 'yielded a generator, not an effect: write yield* (with the star) before ctx helpers, e.g. yield* ctx.db.read(...)' : `yielded an unknown effect ${JSON.stringify((eff as { type?: unknown }).type)}` });
    }
  }

  /** A paired assertion failed: its words built here (an arrow in step() would give every step a context). */
  private steppedOnDown(): never {
    kernelAssert(false, 'a process runs only on a node that is up', () => `${this.name} stepped on ${this.node.name}, which is ${this.node.status}`, this.node.kernel.nowMs);
  }

  /** Ends the process with an error it caused (a finding about the process, not a kernel bug). */
  abort(error: string): void {
    if (this.alive) this.finish({ ok: false, error });
  }

  private finish(exit: ProcessExit<T>): void {
    this.alive = false;
    this.node.processes.delete(this as Process<unknown>);
    if (!exit.ok) {
      const k = this.node.kernel;
      k.trace.emit({ t: k.nowMs, type: 'process-error', node: this.node.name, process: this.name, error: exit.error });
    }
    this.onExit(exit);
  }
}

/**
 * Calls made so far per call kind. A process makes one to four kinds of call (reservation:
 * read, reserve, charge, confirm): the first four kinds sit in fields, the rest in two short
 * arrays made on first need (an array grown by push() reserves 17 slots: two per order were a
 * twentieth of a naive run's garbage).
 */
class CallCounts {
  private call0: string | null = null;
  private count0 = 0;
  private call1: string | null = null;
  private count1 = 0;
  private call2: string | null = null;
  private count2 = 0;
  private call3: string | null = null;
  private count3 = 0;
  private moreCalls: string[] | null = null;
  private moreCounts: number[] | null = null;

  next(call: string): number {
    if (this.call0 === call) return ++this.count0;
    if (this.call0 === null) {
      this.call0 = call;
      return (this.count0 = 1);
    }
    if (this.call1 === call) return ++this.count1;
    if (this.call1 === null) {
      this.call1 = call;
      return (this.count1 = 1);
    }
    if (this.call2 === call) return ++this.count2;
    if (this.call2 === null) {
      this.call2 = call;
      return (this.count2 = 1);
    }
    if (this.call3 === call) return ++this.count3;
    if (this.call3 === null) {
      this.call3 = call;
      return (this.count3 = 1);
    }
    if (this.moreCalls === null) {
      this.moreCalls = [call];
      this.moreCounts = [1];
      return 1;
    }
    const i = this.moreCalls.indexOf(call);
    if (i < 0) {
      this.moreCalls.push(call);
      this.moreCounts!.push(1);
      return 1;
    }
    return ++this.moreCounts![i];
  }

  peek(call: string): number {
    if (this.call0 === call) return this.count0 + 1;
    if (this.call1 === call) return this.count1 + 1;
    if (this.call2 === call) return this.count2 + 1;
    if (this.call3 === call) return this.count3 + 1;
    const i = this.moreCalls === null ? -1 : this.moreCalls.indexOf(call);
    return i < 0 ? 1 : this.moreCounts![i] + 1;
  }
}

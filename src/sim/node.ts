import type { Sim } from './world.js';
import type { Effect, ProcessExit, Proc } from './process.js';
import { describeThrown } from './process.js';
import type { Fire } from './queue.js';

export type NodeStatus = 'up' | 'paused' | 'crashed';

/**
 * What a node does with a request: answer at once (a value) or run a process whose return
 * value is the answer. Returning `undefined` means "no reply" (the caller will time out).
 */
export type RequestHandler = (call: string, body: unknown, from: string) => unknown | Proc<unknown>;

export interface NodeHooks {
  /** The node lost its memory: in-flight work is gone. */
  onCrash?(): void;
  onRestart?(): void;
}

/**
 * A simulated machine. It can be paused (a GC or VM pause: it stops stepping, messages and
 * timers queue up and fire late; its clock keeps moving), crashed (loses its processes and
 * every event addressed to it) and restarted, and it has a local clock with an offset and a
 * drift that a strategy can read (and should not trust).
 */
export class SimNode {
  status: NodeStatus = 'up';
  /** Bumped by every crash: events scheduled by an earlier incarnation are discarded. */
  epoch = 0;
  clockOffsetMs = 0;
  clockDriftPpm = 0;
  pausedUntilMs = 0;
  handler: RequestHandler | null = null;
  hooks: NodeHooks = {};
  /** What arrived while paused, as (fn, arg) pairs in arrival order. */
  private deferred: unknown[] = [];
  /** `${call}@${name}` per call kind: a handler's process name, built once. */
  private readonly processNames = new Map<string, string>();
  readonly processes = new Set<Process<unknown>>();

  constructor(
    readonly sim: Sim,
    readonly name: string,
    readonly role: string,
  ) {}

  /** The node's own clock: virtual time skewed by offset and drift. Never used by the kernel. */
  localTime(): number {
    const now = this.sim.nowMs;
    return now + this.clockOffsetMs + Math.trunc((now * this.clockDriftPpm) / 1_000_000);
  }

  /**
   * Runs `fn` on this node now, later (after a pause) or never (crashed, or scheduled by an
   * incarnation that has since crashed).
   */
  run<A>(epoch: number, fn: Fire<A>, arg?: A): void {
    if (this.status === 'crashed' || epoch !== this.epoch) return;
    if (this.status === 'paused') {
      this.deferred.push(fn, arg);
      return;
    }
    fn(arg as A);
  }

  /** A timer on this node: `fn(arg)` after `ms`, late if the node is paused then. */
  timer<A>(ms: number, fn: Fire<A>, arg?: A): void {
    this.sim.afterOn(ms, this, this.epoch, fn, arg);
  }

  pause(durationMs: number, cause: string): void {
    if (this.status === 'crashed' || durationMs <= 0) return;
    const until = this.sim.nowMs + durationMs;
    if (this.status === 'paused' && until <= this.pausedUntilMs) return;
    this.status = 'paused';
    this.pausedUntilMs = until;
    this.sim.trace.emit({ t: this.sim.nowMs, type: 'pause', node: this.name, untilMs: until, cause });
    const epoch = this.epoch;
    this.sim.at(until, () => {
      if (epoch !== this.epoch || this.status !== 'paused' || this.pausedUntilMs !== until) return;
      this.resume();
    });
  }

  private resume(): void {
    this.status = 'up';
    this.sim.trace.emit({ t: this.sim.nowMs, type: 'resume', node: this.name });
    // Everything that arrived during the pause happens now, in arrival order, one event each.
    const queued = this.deferred;
    this.deferred = [];
    const epoch = this.epoch;
    for (let i = 0; i < queued.length; i += 2) {
      const fn = queued[i] as Fire<unknown>;
      const arg = queued[i + 1];
      this.sim.after(0, () => this.run(epoch, fn, arg));
    }
  }

  crash(): void {
    if (this.status === 'crashed') return;
    this.status = 'crashed';
    this.epoch++;
    this.deferred = [];
    for (const p of this.processes) p.kill();
    this.processes.clear();
    this.sim.trace.emit({ t: this.sim.nowMs, type: 'crash', node: this.name });
    this.hooks.onCrash?.();
  }

  restart(): void {
    if (this.status !== 'crashed') return;
    this.status = 'up';
    this.sim.trace.emit({ t: this.sim.nowMs, type: 'restart', node: this.name });
    this.hooks.onRestart?.();
  }

  /** The name of the process that handles a `call` request here, e.g. "reserve@db". */
  handlerProcessName(call: string): string {
    let name = this.processNames.get(call);
    if (name === undefined) this.processNames.set(call, (name = `${call}@${this.name}`));
    return name;
  }

  /** Starts a process on this node; `onExit` hears its result unless the node crashes first. */
  spawn<T>(name: string, body: Proc<T>, onExit: (exit: ProcessExit<T>) => void, tag?: string): Process<T> {
    const p = new Process<T>(this, name, body, onExit, tag);
    this.processes.add(p as Process<unknown>);
    this.run(this.epoch, p.wake);
    return p;
  }
}

export class Process<T> {
  /** The rpc id this process waits for, or -1. */
  waitingRpc = -1;
  /** The call of that rpc (named in its timeout). */
  waitingCall = '';
  alive = true;
  /** Allocated once: a sleeping process is woken by this, not by a fresh closure per sleep. */
  readonly wake = (): void => this.step(undefined);
  private timeoutFire: ((rpcId: number) => void) | null = null;

  constructor(
    readonly node: SimNode,
    readonly name: string,
    private readonly body: Proc<T>,
    private readonly onExit: (exit: ProcessExit<T>) => void,
    /** Attached to every message it sends (e.g. the order id), for traces and explanations. */
    readonly tag: string | undefined,
  ) {}

  /** Made once, on the first rpc: the timer of each of its rpcs fires this with the rpc id. */
  get rpcTimeout(): (rpcId: number) => void {
    return (this.timeoutFire ??= (rpcId: number) => this.node.sim.rpcTimedOut(this as Process<unknown>, rpcId));
  }

  kill(): void {
    this.alive = false;
    this.waitingRpc = -1;
  }

  step(input: unknown): void {
    if (!this.alive) return;
    let r: IteratorResult<Effect, T>;
    try {
      r = this.body.next(input);
    } catch (e) {
      this.finish({ ok: false, error: describeThrown(e), thrown: e });
      return;
    }
    if (r.done) {
      this.finish({ ok: true, value: r.value });
      return;
    }
    const eff = r.value;
    const sim = this.node.sim;
    if (eff === null || typeof eff !== 'object') {
      this.finish({ ok: false, error: `yielded ${String(eff)}, not an effect (use yield* on ctx helpers)` });
      return;
    }
    if (eff.type === 'sleep') {
      const ms = Math.max(0, Math.floor(Number(eff.ms) || 0));
      this.node.timer(ms, this.wake);
    } else if (eff.type === 'rpc') {
      sim.startRpc(this as Process<unknown>, eff);
    } else {
      // `yield ctx.db.read()` (no *) hands the kernel the helper's generator itself.
      const missingStar = typeof (eff as { next?: unknown }).next === 'function';
      this.finish({ ok: false, error: missingStar ? 'yielded a generator, not an effect: write yield* (with the star) before ctx helpers, e.g. yield* ctx.db.read(...)' : `yielded an unknown effect ${JSON.stringify((eff as { type?: unknown }).type)}` });
    }
  }

  /** Ends the process with an error it caused (a finding about the process, not a kernel bug). */
  abort(error: string): void {
    if (this.alive) this.finish({ ok: false, error });
  }

  private finish(exit: ProcessExit<T>): void {
    this.alive = false;
    this.node.processes.delete(this as Process<unknown>);
    if (!exit.ok) {
      this.node.sim.trace.emit({ t: this.node.sim.nowMs, type: 'process-error', node: this.node.name, process: this.name, error: exit.error });
    }
    this.onExit(exit);
  }
}

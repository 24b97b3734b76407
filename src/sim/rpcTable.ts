import { kernelAssert } from './assert.js';
import type { Process } from './node.js';
import { emptyObjects } from './packed.js';

/**
 * The calls in flight: which process waits for which rpc. It owns them: an rpc is answered,
 * times out, or is cleared by a crash of its caller's node, exactly once each (paired
 * assertions below), and a run that goes quiet has none left.
 */
export class RpcTable {
  /**
   * Who waits for rpc `id`, at index id - 1 (ids are handed out 1, 2, 3, ... by open()), null
   * once it is answered, timed out or cleared. An array rather than a Map: a run opens tens to
   * hundreds of rpcs, and the Map's set and delete (with its rehashing) were a few per cent of
   * a run's garbage; the array holds one slot per rpc of the run.
   */
  private readonly waiting: Array<Process<unknown> | null> = emptyObjects(); // A copy, not a literal: a run-long list (src/sim/untracked.ts).
  private waitingCount = 0;
  private idNext = 1;
  private started = 0;
  private resolved = 0;

  constructor(private readonly now: () => number) {}

  /** A world reset: no calls, ids from 1 again. */
  reset(): void {
    this.waiting.length = 0;
    this.waitingCount = 0;
    this.idNext = 1;
    this.started = 0;
    this.resolved = 0;
  }

  /** Registers `proc` as waiting for a new rpc; returns its id (a counter: for traces, not identity). */
  open(proc: Process<unknown>): number {
    // The failure's words are built in a function of their own: a closure here that captures
    // `proc` would make V8 allocate this call's context on every call, failing or not.
    if (!(proc.alive && proc.waitingRpc === -1)) this.broken('a process waits for one rpc at a time', proc, -1, 'open');
    const id = this.idNext++;
    this.started++;
    proc.waitingRpc = id;
    this.waiting.push(proc);
    this.waitingCount++;
    return id;
  }

  /**
   * The reply to `rpc` reached `node`: returns the process that waited for it, no longer
   * waiting, or null when nobody waits any more (it timed out, or its node crashed): a late
   * reply. A duplicated request's second reply is late too.
   */
  answer(rpc: number, node: unknown): Process<unknown> | null {
    const proc = this.of(rpc);
    if (proc === null) return null;
    // Paired with open(): the caller is alive, on the node the reply went to, waiting for this rpc.
    if (!(proc.alive && proc.waitingRpc === rpc && proc.node === node)) this.broken('each rpc is answered or timed out exactly once', proc, rpc, 'reply');
    return this.close(rpc, proc);
  }

  /** The timer of `rpc` went off: returns the process that still waited (a timeout), or null (answered first). */
  timeout(rpc: number): Process<unknown> | null {
    const proc = this.of(rpc);
    if (proc === null) return null;
    if (!(proc.alive && proc.waitingRpc === rpc)) this.broken('each rpc is answered or timed out exactly once', proc, rpc, 'timeout');
    return this.close(rpc, proc);
  }

  /** `node` crashed: the calls its processes waited for are gone with them. */
  clearNode(node: unknown): void {
    const w = this.waiting;
    for (let i = 0; i < w.length; i++) {
      const proc = w[i];
      if (proc === null || proc.node !== node) continue;
      w[i] = null;
      this.waitingCount--;
      this.resolved++;
    }
  }

  /** Whether `rpc` still waits for its reply (its timer, when it fires, is a timeout). */
  isWaiting(rpc: number): boolean {
    return this.of(rpc) !== null;
  }

  get size(): number {
    return this.waitingCount;
  }

  /** Test-only (the kernel-assertion tests): the processes waiting, in rpc order. */
  waitingForTests(): Array<Process<unknown>> {
    return this.waiting.filter((p) => p !== null);
  }

  /** Test-only (the kernel-assertion tests): loses the first rpc still waiting, as a bug would; false if none. */
  loseOneForTests(): boolean {
    const i = this.waiting.findIndex((p) => p !== null);
    if (i < 0) return false;
    this.waiting[i] = null;
    this.waitingCount--;
    return true;
  }

  /** A paired assertion failed (open, reply or timeout): stops the run with the words. */
  private broken(invariant: string, proc: Process<unknown>, rpc: number, at: 'open' | 'reply' | 'timeout'): never {
    const detail =
      at === 'open' ? `${proc.name} started an rpc while waiting for rpc ${proc.waitingRpc}`
      : `the ${at} ${at === 'reply' ? 'to' : 'of'} rpc ${rpc} found ${proc.name} ${proc.alive ? `waiting for rpc ${proc.waitingRpc}` : 'dead'}`;
    kernelAssert(false, invariant, () => detail, this.now());
  }

  private of(rpc: number): Process<unknown> | null {
    const i = rpc - 1;
    return i >= 0 && i < this.waiting.length ? this.waiting[i] : null;
  }

  /** At quiet: every rpc was answered, timed out or cleared, once (each has a timer, and the queue is empty). */
  assertQuiet(): void {
    kernelAssert(this.waitingCount === 0 && this.started === this.resolved, 'each rpc is answered or timed out exactly once', () => `quiet with ${this.waitingCount} rpcs waiting (${this.started} started, ${this.resolved} resolved)`, this.now());
  }

  private close(rpc: number, proc: Process<unknown>): Process<unknown> {
    this.waiting[rpc - 1] = null;
    this.waitingCount--;
    this.resolved++;
    proc.waitingRpc = -1;
    return proc;
  }
}

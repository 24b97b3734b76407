import { kernelAssert } from './assert.js';
import type { Process } from './node.js';

/**
 * The calls in flight: which process waits for which rpc. It owns them: an rpc is answered,
 * times out, or is cleared by a crash of its caller's node, exactly once each (paired
 * assertions below), and a run that goes quiet has none left.
 */
export class RpcTable {
  private readonly waiting = new Map<number, Process<unknown>>();
  private idNext = 1;
  private started = 0;
  private resolved = 0;

  constructor(private readonly now: () => number) {}

  /** Registers `proc` as waiting for a new rpc; returns its id (a counter: for traces, not identity). */
  open(proc: Process<unknown>): number {
    // Written out as `if (!ok) kernelAssert(false, ...)`: a closure per call is garbage on the hot path.
    if (!(proc.alive && proc.waitingRpc === -1)) kernelAssert(false, 'a process waits for one rpc at a time', () => `${proc.name} started an rpc while waiting for rpc ${proc.waitingRpc}`, this.now());
    const id = this.idNext++;
    this.started++;
    proc.waitingRpc = id;
    this.waiting.set(id, proc);
    return id;
  }

  /**
   * The reply to `rpc` reached `node`: returns the process that waited for it, no longer
   * waiting, or null when nobody waits any more (it timed out, or its node crashed): a late
   * reply. A duplicated request's second reply is late too.
   */
  answer(rpc: number, node: unknown): Process<unknown> | null {
    const proc = this.waiting.get(rpc);
    if (proc === undefined) return null;
    // Paired with open(): the caller is alive, on the node the reply went to, waiting for this rpc.
    if (!(proc.alive && proc.waitingRpc === rpc && proc.node === node)) kernelAssert(false, 'each rpc is answered or timed out exactly once', () => `the reply to rpc ${rpc} found ${proc.name} ${proc.alive ? `waiting for rpc ${proc.waitingRpc}` : 'dead'}`, this.now());
    return this.close(rpc, proc);
  }

  /** The timer of `rpc` went off: returns the process that still waited (a timeout), or null (answered first). */
  timeout(rpc: number): Process<unknown> | null {
    const proc = this.waiting.get(rpc);
    if (proc === undefined) return null;
    if (!(proc.alive && proc.waitingRpc === rpc)) kernelAssert(false, 'each rpc is answered or timed out exactly once', () => `the timeout of rpc ${rpc} found ${proc.name} ${proc.alive ? `waiting for rpc ${proc.waitingRpc}` : 'dead'}`, this.now());
    return this.close(rpc, proc);
  }

  /** `node` crashed: the calls its processes waited for are gone with them. */
  clearNode(node: unknown): void {
    for (const [rpc, proc] of this.waiting) {
      if (proc.node !== node) continue;
      this.waiting.delete(rpc);
      this.resolved++;
    }
  }

  /** Whether `rpc` still waits for its reply (its timer, when it fires, is a timeout). */
  isWaiting(rpc: number): boolean {
    return this.waiting.has(rpc);
  }

  get size(): number {
    return this.waiting.size;
  }

  /** Test-only (the kernel-assertion tests): the waiting map, to corrupt. */
  get entriesForTests(): Map<number, Process<unknown>> {
    return this.waiting;
  }

  /** At quiet: every rpc was answered, timed out or cleared, once (each has a timer, and the queue is empty). */
  assertQuiet(): void {
    kernelAssert(this.waiting.size === 0 && this.started === this.resolved, 'each rpc is answered or timed out exactly once', () => `quiet with ${this.waiting.size} rpcs waiting (${this.started} started, ${this.resolved} resolved)`, this.now());
  }

  private close(rpc: number, proc: Process<unknown>): Process<unknown> {
    this.waiting.delete(rpc);
    this.resolved++;
    proc.waitingRpc = -1;
    return proc;
  }
}

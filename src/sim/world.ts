import { EventQueue, type Fire, type Gate } from './queue.js';
import { Choices, type ChoiceSource } from './choice.js';
import { Trace } from './trace.js';
import { Message, Network, type NetworkConfig } from './network.js';
import { SimNode, type Process } from './node.js';
import type { Effect, ProcessExit } from './process.js';

export interface RandomPauses {
  /** Chance in 1/1000, at each reply a node receives, that it pauses before handling it. */
  perMille: number;
  durationMsMin: number;
  durationMsMax: number;
  nodes: ReadonlySet<string>;
}

export interface SimOptions {
  source: ChoiceSource;
  network: NetworkConfig;
  randomPauses?: RandomPauses;
  /** Keep every answered choice (replay files, explanations). */
  recordChoices?: boolean;
  /** Keep trace events in memory (reports); the hash is always computed. */
  keepTrace?: boolean;
}

/** Why the event loop stopped. Running into a limit is an outcome, never a hang. */
export type StopReason = 'quiet' | 'event-limit' | 'time-limit';

export interface RunLimits {
  maxEvents: number;
  maxTimeMs: number;
}

/**
 * The world: a virtual clock, the event queue, the nodes, the network, the choices and the
 * trace. Knows nothing of inventories; the domain builds nodes and handlers on top.
 */
export class Sim {
  nowMs = 0;
  eventsFired = 0;
  readonly queue = new EventQueue();
  readonly trace: Trace;
  readonly choices: Choices;
  readonly network: Network;
  randomPauses: RandomPauses | null;
  private readonly nodes = new Map<string, SimNode>();
  private readonly waiting = new Map<number, Process<unknown>>();
  private rpcNext = 1;

  constructor(opts: SimOptions) {
    this.trace = new Trace(opts.keepTrace ?? false);
    this.choices = new Choices(opts.source, () => this.nowMs, opts.recordChoices ?? false);
    this.network = new Network(this, opts.network);
    this.randomPauses = opts.randomPauses && opts.randomPauses.perMille > 0 ? opts.randomPauses : null;
  }

  addNode(name: string, role: string): SimNode {
    if (this.nodes.has(name)) throw new Error(`node ${name} exists`);
    const n = new SimNode(this, name, role);
    this.nodes.set(name, n);
    return n;
  }

  hasNode(name: string): boolean {
    return this.nodes.has(name);
  }

  node(name: string): SimNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  /** `fn(arg)` at `timeMs` (now, if that is past). */
  at<A>(timeMs: number, fn: Fire<A>, arg?: A): void {
    this.queue.push(timeMs < this.nowMs ? this.nowMs : timeMs, fn, arg as A);
  }

  after<A>(ms: number, fn: Fire<A>, arg?: A): void {
    this.queue.push(this.nowMs + (ms > 0 ? ms : 0), fn, arg as A);
  }

  /** `fn(arg)` after `ms`, on `gate` (a node): dropped if it crashed since, deferred if paused. */
  afterOn<A>(ms: number, gate: Gate, epoch: number, fn: Fire<A>, arg?: A): void {
    this.queue.push(this.nowMs + (ms > 0 ? ms : 0), fn, arg as A, gate, epoch);
  }

  /** Ends the fault phase: the network heals and chance faults stop; the run goes on to quiet. */
  endFaults(): void {
    this.network.faultsActive = false;
    this.network.healAll();
    this.randomPauses = null;
    this.trace.emit({ t: this.nowMs, type: 'faults-end' });
  }

  startRpc(proc: Process<unknown>, eff: Extract<Effect, { type: 'rpc' }>): void {
    if (!this.nodes.has(eff.to)) {
      proc.abort(`rpc to unknown node ${JSON.stringify(eff.to)}`);
      return;
    }
    const rpcId = this.rpcNext++;
    const node = proc.node;
    proc.waitingRpc = rpcId;
    proc.waitingCall = eff.call;
    this.waiting.set(rpcId, proc);
    this.network.send(new Message(rpcId, node.name, eff.to, eff.call, false, eff.body, proc.tag));
    const timeoutMs = Math.max(1, Math.floor(Number(eff.timeoutMs) || 0));
    node.timer(timeoutMs, proc.rpcTimeout, rpcId);
  }

  /** The timer of rpc `rpcId` went off: a timeout unless the reply came first. */
  rpcTimedOut(proc: Process<unknown>, rpcId: number): void {
    if (proc.waitingRpc !== rpcId || !proc.alive) return;
    proc.waitingRpc = -1;
    this.waiting.delete(rpcId);
    const node = proc.node;
    if (proc.tag) this.trace.emit({ t: this.nowMs, type: 'timeout', node: node.name, rpc: rpcId, call: proc.waitingCall, order: proc.tag });
    else this.trace.emit({ t: this.nowMs, type: 'timeout', node: node.name, rpc: rpcId, call: proc.waitingCall });
    proc.step({ ok: false, error: 'timeout' });
  }

  /** Called by the network when a message reaches a running node. */
  receive(node: SimNode, m: Message): void {
    if (m.reply) {
      const proc = this.waiting.get(m.rpc);
      if (!proc || !proc.alive || proc.waitingRpc !== m.rpc || proc.node !== node) {
        this.trace.emit({ t: this.nowMs, type: 'late-reply', node: node.name, rpc: m.rpc, call: m.call });
        return;
      }
      proc.waitingRpc = -1;
      this.waiting.delete(m.rpc);
      this.maybePause(node, m.call);
      const result = { ok: true, value: m.body };
      // A random pause may have just struck: then the process resumes when the pause ends.
      if (node.status === 'up') proc.step(result);
      else stepWhenResumed(node, proc, result);
      return;
    }
    const handler = node.handler;
    if (!handler) return;
    const out = handler(m.call, m.body, m.from);
    if (isGenerator(out)) {
      node.spawn(node.handlerProcessName(m.call), out, this.replyOnExit(node, m), m.order);
    } else if (out !== undefined) {
      this.reply(node, m, out);
    }
  }

  // The closures live in helpers of their own: a closure inside receive() would make V8
  // allocate receive's context on every delivery, used or not.
  private replyOnExit(node: SimNode, request: Message): (exit: ProcessExit<unknown>) => void {
    return (exit) => this.reply(node, request, exit.ok ? exit.value : { error: exit.error });
  }

  private reply(node: SimNode, request: Message, body: unknown): void {
    this.network.send(new Message(request.rpc, node.name, request.from, request.call, true, body, request.order));
  }

  private maybePause(node: SimNode, call: string): void {
    const rp = this.randomPauses;
    if (rp === null || !rp.nodes.has(node.name)) return;
    const d = this.choices.ask({ stream: 'faults', kind: 'pause', max: rp.durationMsMax, perMille: rp.perMille, label: pauseLabel(node.name, call) });
    if (d > 0) node.pause(Math.max(d, rp.durationMsMin), `random pause after ${call} reply`);
  }

  run(limits: RunLimits): StopReason {
    const q = this.queue;
    while (q.size > 0) {
      if (this.eventsFired >= limits.maxEvents) return 'event-limit';
      if (q.peekTime() > limits.maxTimeMs) return 'time-limit';
      const e = q.pop()!;
      this.nowMs = e.timeMs;
      this.eventsFired++;
      if (e.gate === null) e.fire(e.arg);
      else e.gate.run(e.epoch, e.fire, e.arg);
    }
    return 'quiet';
  }
}

function pauseLabel(node: string, call: string): () => string {
  return () => `${node} after ${call} reply`;
}

function stepWhenResumed(node: SimNode, proc: Process<unknown>, input: unknown): void {
  node.run(node.epoch, () => proc.step(input));
}

/** %GeneratorPrototype%: every generator object has it two steps up its prototype chain. */
const GENERATOR_PROTOTYPE: object = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()));

/**
 * Whether a handler answered with a process. A prototype check, not duck typing: looking up
 * a missing `next` on every plain reply went megamorphic (3 % of a chaos run).
 */
function isGenerator(x: unknown): x is Generator<Effect, unknown, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto !== null && Object.getPrototypeOf(proto) === GENERATOR_PROTOTYPE;
}

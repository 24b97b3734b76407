import { Kernel, type PushObserver, type ReadyRule, type RunLimits, type StopReason, type TimingModel } from './kernel.js';
import type { ChoiceSource } from './choice.js';
import type { Scheduler } from './scheduler.js';
import { Message, Network, type NetworkConfig } from './network.js';
import { SimNode, type Process } from './node.js';
import { RpcTable } from './rpcTable.js';
import { kernelAssert } from './assert.js';
import { MARK_RANDOM_CRASH, MARK_RANDOM_PAUSE, type Marks } from './marks.js';
import type { CrashSubject, HasSubject } from './subjects.js';
import { HandProc, type Effect, type ProcessExit } from './process.js';
import type { Trace } from './trace.js';
import type { Choices } from './choice.js';
import type { EventQueue } from './queue.js';
import type { AccessLog } from './access.js';

export interface RandomPauses {
  /** Chance in 1/1000, at each reply a node receives, that it pauses before handling it. */
  perMille: number;
  durationMsMin: number;
  durationMsMax: number;
  nodes: ReadonlySet<string>;
}

/**
 * Random crashes (docs/exploration.md, "Crashes"): at each message delivered to one of
 * `nodes`, before it is handled, a `crash` choice (0: no crash). A crash is what an explicit
 * crash step does (processes and their calls in flight lost, the node's hooks told); its
 * restart is an event of the node, `restart` about the crash (CrashSubject).
 */
export interface RandomCrashes {
  /** Chance in 1/1000, at each message a node receives, that it crashes before handling it. */
  perMille: number;
  /** The restart comes at least this long after the crash... */
  restartMsMin: number;
  /** ...and at most this long (windowed timing: its window; sampled: the answer, at least restartMsMin). */
  restartMsMax: number;
  nodes: ReadonlySet<string>;
}

export interface SimOptions {
  source: ChoiceSource;
  network: NetworkConfig;
  randomPauses?: RandomPauses;
  /** Absent (every existing scenario): no crash question is ever asked. */
  randomCrashes?: RandomCrashes;
  /** How delays are decided: drawn (sampled, the default) or windows the scheduler orders in. */
  timing?: TimingModel;
  /** Which ready event fires next; default: the earliest (a choice-driven one in the windowed model). */
  scheduler?: Scheduler | null;
  /** Which pending events the scheduler sees (kernel.ts, ReadyRule); default 'windows'. */
  readyRule?: ReadyRule;
  /** Told of every event pushed (kernel.ts, PushObserver). */
  onPush?: PushObserver | null;
  /** Keep every answered choice (replay files, explanations). */
  recordChoices?: boolean;
  /** Keep trace events in memory (reports); the hash is always computed. */
  keepTrace?: boolean;
  /** Told what each event touched (access.ts): the exhaustive explorer's independence relation. */
  access?: AccessLog | null;
}

/**
 * Told of every message delivered, before its receiver handles it (where a random pause
 * strikes a reply): the domain's fault steps addressed to a delivery act here.
 */
export type DeliveryHook = (node: SimNode, m: Message) => void;

export type { StopReason, RunLimits } from './kernel.js';

/**
 * The simulated world on top of the kernel: the nodes, the network between them and the rpc
 * table of calls in flight. Knows nothing of inventories; the domain builds nodes and
 * handlers on top.
 */
export class Sim {
  readonly kernel: Kernel;
  readonly network: Network;
  readonly rpcs: RpcTable;
  randomPauses: RandomPauses | null;
  randomCrashes: RandomCrashes | null;
  /** Called as a message reaches its receiver, before it is handled (a scripted pause may strike). */
  onDelivery: DeliveryHook | null = null;
  /** The process being stepped (the one a choice made inside a strategy's step is about). */
  current: Process<unknown> | null = null;
  private readonly nodes = new Map<string, SimNode>();
  /** Where nodes tell what an event touched; null (nothing recorded) outside `explore`. */
  readonly access: AccessLog | null;
  /** The chance faults as configured (endFaults() turns them off for the rest of a run; reset() back on). */
  private readonly configuredPauses: RandomPauses | null;
  private readonly configuredCrashes: RandomCrashes | null;

  constructor(opts: SimOptions) {
    this.access = opts.access ?? null;
    this.kernel = new Kernel({ source: opts.source, timing: opts.timing, scheduler: opts.scheduler, readyRule: opts.readyRule, onPush: opts.onPush, recordChoices: opts.recordChoices, keepTrace: opts.keepTrace });
    this.kernel.world = this;
    this.rpcs = new RpcTable(() => this.kernel.nowMs);
    this.network = new Network(this, opts.network);
    this.randomPauses = this.configuredPauses = opts.randomPauses && opts.randomPauses.perMille > 0 ? opts.randomPauses : null;
    this.randomCrashes = this.configuredCrashes = opts.randomCrashes && opts.randomCrashes.perMille > 0 ? opts.randomCrashes : null;
  }

  /**
   * A world reset (inventory/world.ts): the same nodes, wiring and options, every per-run field
   * back to what the constructor made, fate from `source`. No delivery hook: the domain's fault
   * timeline sets it again.
   */
  reset(source: ChoiceSource): void {
    this.kernel.reset(source);
    this.rpcs.reset();
    this.network.reset();
    this.randomPauses = this.configuredPauses;
    this.randomCrashes = this.configuredCrashes;
    this.onDelivery = null;
    this.current = null;
    for (const n of this.nodes.values()) n.reset();
  }

  get nowMs(): number {
    return this.kernel.nowMs;
  }

  get eventsFired(): number {
    return this.kernel.eventsFired;
  }

  get trace(): Trace {
    return this.kernel.trace;
  }

  get choices(): Choices {
    return this.kernel.choices;
  }

  get queue(): EventQueue {
    return this.kernel.queue;
  }

  /** Which faults took effect so far (coverage marks). */
  get marks(): Marks {
    return this.kernel.marks;
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

  /**
   * The node called `name`. Not on a delivery's path more than once: the network looks the
   * receiver up as the message arrives and whenRunning hands it on (receive, the handler).
   */
  node(name: string): SimNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`no node ${name}`);
    return n;
  }

  nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  /** Ends the fault phase: the network heals and chance faults stop; the run goes on to quiet. */
  endFaults(): void {
    this.network.faultsActive = false;
    this.network.healAll();
    this.randomPauses = null;
    this.randomCrashes = null;
    this.kernel.trace.emit({ t: this.kernel.nowMs, type: 'faults-end' });
  }

  startRpc(proc: Process<unknown>, eff: Extract<Effect, { type: 'rpc' }>): void {
    if (!this.nodes.has(eff.to)) {
      proc.abort(`rpc to unknown node ${JSON.stringify(eff.to)}`);
      return;
    }
    const rpcId = this.rpcs.open(proc);
    const node = proc.node;
    const m = new Message(rpcId, node.name, eff.to, eff.call, false, eff.body, proc.tag, proc.origin, proc.nextAttempt(eff.call), 0);
    this.network.send(m);
    // The caller's input, not a kernel fault: a timeout is at least 1 ms, whole.
    const timeoutMs = Math.max(1, Math.floor(Number(eff.timeoutMs) || 0));
    node.timer('timeout', timeoutMs, this.rpcTimeoutFire, m);
  }

  /** The timer of an rpc went off: a timeout unless the reply came first. One function for every rpc. */
  private readonly rpcTimeoutFire = (request: Message): void => {
    const proc = this.rpcs.timeout(request.rpc);
    if (proc === null) return;
    const k = this.kernel;
    k.trace.timeout(k.nowMs, proc.node.name, request.rpc, request.call, proc.tag);
    proc.step({ ok: false, error: 'timeout' });
  };

  /** Called by the network when a message reaches a running node. */
  receive(node: SimNode, m: Message): void {
    // Paired with the network's crash check and the node's pause deferral.
    if (node.status !== 'up') this.deliveredToDown(node, m);
    if (m.reply) {
      const proc = this.rpcs.answer(m.rpc, node);
      if (proc === null) {
        this.kernel.trace.emit({ t: this.kernel.nowMs, type: 'late-reply', node: node.name, rpc: m.rpc, call: m.call });
        return;
      }
      if (this.onDelivery !== null) this.onDelivery(node, m);
      this.maybePause(node, m);
      // A pause may have just struck: then the process handles the reply when the pause ends.
      if (node.status === 'up') proc.step({ ok: true, value: m.body });
      else {
        proc.heldReply = m;
        node.whenRunning(node.epoch, handleHeldReply, proc, 'handle-reply');
      }
      return;
    }
    if (this.onDelivery !== null) {
      this.onDelivery(node, m);
      // A step paused the receiver as the request arrived: it handles it when the pause ends.
      if (node.status !== 'up') {
        node.whenRunning(node.epoch, this.handleRequestFire, m, 'deliver');
        return;
      }
    }
    this.handleRequest(node, m);
  }

  /** A paired assertion failed: its words built here, so that receive() allocates no context for them. */
  private deliveredToDown(node: SimNode, m: Message): never {
    kernelAssert(false, 'nothing is delivered to a crashed or paused node', () => `${m.call}${m.reply ? ' reply' : ''} delivered to ${node.name}, which is ${node.status}`, this.kernel.nowMs);
  }

  /** A request whose receiver a delivery step paused, handled when the pause ends (whenRunning hands the node). */
  private readonly handleRequestFire = (m: Message, node: SimNode): void => this.handleRequest(node, m);

  private handleRequest(node: SimNode, m: Message): void {
    const handler = node.handler;
    if (!handler) return;
    const out = handler(m.call, m.body, m.from, m);
    if (isGenerator(out)) {
      node.spawn(node.handlerProcessName(m.call), out, this.replyOnExit(node, m), m.order, undefined, m);
    } else if (out !== undefined) {
      this.network.send(m.replyWith(out));
    }
  }

  // The closures live in helpers of their own: a closure inside receive() would make V8
  // allocate receive's context on every delivery, used or not.
  private replyOnExit(_node: SimNode, request: Message): (exit: ProcessExit<unknown>) => void {
    return (exit) => this.network.send(request.replyWith(exit.ok ? exit.value : { error: exit.error }));
  }

  /** A random pause may strike a node as a reply reaches it, before it handles the reply (0: no pause). */
  private maybePause(node: SimNode, m: Message): void {
    const rp = this.randomPauses;
    if (rp === null || !rp.nodes.has(node.name)) return;
    const d = this.kernel.choices.sized('faults', 'pause', rp.durationMsMax, rp.perMille, m);
    if (d > 0 && node.pause(randomPauseMs(d, rp.durationMsMin), `random pause after ${m.call} reply`)) this.kernel.marks.hit(MARK_RANDOM_PAUSE);
  }

  /**
   * A random crash may strike a node as a message reaches it, before it handles it (0: no
   * crash); true: it struck and the message is lost (the network does not deliver it).
   * Windowed timing: a yes/no question, the restart an event in the window [restartMsMin,
   * restartMsMax] after the crash (the scheduler, or the explorer, places it); sampled: the
   * answer is how long the node stays down, at least restartMsMin.
   */
  crashesOnArrival(node: SimNode, m: Message): boolean {
    const rc = this.randomCrashes;
    if (rc === null || !rc.nodes.has(node.name)) return false;
    const k = this.kernel;
    const d = k.choices.sized('faults', 'crash', k.windowed ? 1 : rc.restartMsMax, rc.perMille, m);
    if (d === 0 || !node.crash()) return false;
    k.marks.hit(MARK_RANDOM_CRASH);
    // The message is lost with the node's memory, never handled.
    k.trace.message(k.nowMs, 'drop', m, 'crashed');
    const restart = new CrashRestart(node, m);
    const now = k.nowMs;
    if (k.windowed) k.push('restart', node.name, now + rc.restartMsMin, now + Math.max(rc.restartMsMin, rc.restartMsMax), restartAfterCrash, restart);
    else k.at('restart', node.name, now + Math.max(d, rc.restartMsMin), restartAfterCrash, restart);
    return true;
  }

  /** Runs events until quiet or a limit; at quiet, every rpc has been answered or timed out. */
  runUntilQuiet(limits: RunLimits): StopReason {
    const stop = this.kernel.runUntilQuiet(limits);
    if (stop === 'quiet') this.rpcs.assertQuiet();
    return stop;
  }
}

/** A random crash's restart, as its event's argument: about the crash (node, and the message it struck on). */
class CrashRestart implements HasSubject {
  constructor(
    readonly node: SimNode,
    readonly on: Message,
  ) {}
  subject(): CrashSubject {
    return { type: 'crash', node: this.node.name, on: this.on.subject() };
  }
}

function restartAfterCrash(r: CrashRestart): void {
  r.node.restart();
}

/** The process handles the reply it received as a pause struck (its handle-reply event). */
function handleHeldReply(proc: Process<unknown>): void {
  const m = proc.heldReply!;
  proc.heldReply = null;
  proc.step({ ok: true, value: m.body });
}

/** %GeneratorPrototype%: every generator object has it two steps up its prototype chain. */
const GENERATOR_PROTOTYPE: object = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})()));

/**
 * Whether a handler answered with a process. A prototype check, not duck typing: looking up
 * a missing `next` on every plain reply went megamorphic (3 % of a chaos run).
 */
function isGenerator(x: unknown): x is Generator<Effect, unknown, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  if (x instanceof HandProc) return true;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto !== null && Object.getPrototypeOf(proto) === GENERATOR_PROTOTYPE;
}

/**
 * How long a random pause lasts for an answer of the `pause` choice: never shorter than the
 * scenario's shortest pause (0: no pause). The one place that says it: the run applies it,
 * and every description of a pause choice (check, why, export) says what it applied.
 */
export function randomPauseMs(answer: number, durationMsMin: number): number {
  return answer > 0 ? Math.max(answer, durationMsMin, 1) : 0;
}

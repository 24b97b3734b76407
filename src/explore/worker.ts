import { parentPort, workerData } from 'node:worker_threads';
// First: the snapshot of the built-ins is taken before any strategy module loads.
import { builtinsChangedMessage } from './builtins.js';
import { describeError } from '../errors.js';
import { calmPctStats, runWithStrategy, type RunnableScenario } from './runCore.js';
import { loadStrategy } from './loadStrategy.js';
import { sweepSeeds } from './sweepSeeds.js';
import { TallyBuilder, type PackedTally } from './packedTally.js';
import { ListSource } from '../sim/sources.js';
import { KernelAssertionError } from '../sim/assert.js';
import type { Strategy, OrderContext, RecoveryContext } from '../inventory/strategy.js';
import type { Proc } from '../sim/process.js';
import type { Search } from './search.js';
import type { PctCalmStats } from '../sim/pct.js';
import type { Scenario } from '../scenario/schema.js';
import type { SubtreeRequest, SubtreeResult } from './exhaustive/subtree.js';

type StrategyOptionValues = Readonly<Record<string, number | string | boolean>>;

/**
 * Worker-thread entry: runs seeds of a scenario sent by the parent. Strategies travel by name
 * or path (functions cannot cross threads), so each worker loads (and caches) its own copy.
 *
 * `control` is shared memory the parent and every worker see: Int32 [0] is the stop flag
 * (Ctrl-C, a divergence) and BigInt64 [1] the lowest failing seed found so far (fail-fast: a
 * worker stops its chunk once it passes that seed, since a lower failure makes the rest moot).
 */
export type WorkerRequest =
  | {
      /** Loads the strategy and names it (a module that hangs at import is caught here, watched). */
      readonly kind: 'load';
      readonly id: number;
      readonly strategy: string;
      readonly cwd: string;
    }
  | {
      readonly kind: 'run';
      readonly id: number;
      readonly scenario: RunnableScenario;
      readonly strategy: string;
      readonly cwd: string;
      /** Seeded run, or (when `answers` is given) a list-driven one. */
      readonly seed: number;
      readonly answers?: readonly number[];
      readonly options?: StrategyOptionValues;
      readonly instantDb?: boolean;
      readonly keepTrace: boolean;
      readonly search?: Search | null;
    }
  | {
      readonly kind: 'sweep';
      readonly id: number;
      readonly scenario: RunnableScenario;
      readonly strategy: string;
      readonly cwd: string;
      readonly start: number;
      readonly count: number;
      readonly failFast: boolean;
      readonly options?: StrategyOptionValues;
      /** Return every run's trace hash (determinism checks). */
      readonly hashes?: boolean;
      /** Post progress while the chunk runs (false: nobody draws it; the reply still carries the counts). Default true. */
      readonly progress?: boolean;
      readonly control?: SharedArrayBuffer;
      readonly search?: Search | null;
    }
  | {
      /** Trace hashes of seeds start..start+count-1, run in descending order (a different history). */
      readonly kind: 'hashes';
      readonly id: number;
      readonly scenario: RunnableScenario;
      readonly strategy: string;
      readonly cwd: string;
      readonly start: number;
      readonly count: number;
      readonly options?: StrategyOptionValues;
      readonly control?: SharedArrayBuffer;
      readonly search?: Search | null;
    }
  | {
      /** One subtree of a split `explore` search (exhaustive/subtree.ts); progress counts executions. */
      readonly kind: 'explore';
      readonly id: number;
      readonly scenario: Scenario;
      readonly strategy: string;
      readonly cwd: string;
      readonly subtree: SubtreeRequest;
    };

export type WorkerReply =
  | { readonly kind: 'load'; readonly id: number; readonly name: string }
  | { readonly kind: 'run'; readonly id: number; readonly traceHash: string; readonly traceLines: string[] | null; readonly verdict: string }
  /**
   * `calm`: PCT's k and n (the calm run's steps and chains) when the sweep searched with PCT.
   * `runs`/`failures`: the progress not yet reported (the reply carries the chunk's last
   * progress instead of a message of its own).
   */
  | { readonly kind: 'sweep'; readonly id: number; readonly tally: PackedTally; readonly hashes: string[] | null; readonly calm: PctCalmStats | null; readonly runs: number; readonly failures: number }
  | { readonly kind: 'hashes'; readonly id: number; readonly hashes: string[]; readonly complete: boolean }
  | { readonly kind: 'explore'; readonly id: number; readonly result: SubtreeResult }
  /** Runs and failures since the last progress message of this request. */
  | { readonly kind: 'progress'; readonly id: number; readonly runs: number; readonly failures: number }
  | { readonly kind: 'error'; readonly id: number; readonly message: string; readonly code?: string; readonly seed?: number | null };

/**
 * How often a sweep's worker reports progress, in runs; the rest of a chunk's progress rides on
 * its reply. Every message costs the main thread a wake-up and a callback, and the main thread
 * shares the cores with the workers: at 16 runs (and one message per failing run, which on a
 * scenario where every run fails was one per run) progress was a third of the main thread's
 * CPU. 64 flash-sale-chaos runs take ~20 ms; the progress line redraws every 200 ms.
 */
const PROGRESS_EVERY_RUNS = 64;
/** How often an explore subtree reports progress, in executions. */
const PROGRESS_EVERY_EXECUTIONS = 8;
const NO_FAILURE = BigInt(Number.MAX_SAFE_INTEGER);

/** Views on the shared control block; see WorkerRequest. */
export function controlViews(buf: SharedArrayBuffer): { stop: Int32Array; lowestFailure: BigInt64Array } {
  return { stop: new Int32Array(buf, 0, 1), lowestFailure: new BigInt64Array(buf, 8, 1) };
}

export function newControl(): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(16);
  Atomics.store(controlViews(buf).lowestFailure, 0, NO_FAILURE);
  return buf;
}

/** Lowers the shared lowest-failing seed to `seed` unless a lower one is already there. */
export function noteFailure(buf: SharedArrayBuffer, seed: number): void {
  const cell = controlViews(buf).lowestFailure;
  const s = BigInt(seed);
  let cur = Atomics.load(cell, 0);
  while (s < cur) {
    const prev = Atomics.compareExchange(cell, 0, cur, s);
    if (prev === cur) break;
    cur = prev;
  }
}

export function lowestFailure(buf: SharedArrayBuffer): number | null {
  const v = Atomics.load(controlViews(buf).lowestFailure, 0);
  return v === NO_FAILURE ? null : Number(v);
}

/**
 * Signs of life of a thread that runs user code, in shared memory, for a watchdog in the parent
 * (src/cli/watchdog.ts). A synchronous loop cannot be interrupted inside its own thread, and
 * nothing here may read a clock: the thread only counts, the parent owns the timer. Beats come
 * from every step of the strategy's generators (entering and leaving), from every run started,
 * and from every `ping` the parent sends (answered only when the thread's event loop is free:
 * a thread waiting for I/O is alive, a thread stuck in a loop is not).
 *
 * Layout: Int32 [0] beats, [1] phase (PHASE), [2] runs started, [3] stop requested (the
 * parent got a signal: an isolated check ends early with what it has); Float64 [2] (bytes
 * 16..23) the seed being run, or -1.
 */
export const PHASE = { idle: 0, loading: 1, placeOrder: 2, recover: 3, simulator: 4 } as const;
export type Phase = (typeof PHASE)[keyof typeof PHASE];

export class Heartbeat {
  private readonly ints: Int32Array;
  private readonly floats: Float64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(24)) {
    this.ints = new Int32Array(buffer, 0, 4);
    this.floats = new Float64Array(buffer, 16, 1);
    if (this.floats[0] === 0 && this.ints[0] === 0) this.floats[0] = -1;
  }

  beat(): void {
    Atomics.add(this.ints, 0, 1);
  }

  enter(phase: Phase): void {
    Atomics.store(this.ints, 1, phase);
    Atomics.add(this.ints, 0, 1);
  }

  beats(): number {
    return Atomics.load(this.ints, 0);
  }

  phase(): Phase {
    return Atomics.load(this.ints, 1) as Phase;
  }

  /** A run starts (`seed` null: a list-driven run). */
  runStarted(seed: number | null): void {
    this.floats[0] = seed ?? -1;
    Atomics.add(this.ints, 2, 1);
    this.enter(PHASE.simulator);
  }

  runs(): number {
    return Atomics.load(this.ints, 2);
  }

  /** The parent asks the command to stop and print what it has (a signal). */
  requestStop(): void {
    Atomics.store(this.ints, 3, 1);
  }

  stopRequested(): boolean {
    return Atomics.load(this.ints, 3) !== 0;
  }

  seed(): number | null {
    const s = this.floats[0];
    return s < 0 ? null : s;
  }
}

/**
 * The strategy with every step of its generators counted on `hb` (phase placeOrder/recover
 * while the strategy's code runs, simulator between steps) and `onRun` called when an order
 * of a new run starts. Behaviour and traces are unchanged: placeOrder still returns the
 * strategy's own generator object (its `next` is wrapped on the instance) and everything
 * else is reached through the prototype.
 */
export function watchStrategy(s: Strategy, hb: Heartbeat | null, onRun?: () => void): Strategy {
  const w = Object.create(s) as Strategy;
  let lastOptions: unknown = null;
  const newRun = (options: unknown) => {
    if (options === lastOptions) return;
    // One options object per run (resolved per runOnce): a new one means a new run.
    lastOptions = options;
    onRun?.();
  };
  // Own properties by definition, not assignment: a frozen strategy's are read-only.
  const own = (key: 'placeOrder' | 'recover', value: unknown) => Object.defineProperty(w, key, { value, writable: true, enumerable: true, configurable: true });
  own('placeOrder', function placeOrder(this: Strategy, ctx: OrderContext) {
    newRun(ctx.options);
    hb?.enter(PHASE.placeOrder);
    try {
      return hb ? watchSteps(s.placeOrder.call(this, ctx), hb, PHASE.placeOrder) : s.placeOrder.call(this, ctx);
    } finally {
      hb?.enter(PHASE.simulator);
    }
  });
  const recover = s.recover;
  if (recover) {
    own('recover', function recover_(this: Strategy, ctx: RecoveryContext) {
      newRun(ctx.options);
      hb?.enter(PHASE.recover);
      try {
        return hb ? watchSteps(recover.call(this, ctx), hb, PHASE.recover) : recover.call(this, ctx);
      } finally {
        hb?.enter(PHASE.simulator);
      }
    });
  }
  return w;
}

function watchSteps<T>(g: Proc<T>, hb: Heartbeat, phase: Phase): Proc<T> {
  if (!g || typeof g.next !== 'function') return g;
  const next = g.next;
  try {
    g.next = function (...args: [] | [unknown]) {
      hb.enter(phase);
      try {
        return next.apply(g, args);
      } finally {
        hb.enter(PHASE.simulator);
      }
    };
  } catch {
    // A frozen iterator: left unwatched (the parent still sees the run it belongs to).
  }
  return g;
}

/** This thread's heartbeat, when the parent watches it (SimWorker with a watchdog). */
const heartbeat: Heartbeat | null = (workerData as { heartbeat?: SharedArrayBuffer } | null)?.heartbeat instanceof SharedArrayBuffer
  ? new Heartbeat((workerData as { heartbeat: SharedArrayBuffer }).heartbeat)
  : null;

const strategies = new Map<string, Promise<Strategy>>();

function strategyFor(ref: string, cwd: string): Promise<Strategy> {
  const key = `${cwd}\u0000${ref}`;
  let s = strategies.get(key);
  if (!s) {
    heartbeat?.enter(PHASE.loading);
    s = loadStrategy(ref, cwd).then((loaded) => {
      heartbeat?.enter(PHASE.idle);
      return heartbeat ? watchStrategy(loaded, heartbeat) : loaded;
    });
    // A failed load is not cached: the error goes to this request, the next one tries again.
    s.catch(() => strategies.delete(key));
    strategies.set(key, s);
  }
  return s;
}

/**
 * Every request carries its scenario, and structured clone makes a new object of it each time.
 * A sweep sends the same scenario with every chunk; reusing the first copy keeps what the
 * simulator caches per scenario object (resolved options, per-link delays: WeakMaps keyed by
 * the config) warm across chunks, and its optimised code on one set of maps: with a fresh copy
 * per chunk, a 4 000-seed sweep in chunks of 32 deoptimised 28 times against 17 in chunks of
 * 1 024, each followed by another optimised compile of a large function. The same text is the
 * same scenario: runs depend only on its contents, and nothing changes a scenario it is given.
 */
let lastScenario: { text: string; scenario: RunnableScenario } | null = null;

function sameScenario<S extends RunnableScenario>(s: S): S {
  const text = JSON.stringify(s);
  if (lastScenario !== null && lastScenario.text === text) return lastScenario.scenario as S;
  lastScenario = { text, scenario: s };
  return s;
}

async function handle(req: WorkerRequest, post: (r: WorkerReply, transfer?: ArrayBuffer[]) => void): Promise<void> {
  if (req.kind === 'sweep' || req.kind === 'hashes') req = { ...req, scenario: sameScenario(req.scenario) };
  const strategy = await strategyFor(req.strategy, req.cwd);
  if (req.kind === 'load') {
    post({ kind: 'load', id: req.id, name: strategy.name });
    return;
  }
  if (req.kind === 'explore') {
    let sent = 0;
    // Imported on first use: a sweep's threads never search, and every module costs each thread's start-up.
    const { runSubtree } = await import('./exhaustive/subtree.js');
    const result = runSubtree(req.scenario, strategy, req.subtree, (n) => {
      heartbeat?.runStarted(null);
      if (n - sent >= PROGRESS_EVERY_EXECUTIONS) {
        post({ kind: 'progress', id: req.id, runs: n - sent, failures: 0 });
        sent = n;
      }
    });
    const n = result.executions + result.blocked - req.subtree.cursor.executions - req.subtree.cursor.blocked;
    if (n > sent) post({ kind: 'progress', id: req.id, runs: n - sent, failures: 0 });
    post({ kind: 'explore', id: req.id, result });
    return;
  }
  const control = req.kind === 'run' ? undefined : req.control;
  const views = control ? controlViews(control) : null;
  const stopped = () => views !== null && Atomics.load(views.stop, 0) !== 0;
  if (req.kind === 'run') {
    const source = req.answers ? new ListSource(req.answers, 'recorded') : undefined;
    heartbeat?.runStarted(req.answers ? null : req.seed);
    const r = runWithStrategy(req.scenario, { seed: req.seed, source, strategy, options: req.options, instantDb: req.instantDb, keepTrace: req.keepTrace, search: source ? null : req.search });
    post({ kind: 'run', id: req.id, traceHash: r.traceHash, traceLines: r.trace ? r.trace.map((e) => JSON.stringify(e)) : null, verdict: r.verdict });
    return;
  }
  if (req.kind === 'hashes') {
    const hashes: string[] = new Array(req.count);
    let complete = true;
    for (let i = req.count - 1; i >= 0; i--) {
      if (stopped()) {
        complete = false;
        break;
      }
      heartbeat?.runStarted(req.start + i);
      hashes[i] = runWithStrategy(req.scenario, { seed: req.start + i, strategy, options: req.options, search: req.search }).traceHash;
    }
    post({ kind: 'hashes', id: req.id, hashes: complete ? hashes : [], complete });
    return;
  }
  const hashes: string[] | null = req.hashes ? [] : null;
  let runs = 0;
  let failures = 0;
  const tally = new TallyBuilder();
  // Read once, not through `req` in the loop: every chunk's request is a fresh structured
  // clone, and the seed loop (compiled during the first chunk) deoptimised on the second
  // chunk's request ("wrong map"), then compiled again with runOnce inlined.
  const failFast = req.failFast;
  const progress = req.progress !== false;
  const id = req.id;
  const end = sweepSeeds(
    req.scenario,
    {
      start: req.start,
      count: req.count,
      strategy,
      options: req.options,
      search: req.search,
      failFast: req.failFast,
      shouldStop: (seed) => {
        heartbeat?.runStarted(seed);
        if (stopped()) return true;
        if (!failFast || views === null) return false;
        return BigInt(seed) > Atomics.load(views.lowestFailure, 0);
      },
      onRun: (seed, failed, traceHash) => {
        hashes?.push(traceHash);
        runs++;
        if (failed) {
          failures++;
          if (failFast && control) noteFailure(control, seed);
        }
        if (runs >= PROGRESS_EVERY_RUNS && progress) {
          post({ kind: 'progress', id, runs, failures });
          runs = 0;
          failures = 0;
        }
      },
    },
    (seed, r) => tally.addRun(seed, r),
  );
  if (end > req.start) tally.ranges.push([req.start, end]);
  const calm = req.search?.kind === 'pct' ? calmPctStats(req.scenario, strategy, req.options) : null;
  const packed = tally.pack();
  // Copied, not transferred (16 bytes per distinct latency, tens of KB a chunk: one memcpy):
  // the first buffer a thread detaches invalidates V8's ArrayBufferDetaching protector, which
  // threw away every optimised function of this thread that reads a typed array
  // (jumpedGenerator, in every worker at its first chunk's end) to be compiled again
  // (docs/benchmarks.md, "Warm-up of a 2-worker sweep").
  post({ kind: 'sweep', id: req.id, tally: packed, hashes, calm, runs, failures });
}

/** Sent by a watching parent: answering it (the event loop is free) is a sign of life. */
export interface PingMessage {
  readonly kind: 'ping';
}

// Only in oversold's own simulation threads (SimWorker marks them): the library is imported
// by the CLI's command threads (another protocol) and by users' own worker threads, where a
// listener on parentPort would answer the host's messages and keep the thread alive.
if (parentPort && (workerData as { oversold?: unknown } | null)?.oversold === 'sim-worker') {
  const port = parentPort;
  const post = (r: WorkerReply, transfer?: ArrayBuffer[]) => port.postMessage(r, transfer);
  // Booted: from here on the thread answers pings (pool.ts StallDetector waits for this beat).
  queueMicrotask(() => heartbeat?.beat());
  port.on('message', (req: WorkerRequest | PingMessage) => {
    if (req.kind === 'ping') {
      heartbeat?.beat();
      return;
    }
    handle(req, post).catch((e: unknown) => {
      // A strategy module that replaced a built-in (Map.prototype.get) broke the simulator: bad input.
      const builtins = builtinsChangedMessage();
      if (builtins) {
        post({ kind: 'error', id: req.id, message: builtins, code: 'BUILTINS_MODIFIED' });
        return;
      }
      const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;
      // A broken kernel invariant crosses the thread boundary as what it is (exit 3, with its seed).
      const seed = e instanceof KernelAssertionError ? e.seed : undefined;
      post({ kind: 'error', id: req.id, message: e instanceof Error ? e.message : describeError(e), code, ...(seed !== undefined ? { seed } : {}) });
    });
  });
}

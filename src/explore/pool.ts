import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EXIT, InputError, OversoldError, describeError } from '../errors.js';
import { isStrategyPath } from '../inventory/strategy.js';
import { revivedKernelAssertion } from '../sim/assert.js';
import { Heartbeat, PHASE, type Phase, type WorkerReply, type WorkerRequest } from './worker.js';

type Body<K extends WorkerRequest['kind']> = Omit<Extract<WorkerRequest, { kind: K }>, 'id'>;
type Reply<K extends WorkerRequest['kind']> = Extract<WorkerReply, { kind: K }>;

/**
 * Where the compiled worker lives. Workers need JavaScript: from dist/ it sits next to this
 * file; when this module runs from src/ (vitest, tsx) the build's copy is used instead.
 */
export function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../dist/explore/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error('worker threads need the compiled worker (dist/explore/worker.js): run `npm run build` first');
}

/**
 * A watchdog for threads that run user code. It holds the timer (nothing under src/explore
 * may read a clock: the CLI builds it, src/cli/watchdog.ts); the threads only count signs of
 * life (Heartbeat in worker.ts) and a StallDetector compares counts tick by tick.
 */
export interface Watchdog {
  /** Calls `tick` periodically until the returned function is called. */
  every(tick: () => void): () => void;
  /** Consecutive ticks without a sign of life after which a thread is stalled. */
  readonly stallTicks: number;
  /** What those ticks amount to, for messages ("30 s"). */
  readonly limit: string;
  /**
   * Ticks one simulation run may take however busy it is (a strategy that yields on every step
   * but burns CPU between steps never stalls): a wall-clock budget per run. Absent: none.
   */
  readonly runBudgetTicks?: number;
  /** What they amount to ("300 s"). */
  readonly runBudget?: string;
  /**
   * Ticks a strategy module may take to load, signs of life or not (a top-level await that
   * never settles answers every ping; a loop at the top level answers none). While it loads,
   * this is its only limit: `stallTicks` starts when it has loaded. Absent: loading is judged
   * by `stallTicks` like a run (a slow load then reads as a loop).
   */
  readonly loadBudgetTicks?: number;
  readonly loadBudget?: string;
}

/** Why a watched thread was stopped: no sign of life, or a wall-clock budget ran out. */
export type StopKind = 'stall' | 'run-budget' | 'load-budget';

let defaultWatchdog: Watchdog | null = null;

/**
 * The watchdog of every SimWorker created without an explicit one (e.g. the fresh worker of
 * a determinism check), or null for none. The CLI sets it when it runs a user's module.
 */
export function setDefaultWatchdog(w: Watchdog | null): void {
  defaultWatchdog = w;
}

/**
 * Counts ticks: without a new beat (a stall after `stallTicks` in a row), within one run (the
 * run budget: the runs counter did not move) and while loading (the load budget). `tick()`
 * answers why the thread must stop, or null.
 */
export class StallDetector {
  private last = -1;
  private quiet = 0;
  private lastRuns = -1;
  private inRun = 0;
  private loading = 0;

  constructor(
    private readonly hb: Heartbeat,
    private readonly stallTicks: number,
    private readonly budgets: Pick<Watchdog, 'runBudgetTicks' | 'loadBudgetTicks'> = {},
    /**
     * The watched thread beats once when it has booted (worker.ts). Until then it is
     * evaluating oversold's own modules and cannot answer a ping: on a loaded machine that
     * can take longer than a short watchdog limit, and is no stall of the user's code.
     */
    private readonly bootBeat = false,
  ) {}

  reset(): void {
    this.last = this.hb.beats();
    this.quiet = 0;
    this.lastRuns = this.hb.runs();
    this.inRun = 0;
  }

  tick(): StopKind | null {
    const phase = this.hb.phase();
    if (phase === PHASE.loading) {
      if (this.budgets.loadBudgetTicks !== undefined) {
        // Loading is judged by the load budget alone, not by the run watchdog's limit: a
        // module's load shows no sign of life whether it loops at its top level or is merely
        // slow (a TypeScript module transpiled on a busy machine, the thread's own boot), and
        // --watchdog-s is sized for a run's steps. A loop is still stopped, at the budget.
        if (++this.loading >= this.budgets.loadBudgetTicks) return 'load-budget';
        this.last = this.hb.beats();
        this.quiet = 0;
        return null;
      }
    } else {
      const runs = this.hb.runs();
      if (runs !== this.lastRuns) {
        this.lastRuns = runs;
        this.inRun = 0;
      } else if (phase !== PHASE.idle && this.budgets.runBudgetTicks !== undefined && ++this.inRun >= this.budgets.runBudgetTicks) {
        return 'run-budget';
      }
    }
    const b = this.hb.beats();
    if (this.bootBeat && b === 0) return null;
    if (b !== this.last) {
      this.last = b;
      this.quiet = 0;
      return null;
    }
    return ++this.quiet >= this.stallTicks ? 'stall' : null;
  }
}

/** What a stalled thread was doing, in words; `what` is what got stopped ("run", "check"). */
export function stallMessage(phase: Phase, limit: string, what = 'run'): string {
  switch (phase) {
    case PHASE.loading:
      // The subject ("strategy module ./x.ts") is the caller's: it knows the path.
      return `did not finish loading in ${limit} of wall-clock time (a loop at its top level?)`;
    case PHASE.placeOrder:
      return `placeOrder ran for ${limit} of wall-clock time without yielding to the simulator (a loop without yield*?); the ${what} was stopped`;
    case PHASE.recover:
      return `recover ran for ${limit} of wall-clock time without yielding to the simulator (a loop without yield*?); the ${what} was stopped`;
    default:
      return `the ${what} made no progress for ${limit} of wall-clock time (no strategy step ran); it was stopped`;
  }
}

/**
 * Heap limit (old generation) of a thread that runs a user's strategy. A run of the flash sale
 * needs a few MB; this is for a strategy that keeps everything it makes, which would otherwise
 * grow until the machine swaps. V8 stops the thread at the limit, and that is a finding.
 */
export const USER_THREAD_HEAP_MB = 1024;

/** The message for a thread that hit USER_THREAD_HEAP_MB. */
export function memoryMessage(phase: Phase, what = 'run'): string {
  if (phase === PHASE.loading) return `used more than ${USER_THREAD_HEAP_MB} MB of heap while loading`;
  const who = phase === PHASE.recover ? 'recover' : phase === PHASE.placeOrder ? 'placeOrder' : `the ${what}`;
  return `${who} used more than ${USER_THREAD_HEAP_MB} MB of heap (does it keep everything it makes?); the ${what} was stopped`;
}

/** Whether a worker thread died of its heap limit. */
export function isOutOfMemory(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/**
 * A thread stopped by its watchdog (or by its heap limit). `phase` says what it was doing; `seed` is the seed it was
 * running (null: none, or a list-driven run). A stall while loading the module is an
 * InputError instead (the module is unusable, like one that throws at import).
 */
export class WorkerStalledError extends OversoldError {
  constructor(
    message: string,
    readonly phase: Phase,
    readonly seed: number | null,
    /** A wall-clock budget ran out (a resource stop, which depends on the machine), not a stall. */
    readonly resource = false,
  ) {
    super(message, 'STALLED', EXIT.violated);
    this.name = 'WorkerStalledError';
  }
}

/** The error for a stop: InputError while the module loads, WorkerStalledError after. */
export function stallError(hb: Heartbeat, watchdog: Watchdog, strategyRef: string, what?: string, outOfMemory = false, kind: StopKind = 'stall'): Error {
  const phase = hb.phase();
  if (kind === 'load-budget') {
    return new InputError(loadBudgetMessage(strategyRef, watchdog.loadBudget ?? '?'), 'STRATEGY_LOAD_STALLED');
  }
  if (kind === 'run-budget') return new WorkerStalledError(runBudgetMessage(watchdog.runBudget ?? '?', what), phase, hb.seed(), true);
  const message = outOfMemory ? memoryMessage(phase, what) : stallMessage(phase, watchdog.limit, what);
  return phase === PHASE.loading ? new InputError(`strategy module ${strategyRef} ${message}`, 'STRATEGY_LOAD_STALLED') : new WorkerStalledError(message, phase, hb.seed());
}

/** The one line for a module whose load outlasted its budget (exit 2): what it may be, and the knob if it is only slow. */
export function loadBudgetMessage(strategyRef: string, budget: string): string {
  return `strategy module ${strategyRef} did not finish loading in ${budget} of wall-clock time (a loop at its top level, or a top-level await that never settles?; if it only loads slowly on a busy machine, raise --load-budget-s)`;
}

/** The message of a run stopped by its wall-clock budget: a resource stop, not a verdict. */
export function runBudgetMessage(budget: string, what = 'run'): string {
  return `a simulation run took more than ${budget} of wall-clock time (a resource stop, not an invariant verdict: how long a run takes depends on this machine's speed and load; the strategy kept yielding, so it may only be slow); the ${what} was stopped`;
}

/**
 * One worker thread that answers one request at a time. Progress messages go to the
 * request's callback; a crash of the thread rejects whatever it was doing. With a watchdog,
 * a request during which the thread shows no sign of life for `stallTicks` ticks (a strategy
 * looping without yielding) terminates the thread and rejects with stallError().
 */
export class SimWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private pending: { id: number; strategy: string; resolve: (r: WorkerReply) => void; reject: (e: Error) => void; onProgress?: (runs: number, failures: number) => void } | null = null;
  private dead: Error | null = null;
  private readonly heartbeat = new Heartbeat();
  private readonly detector: StallDetector | null;
  private readonly stopTicks: () => void;
  private lastStrategy: string | null = null;
  /** What a user's module threw from a timer or a rejection, even between requests; null if nothing. */
  asyncError: InputError | null = null;

  /**
   * `heapMb`: the thread's heap limit (threadHeapMb of its scenario: the simulator's share plus
   * what a strategy may keep), for built-in strategies too, so a sweep's memory is bounded per
   * worker. Without it, a watched thread gets USER_THREAD_HEAP_MB and others V8's default.
   */
  constructor(opts: { watchdog?: Watchdog | null; heapMb?: number } = {}) {
    const watchdog = opts.watchdog === undefined ? defaultWatchdog : opts.watchdog;
    const heapMb = opts.heapMb ?? (watchdog ? USER_THREAD_HEAP_MB : undefined);
    this.worker = new Worker(workerUrl(), {
      workerData: { oversold: 'sim-worker', heartbeat: watchdog ? this.heartbeat.buffer : null },
      ...(heapMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {}),
    });
    this.worker.on('message', (r: WorkerReply) => {
      const p = this.pending;
      if (!p || r.id !== p.id) return;
      if (r.kind === 'progress') {
        p.onProgress?.(r.runs, r.failures);
        return;
      }
      this.pending = null;
      if (r.kind === 'error') p.reject(r.code === 'KERNEL_ASSERTION' ? revivedKernelAssertion(r.message, r.seed ?? null) : r.code ? new InputError(r.message, r.code) : new Error(r.message));
      else p.resolve(r);
    });
    this.worker.on('error', (e) => {
      const strategy = this.pending?.strategy ?? this.lastStrategy;
      if (watchdog && this.pending && isOutOfMemory(e)) this.fail(stallError(this.heartbeat, watchdog, this.pending.strategy, undefined, true));
      // Only a user's module throws outside a request's promise chain (a timer, an unhandled
      // rejection), also between requests: remembered, so the caller can still refuse the result.
      else if (strategy !== null && isStrategyPath(strategy)) {
        this.asyncError ??= new InputError(`strategy module ${strategy} threw outside placeOrder and recover (from a timer or an unhandled promise rejection?): ${describeError(e)}`, 'STRATEGY_ASYNC_THROW');
        this.fail(this.asyncError);
      } else this.fail(e instanceof Error ? e : new Error(String(e)));
    });
    this.worker.on('exit', (code) => {
      // Only user code ends a thread in the middle of a request (process.exit in a strategy module).
      if (this.pending && isStrategyPath(this.pending.strategy)) this.fail(new InputError(`the thread running strategy module ${this.pending.strategy} exited (code ${code}) in the middle of a run: does it call process.exit?`, 'STRATEGY_EXITED'));
      else this.fail(new Error(`worker thread exited (code ${code})`));
    });
    this.detector = watchdog ? new StallDetector(this.heartbeat, watchdog.stallTicks, watchdog, true) : null;
    this.stopTicks = watchdog ? watchdog.every(() => this.tick(watchdog)) : () => {};
  }

  private tick(watchdog: Watchdog): void {
    if (!this.pending || this.dead || !this.detector) return;
    const kind = this.detector.tick();
    if (kind !== null) {
      this.fail(stallError(this.heartbeat, watchdog, this.pending.strategy, undefined, false, kind));
      this.stopTicks();
      void this.worker.terminate();
      return;
    }
    this.worker.postMessage({ kind: 'ping' });
  }

  private fail(e: Error): void {
    this.dead ??= e;
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }

  request<K extends WorkerRequest['kind']>(body: Body<K>, onProgress?: (runs: number, failures: number) => void): Promise<Reply<K>> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new Error('SimWorker is busy: one request at a time'));
    const id = this.nextId++;
    this.lastStrategy = body.strategy;
    this.detector?.reset();
    return new Promise<Reply<K>>((resolve, reject) => {
      this.pending = { id, strategy: body.strategy, resolve: resolve as (r: WorkerReply) => void, reject, onProgress };
      this.worker.postMessage({ ...body, id });
    });
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error('worker terminated');
    this.stopTicks();
    await this.worker.terminate();
  }
}

/** Runs `body` in a worker started for it alone, then stops the worker. */
export async function inFreshWorker<K extends WorkerRequest['kind']>(body: Body<K>, opts: { watchdog?: Watchdog | null; heapMb?: number } = {}): Promise<Reply<K>> {
  const w = new SimWorker(opts);
  try {
    return await w.request(body);
  } finally {
    await w.terminate();
  }
}


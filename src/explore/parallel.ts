import { SimWorker, WorkerStalledError, inFreshWorker, type Watchdog } from './pool.js';
import { finishTally, type SweepTally } from './sweep.js';
import { TallyBuilder, type PackedTally } from './packedTally.js';
import { controlViews, newControl, lowestFailure } from './worker.js';
import { firstTraceDifference, plainScenario, type Divergence } from './determinism.js';
import type { RunnableScenario } from './run.js';
import { checkSeedRange } from './seedRange.js';
import { threadHeapMb } from './memory.js';
import type { Search } from './search.js';
import type { PctCalmStats } from '../sim/pct.js';

export interface ParallelSweepOptions {
  readonly scenario: RunnableScenario;
  /** Built-in strategy name or module path: each worker loads its own copy. */
  readonly strategy: string;
  /** Directory a strategy path is relative to. */
  readonly cwd: string;
  readonly start: number;
  readonly count: number;
  /** Worker threads (>= 1). */
  readonly workers: number;
  /** Stop at the lowest failing seed; seeds after it are not reported, whatever the timing. */
  readonly failFast?: boolean;
  /** Run every seed a second time in other workers (in reverse order) and compare trace hashes. */
  readonly checkDeterminism?: boolean;
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  /** Search schedules with this strategy (windowed timing; explore/search.ts). */
  readonly search?: Search | null;
  /** Seeds per unit of work; the result does not depend on it. Default: guided sizes (guidedChunkSize, 32 to 1 024, shrinking towards the end). */
  readonly chunkSize?: number;
  /** Aborting stops every worker after its current run (Ctrl-C). */
  readonly signal?: AbortSignal;
  /**
   * Runs and failures completed since the previous call. Without it the workers post no
   * progress at all (each message wakes the main thread, which shares the cores with them).
   */
  readonly onProgress?: (runs: number, failures: number) => void;
  /**
   * Stops a worker that shows no sign of life for the watchdog's limit (a strategy looping
   * without yielding): the seed it was running becomes a failing seed (liveness) and the
   * sweep stops, like fail-fast. The timer is the caller's (src/cli/watchdog.ts).
   */
  readonly watchdog?: Watchdog | null;
  /** Heap limit of each worker thread in MB (default: threadHeapMb of the scenario, src/explore/memory.ts). */
  readonly heapMbPerWorker?: number;
}

/** A seed whose run the watchdog stopped. */
export interface SweepStall {
  /** The seed being run (null if the thread stalled between seeds). */
  readonly seed: number | null;
  readonly message: string;
  /** In the determinism re-run (the seed had passed once): not part of the tally. */
  readonly duringDeterminismCheck: boolean;
  /** A wall-clock budget stopped it (a resource stop), not a stall. */
  readonly resource?: boolean;
}

export interface ParallelSweepResult {
  /** Finished tally: the seeds that ran, in canonical order. */
  readonly tally: SweepTally;
  /** True when the signal stopped the sweep before every seed ran. */
  readonly interrupted: boolean;
  /** The lowest-seeded nondeterminism found (checkDeterminism only). */
  readonly divergence: Divergence | null;
  /** The run the watchdog stopped, if any (the sweep stopped there). */
  readonly stalled: SweepStall | null;
  /** With a PCT search: the calm run's steps (k) and chains (n), as the workers computed them. */
  readonly calm: PctCalmStats | null;
}

interface Chunk {
  readonly index: number;
  readonly start: number;
  readonly count: number;
  tally: PackedTally | null;
  hashes: string[] | null;
  worker: SimWorker | null;
}

/**
 * Seeds of the next chunk when `remaining` seeds are left to hand out (guided self-scheduling):
 * a share of what is left, remaining / (GUIDED_SHARES * workers), between CHUNK_SEEDS_MIN and
 * CHUNK_SEEDS_MAX. Chunks are large while much is left and shrink towards the end, so when a
 * thread takes its last chunk the others are busy for about as long: the threads finish within
 * a small chunk of each other (with fixed chunks of 1 024 one thread idled for up to a whole
 * chunk, ~0.2 s of a ~8 s 96 000-seed sweep; docs/benchmarks.md "Round 6b"). The cap is not
 * what keeps Ctrl-C and fail-fast prompt (every worker checks the shared stop flag and the
 * lowest failing seed before each seed) but what bounds one reply and the work a crashed
 * thread takes with it.
 */
export function guidedChunkSize(remaining: number, workers: number, floor: number): number {
  const share = Math.ceil(remaining / (GUIDED_SHARES * workers));
  return Math.max(1, Math.min(remaining, CHUNK_SEEDS_MAX, Math.max(floor, share)));
}

/**
 * The smallest guided chunk of a sweep of `count` seeds: CHUNK_SEEDS_MIN, or less in a sweep
 * too small to give every thread several chunks of that (so a short sweep still spreads).
 */
export function guidedChunkFloor(count: number, workers: number): number {
  return Math.max(1, Math.min(CHUNK_SEEDS_MIN, Math.ceil(count / (GUIDED_SHARES * workers))));
}

/** Chunks per thread that what is left is split into: 4 keeps the shrinking gradual. */
const GUIDED_SHARES = 4;

/**
 * Every chunk costs the main thread a request, a reply to merge and a callback (~0.4 ms of CPU,
 * bench/sweepCpu.ts), and the main thread shares the cores with the workers. Runs got ~3x
 * cheaper since the cap was 256: 1 024 flash-sale-chaos seeds take ~0.2-0.3 s on one thread.
 */
export const CHUNK_SEEDS_MAX = 1024;

/**
 * The smallest chunk the guided sizes shrink to: 32 flash-sale-chaos seeds are ~6 ms on one
 * thread, so the last chunks cost the main thread ~0.4 ms each for ~6 ms of work.
 */
export const CHUNK_SEEDS_MIN = 32;

/** How many chunks guidedChunkSize cuts `count` seeds into. */
export function guidedChunkCount(count: number, workers: number): number {
  const floor = guidedChunkFloor(count, workers);
  let n = 0;
  for (let left = count; left > 0; left -= guidedChunkSize(left, workers, floor)) n++;
  return n;
}

/**
 * Seeds start..start+count-1 over worker threads. Chunks of seeds are handed out in order;
 * results are committed in chunk order, so the tally (and with failFast, where it stops) is the
 * same for any number of workers: each seed's run depends on nothing but the seed.
 */
export async function sweepParallel(o: ParallelSweepOptions): Promise<ParallelSweepResult> {
  if (!Number.isInteger(o.workers) || o.workers < 1) throw new RangeError(`sweepParallel: workers must be a positive integer, got ${o.workers}`);
  checkSeedRange(o.start, o.count);
  const fixed = o.chunkSize;
  // Chunks are cut in order as threads ask for them; only their sizes depend on the count of
  // threads, never the seeds' runs or the order the tally is committed in.
  const nChunks = fixed !== undefined ? Math.ceil(o.count / fixed) : guidedChunkCount(o.count, o.workers);
  const floor = guidedChunkFloor(o.count, o.workers);
  let handedOut = 0;
  const nextChunk = (i: number): Chunk => {
    const remaining = o.count - handedOut;
    const count = fixed !== undefined ? Math.min(fixed, remaining) : guidedChunkSize(remaining, o.workers, floor);
    const c: Chunk = { index: i, start: o.start + handedOut, count, tally: null, hashes: null, worker: null };
    handedOut += count;
    return c;
  };
  const commit = new InOrderCommit(o.failFast === true);
  const control = newControl();
  const stop = controlViews(control).stop;
  /** Control blocks of re-runs after a stall (their own: the sweep's is stopped by then). */
  const rerunControls: SharedArrayBuffer[] = [];
  const halt = () => Atomics.store(stop, 0, 1);
  const interrupt = () => {
    halt();
    for (const rc of rerunControls) Atomics.store(controlViews(rc).stop, 0, 1);
  };
  o.signal?.addEventListener('abort', interrupt);
  if (o.signal?.aborted) halt();
  const scenario = plainScenario(o.scenario);
  const nWorkers = Math.max(1, Math.min(o.workers, nChunks));
  const watchdog = o.watchdog;
  const heapMb = o.heapMbPerWorker ?? threadHeapMb(scenario);
  const pool = Array.from({ length: nWorkers }, () => new SimWorker({ watchdog, heapMb }));
  const verifiers = o.checkDeterminism ? Array.from({ length: nWorkers }, () => new SimWorker({ watchdog, heapMb })) : [];
  let stalled: SweepStall | null = null;
  const noteStall = (e: unknown, duringDeterminismCheck: boolean): boolean => {
    if (!(e instanceof WorkerStalledError)) return false;
    if (!stalled || (e.seed !== null && (stalled.seed === null || e.seed < stalled.seed))) stalled = { seed: e.seed, message: e.message, duringDeterminismCheck, resource: e.resource };
    halt();
    return true;
  };
  const verifyQueue = new AsyncQueue<Chunk>();
  let divergentSeed: { seed: number; chunk: Chunk; hashes: [string, string] } | null = null;
  let next = 0;
  const base = { scenario, strategy: o.strategy, cwd: o.cwd, options: o.options, control, search: o.search ?? null };
  let calm: PctCalmStats | null = null;

  const stopped = () => Atomics.load(stop, 0) !== 0;
  const canSkip = (c: Chunk) => {
    // With fail-fast, a chunk above the lowest known failure cannot change the answer.
    const low = o.failFast ? lowestFailure(control) : null;
    return low !== null && c.start > low;
  };

  const runMain = async (w: SimWorker) => {
    while (!stopped() && next < nChunks && !commit.finished) {
      const c = nextChunk(next++);
      if (canSkip(c)) break;
      let r: Awaited<ReturnType<typeof w.request<'sweep'>>>;
      try {
        r = await w.request<'sweep'>({ kind: 'sweep', ...base, start: c.start, count: c.count, failFast: o.failFast === true, hashes: o.checkDeterminism === true, progress: o.onProgress !== undefined }, o.onProgress);
      } catch (e) {
        if (!noteStall(e, false)) throw e;
        // The stalled seed is a failing run. The runs of this chunk before it died with the
        // thread; each depends on its seed alone, so a fresh thread runs them again.
        const seed = (e as WorkerStalledError).seed;
        if (seed !== null) {
          const t = stallTally(seed, (e as WorkerStalledError).message, (e as WorkerStalledError).resource ? 'resource-limit' : 'liveness');
          const before = seed > c.start ? await rerun(c.start, seed - c.start) : null;
          o.onProgress?.(1, 1);
          // With fail-fast, a failure before the stalled seed is where the sweep stops.
          commit.add(c.index, before === null ? t : o.failFast && before.failingSeeds.length > 0 ? before : new TallyBuilder().add(before).add(t).pack());
        }
        return;
      }
      if (r.runs > 0) o.onProgress?.(r.runs, r.failures);
      c.tally = r.tally;
      c.hashes = r.hashes;
      calm ??= r.calm;
      c.worker = w;
      commit.add(c.index, r.tally);
      if (o.checkDeterminism) verifyQueue.push(c);
    }
  };

  /** Seeds start..start+count-1 again in a fresh watched thread; null if that fails too. */
  const rerun = async (start: number, count: number): Promise<PackedTally | null> => {
    if (o.signal?.aborted) return null;
    const rc = newControl();
    rerunControls.push(rc);
    const w = new SimWorker({ watchdog, heapMb });
    try {
      const r = await w.request<'sweep'>({ kind: 'sweep', ...base, control: rc, start, count, failFast: o.failFast === true, hashes: false });
      return r.tally.runs === count || (o.failFast === true && r.tally.failingSeeds.length > 0) ? r.tally : null;
    } catch {
      return null;
    } finally {
      await w.terminate();
    }
  };

  const runVerifier = async (w: SimWorker) => {
    for (let c = await verifyQueue.take(); c !== null; c = await verifyQueue.take()) {
      const ran = c.tally?.ranges[0];
      if (!ran || !c.hashes || stopped()) continue;
      let r: Awaited<ReturnType<typeof w.request<'hashes'>>>;
      try {
        r = await w.request<'hashes'>({ kind: 'hashes', ...base, start: ran[0], count: ran[1] - ran[0] });
      } catch (e) {
        if (noteStall(e, true)) return;
        throw e;
      }
      if (!r.complete) continue;
      for (let i = 0; i < r.hashes.length; i++) {
        if (r.hashes[i] === c.hashes[i]) continue;
        const seed = ran[0] + i;
        if (!divergentSeed || seed < divergentSeed.seed) divergentSeed = { seed, chunk: c, hashes: [c.hashes[i], r.hashes[i]] };
        halt();
        break;
      }
    }
  };

  let interrupted = false;
  let divergence: Divergence | null = null;
  try {
    // A failing thread (a strategy that will not load, a crash) stops the others at once.
    let verifyError: unknown = null;
    const verifying = Promise.all(verifiers.map(runVerifier)).catch((e: unknown) => {
      verifyError = e;
      halt();
    });
    await Promise.all(pool.map(runMain))
      .catch((e: unknown) => {
        halt();
        throw e;
      })
      .finally(() => verifyQueue.close());
    await verifying;
    if (verifyError !== null) throw verifyError;
    interrupted = o.signal?.aborted === true;
    const d = divergentSeed as { seed: number; chunk: Chunk; hashes: [string, string] } | null;
    if (d) divergence = await explainDivergence(d.seed, d.hashes, d.chunk.worker, base, watchdog);
  } finally {
    o.signal?.removeEventListener('abort', interrupt);
    await Promise.all([...pool, ...verifiers].map((w) => w.terminate()));
  }
  // A user's module that threw from a timer or a rejection in any thread: its results are not to be trusted.
  const thrown = [...pool, ...verifiers].find((w) => w.asyncError !== null);
  if (thrown) throw thrown.asyncError;
  return { tally: commit.finish(), interrupted, divergence, stalled, calm };
}

/**
 * The tally of one seed the watchdog stopped: a failing run (liveness; `resource-limit` when a
 * wall-clock budget stopped it) with nothing else known.
 */
export function stallTally(seed: number, message: string, invariant: 'liveness' | 'resource-limit' = 'liveness'): SweepTally {
  // The stopped run's faults died with its thread: it counts as a run in which none is known to have struck.
  return { runs: 1, failingSeeds: [seed], violationsByInvariant: { [invariant]: 1 }, firstByInvariant: { [invariant]: { seed, message } }, goodputMicrosSum: 0, latencyHistogram: {}, ranges: [[seed, seed + 1]], faultsStruck: {}, faultsStruckFailing: {} };
}

/** A queue whose consumers wait for items; take() answers null once closed and drained. */
class AsyncQueue<T> {
  private readonly items: T[] = [];
  private readonly waiting: Array<(v: T | null) => void> = [];
  private closed = false;

  push(item: T): void {
    const w = this.waiting.shift();
    if (w) w(item);
    else this.items.push(item);
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w(null);
  }

  take(): Promise<T | null> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/**
 * Folds chunk tallies into one as they arrive, strictly in chunk order (a chunk that finishes
 * early waits for the ones before it), so memory stays flat however long the sweep. With
 * fail-fast, the first chunk with a failure (its tally stops at that seed) is the last one
 * folded: everything after the lowest failing seed is dropped, whichever worker ran it, and
 * that is what makes the result the same for any number of workers.
 */
class InOrderCommit {
  private readonly acc = new TallyBuilder();
  private readonly waiting = new Map<number, PackedTally | SweepTally>();
  private next = 0;
  finished = false;

  constructor(private readonly failFast: boolean) {}

  add(index: number, t: PackedTally | SweepTally): void {
    if (this.finished) return;
    this.waiting.set(index, t);
    for (let w = this.waiting.get(this.next); w !== undefined && !this.finished; w = this.waiting.get(this.next)) {
      this.waiting.delete(this.next++);
      this.acc.add(w);
      if (this.failFast && w.failingSeeds.length > 0) {
        this.finished = true;
        this.waiting.clear();
      }
    }
  }

  /** The committed tally plus (after an interruption) whatever ran out of order. */
  finish(): SweepTally {
    if (!this.finished) {
      const rest = [...this.waiting.entries()].sort((a, b) => a[0] - b[0]);
      for (const [, t] of rest) {
        this.acc.add(t);
        if (this.failFast && t.failingSeeds.length > 0) break;
      }
    }
    this.waiting.clear();
    return finishTally(this.acc.tally());
  }
}

/** Fetches both traces of the divergent seed: from the worker that ran it first and from a fresh one. */
async function explainDivergence(
  seed: number,
  hashes: [string, string],
  original: SimWorker | null,
  base: { scenario: RunnableScenario; strategy: string; cwd: string; options?: Readonly<Record<string, number | string | boolean>>; search: Search | null },
  watchdog: Watchdog | null | undefined,
): Promise<Divergence> {
  const body = { kind: 'run' as const, scenario: base.scenario, strategy: base.strategy, cwd: base.cwd, seed, options: base.options, keepTrace: true, search: base.search };
  const heapMb = threadHeapMb(base.scenario);
  const fresh = await inFreshWorker<'run'>(body, { watchdog, heapMb });
  let again = original ? await original.request<'run'>(body).catch(() => null) : null;
  if (!again || again.traceHash === fresh.traceHash) again = await inFreshWorker<'run'>(body, { watchdog, heapMb });
  const diff = firstTraceDifference(again.traceLines ?? [], fresh.traceLines ?? []);
  return { seed, traceHashes: hashes, firstDifference: diff };
}

import { parentPort } from 'node:worker_threads';
import { runOnce, type RunnableScenario } from './run.js';
import { loadStrategy } from './loadStrategy.js';
import { sweepInline, tallyRun, emptyTally, type SweepTally } from './sweep.js';
import { ListSource } from '../sim/sources.js';
import type { Strategy } from '../inventory/strategy.js';

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
      readonly kind: 'run';
      readonly id: number;
      readonly scenario: RunnableScenario;
      readonly strategy: string;
      readonly cwd: string;
      /** Seeded run, or (when `choices` is given) a list-driven one. */
      readonly seed: number;
      readonly choices?: readonly number[];
      readonly options?: StrategyOptionValues;
      readonly instantDb?: boolean;
      readonly keepTrace: boolean;
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
      readonly control?: SharedArrayBuffer;
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
    };

export type WorkerReply =
  | { readonly kind: 'run'; readonly id: number; readonly traceHash: string; readonly traceLines: string[] | null; readonly verdict: string }
  | { readonly kind: 'sweep'; readonly id: number; readonly tally: SweepTally; readonly hashes: string[] | null }
  | { readonly kind: 'hashes'; readonly id: number; readonly hashes: string[]; readonly complete: boolean }
  /** Runs and failures since the last progress message of this request. */
  | { readonly kind: 'progress'; readonly id: number; readonly runs: number; readonly failures: number }
  | { readonly kind: 'error'; readonly id: number; readonly message: string; readonly code?: string };

/** How often a worker reports progress, in runs. */
const PROGRESS_EVERY_RUNS = 16;
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

const strategies = new Map<string, Strategy>();

async function strategyFor(ref: string, cwd: string): Promise<Strategy> {
  const key = `${cwd}\u0000${ref}`;
  let s = strategies.get(key);
  if (!s) {
    s = await loadStrategy(ref, cwd);
    strategies.set(key, s);
  }
  return s;
}

async function handle(req: WorkerRequest, post: (r: WorkerReply) => void): Promise<void> {
  const strategy = await strategyFor(req.strategy, req.cwd);
  const control = req.kind === 'run' ? undefined : req.control;
  const views = control ? controlViews(control) : null;
  const stopped = () => views !== null && Atomics.load(views.stop, 0) !== 0;
  if (req.kind === 'run') {
    const source = req.choices ? new ListSource(req.choices, 'recorded') : undefined;
    const r = runOnce(req.scenario, { seed: req.seed, source, strategy, options: req.options, instantDb: req.instantDb, keepTrace: req.keepTrace });
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
      hashes[i] = tallyRun(emptyTally(), req.scenario, req.start + i, { strategy, options: req.options }).traceHash;
    }
    post({ kind: 'hashes', id: req.id, hashes: complete ? hashes : [], complete });
    return;
  }
  const hashes: string[] | null = req.hashes ? [] : null;
  let runs = 0;
  let failures = 0;
  const tally = sweepInline(req.scenario, {
    start: req.start,
    count: req.count,
    strategy,
    options: req.options,
    failFast: req.failFast,
    shouldStop: (seed) => {
      if (stopped()) return true;
      if (!req.failFast || views === null) return false;
      return BigInt(seed) > Atomics.load(views.lowestFailure, 0);
    },
    onRun: (seed, failed, traceHash) => {
      hashes?.push(traceHash);
      runs++;
      if (failed) {
        failures++;
        if (req.failFast && control) noteFailure(control, seed);
      }
      if (runs >= PROGRESS_EVERY_RUNS || failed) {
        post({ kind: 'progress', id: req.id, runs, failures });
        runs = 0;
        failures = 0;
      }
    },
  });
  if (runs > 0) post({ kind: 'progress', id: req.id, runs, failures });
  post({ kind: 'sweep', id: req.id, tally, hashes });
}

if (parentPort) {
  const port = parentPort;
  const post = (r: WorkerReply) => port.postMessage(r);
  port.on('message', (req: WorkerRequest) => {
    handle(req, post).catch((e: unknown) => {
      const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;
      post({ kind: 'error', id: req.id, message: e instanceof Error ? e.message : String(e), code });
    });
  });
}

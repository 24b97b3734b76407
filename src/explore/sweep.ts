import { builtinStrategy, round3, type RunnableScenario } from './run.js';
import type { Strategy } from '../inventory/strategy.js';
import { checkSeedRange } from './seedRange.js';
import { sweepSeeds } from './sweepSeeds.js';
import { addFaultTally } from './marks.js';
import { TallyBuilder } from './packedTally.js';
import type { Search } from './search.js';

export interface SweepOptions {
  readonly start: number;
  readonly count: number;
  readonly strategy?: Strategy;
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  /** Search schedules (windowed timing): each seed's run uses this search's scheduler (explore/search.ts). */
  readonly search?: Search | null;
  /** Stop at the first failing seed. */
  readonly failFast?: boolean;
  /** Called after every run (progress lines, determinism hashes). */
  readonly onRun?: (seed: number, failed: boolean, traceHash: string) => void;
  /** Polled before every run: true stops the sweep early (Ctrl-C, a lower failing seed elsewhere). */
  readonly shouldStop?: (seed: number) => boolean;
}

/**
 * The part of a sweep that merges: per-seed facts only, no timing. Every number in it is an
 * integer, so merging tallies in any order (workers finishing in any order, shards merged in
 * any order) gives exactly the same result.
 */
export interface SweepTally {
  runs: number;
  failingSeeds: number[];
  violationsByInvariant: Record<string, number>;
  /** First violation per invariant (lowest seed), for reports. */
  firstByInvariant: Record<string, { seed: number; message: string }>;
  /** Sum over runs of goodput in millionths (an integer: float sums depend on their order). */
  goodputMicrosSum: number;
  /** Answered orders' virtual latency: ms -> count (bounded memory however long the sweep). */
  latencyHistogram: Record<string, number>;
  /** Seeds that ran, as [start, end) ranges (merging checks coverage). */
  ranges: Array<[number, number]>;
  /**
   * Faults seen to strike (explore/marks.ts): fault mark id -> runs in which it struck, and
   * runs in which it struck and an invariant broke. Absent in results of older versions (and
   * in a merge with one of them: counts that miss some runs would mislead).
   */
  faultsStruck?: Record<string, number>;
  faultsStruckFailing?: Record<string, number>;
}

export { sweepSeeds } from './sweepSeeds.js';

export function emptyTally(): SweepTally {
  return { runs: 0, failingSeeds: [], violationsByInvariant: {}, firstByInvariant: {}, goodputMicrosSum: 0, latencyHistogram: {}, ranges: [], faultsStruck: {}, faultsStruckFailing: {} };
}

/** Seeds start..start+count-1, in one thread, in order. Its range says how far it got. */
export function sweepInline(scenario: RunnableScenario, o: SweepOptions): SweepTally {
  const b = new TallyBuilder();
  checkSeedRange(o.start, o.count);
  const end = sweepSeeds(scenario, { ...o, strategy: o.strategy ?? builtinStrategy(scenario.strategy.name) }, (seed, r) => b.addRun(seed, r));
  if (end > o.start) b.ranges.push([o.start, end]);
  return b.tally();
}

/**
 * Adds `from` into `into` without sorting (cheap enough to call per chunk of a long sweep);
 * call finishTally once at the end.
 */
export function addTally(into: SweepTally, from: SweepTally): SweepTally {
  into.runs += from.runs;
  for (const s of from.failingSeeds) into.failingSeeds.push(s);
  into.goodputMicrosSum += from.goodputMicrosSum;
  for (const [k, n] of Object.entries(from.latencyHistogram)) into.latencyHistogram[k] = (into.latencyHistogram[k] ?? 0) + n;
  for (const r of from.ranges) into.ranges.push([r[0], r[1]]);
  for (const [k, n] of Object.entries(from.violationsByInvariant)) into.violationsByInvariant[k] = (into.violationsByInvariant[k] ?? 0) + n;
  for (const [k, f] of Object.entries(from.firstByInvariant)) {
    const cur = into.firstByInvariant[k];
    if (!cur || f.seed < cur.seed) into.firstByInvariant[k] = { seed: f.seed, message: f.message };
  }
  if (into.faultsStruck && into.faultsStruckFailing && from.faultsStruck && from.faultsStruckFailing) {
    addFaultTally({ faultsStruck: into.faultsStruck, faultsStruckFailing: into.faultsStruckFailing }, { faultsStruck: from.faultsStruck, faultsStruckFailing: from.faultsStruckFailing });
  } else {
    delete into.faultsStruck;
    delete into.faultsStruckFailing;
  }
  return into;
}

/** Canonical form: failing seeds ascending, ranges joined, keys sorted. */
export function finishTally(t: SweepTally): SweepTally {
  t.failingSeeds.sort((a, b) => a - b);
  t.ranges = compactRanges(t.ranges);
  t.violationsByInvariant = sortKeys(t.violationsByInvariant, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  t.firstByInvariant = sortKeys(t.firstByInvariant, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  t.latencyHistogram = numericallyOrdered(t.latencyHistogram) ? t.latencyHistogram : sortKeys(t.latencyHistogram, (a, b) => Number(a) - Number(b));
  if (t.faultsStruck) t.faultsStruck = sortKeys(t.faultsStruck, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (t.faultsStruckFailing) t.faultsStruckFailing = sortKeys(t.faultsStruckFailing, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return t;
}

/** Combines tallies of disjoint seed ranges (workers, shards). Order-independent. */
export function mergeTallies(ts: readonly SweepTally[]): SweepTally {
  const m = emptyTally();
  for (const t of ts) addTally(m, t);
  return finishTally(m);
}

/** Pairs of ranges that share seeds (merging such tallies would count seeds twice). */
export function overlappingRanges(rs: ReadonlyArray<readonly [number, number]>): Array<[[number, number], [number, number]]> {
  const sorted = [...rs].map((r): [number, number] => [r[0], r[1]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Array<[[number, number], [number, number]]> = [];
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    if (sorted[i][0] < prev[1]) out.push([prev, sorted[i]]);
  }
  return out;
}

export interface SweepSummary {
  scenario: string;
  strategy: string;
  runs: number;
  failingSeeds: number[];
  violationsByInvariant: Record<string, number>;
  firstFailure: { seed: number; invariant: string; message: string } | null;
  goodputMean: number;
  latencyMs: { p50: number; p99: number };
  runsPerSecond: number;
  seedRanges: Array<[number, number]>;
}

export function summarizeTally(t: SweepTally, scenario: string, strategy: string, elapsedMs: number): SweepSummary {
  let firstFailure: SweepSummary['firstFailure'] = null;
  for (const [invariant, f] of Object.entries(t.firstByInvariant)) {
    if (!firstFailure || f.seed < firstFailure.seed) firstFailure = { seed: f.seed, invariant, message: f.message };
  }
  return {
    scenario,
    strategy,
    runs: t.runs,
    failingSeeds: [...t.failingSeeds].sort((a, b) => a - b),
    violationsByInvariant: t.violationsByInvariant,
    firstFailure,
    goodputMean: t.runs === 0 ? 0 : round3(t.goodputMicrosSum / 1_000_000 / t.runs),
    latencyMs: { p50: histogramPercentile(t.latencyHistogram, 50), p99: histogramPercentile(t.latencyHistogram, 99) },
    runsPerSecond: elapsedMs > 0 ? Math.round((t.runs * 1000) / elapsedMs) : 0,
    seedRanges: compactRanges(t.ranges),
  };
}

/** Joins touching ranges: [[1,5],[5,9]] -> [[1,9]]. */
export function compactRanges(rs: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of [...rs].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Nearest-rank percentile of a ms -> count histogram. */
export function histogramPercentile(h: Readonly<Record<string, number>>, p: number): number {
  const keys = Object.keys(h).map(Number).sort((a, b) => a - b);
  let total = 0;
  for (const k of keys) total += h[String(k)];
  if (total === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const k of keys) {
    seen += h[String(k)];
    if (seen >= rank) return k;
  }
  return keys[keys.length - 1];
}

/**
 * Whether a record's keys already come in ascending numeric order. Integer keys below 2^32 - 1
 * always enumerate that way, so a histogram of ms almost always does, and rebuilding one with
 * thousands of keys was the largest single cost at the end of a long sweep.
 */
function numericallyOrdered(o: Record<string, unknown>): boolean {
  let prev = -Infinity;
  for (const k in o) {
    const n = Number(k);
    if (!(n > prev)) return false;
    prev = n;
  }
  return true;
}

function sortKeys<V>(o: Record<string, V>, cmp: (a: string, b: string) => number): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(o).sort(cmp)) out[k] = o[k];
  return out;
}

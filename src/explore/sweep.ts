import { runOnce, round3, type RunnableScenario } from './run.js';
import type { Strategy } from '../inventory/strategy.js';

export interface SweepOptions {
  readonly start: number;
  readonly count: number;
  readonly strategy?: Strategy;
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  /** Stop at the first failing seed. */
  readonly failFast?: boolean;
  /** Called after every run (progress lines). */
  readonly onRun?: (seed: number, failed: boolean) => void;
  /** Polled between runs: true stops the sweep early (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

/** The part of a sweep that merges: per-seed facts only, no timing. */
export interface SweepTally {
  runs: number;
  failingSeeds: number[];
  violationsByInvariant: Record<string, number>;
  /** First violation per invariant (lowest seed), for reports. */
  firstByInvariant: Record<string, { seed: number; message: string }>;
  goodputSum: number;
  /** Answered orders' virtual latency: ms -> count (bounded memory however long the sweep). */
  latencyHistogram: Record<string, number>;
  /** Seeds that ran, as [start, end) ranges (merging checks coverage). */
  ranges: Array<[number, number]>;
}

export function emptyTally(): SweepTally {
  return { runs: 0, failingSeeds: [], violationsByInvariant: {}, firstByInvariant: {}, goodputSum: 0, latencyHistogram: {}, ranges: [] };
}

/** Runs one seed into a tally. */
export function tallyRun(t: SweepTally, scenario: RunnableScenario, seed: number, opts: Pick<SweepOptions, 'strategy' | 'options'>): boolean {
  const r = runOnce(scenario, { seed, strategy: opts.strategy, options: opts.options });
  t.runs++;
  t.goodputSum += r.goodput;
  for (const o of r.orderRecords) {
    if (o.status !== 'answered' || o.endMs === null) continue;
    const k = String(o.endMs - o.startMs);
    t.latencyHistogram[k] = (t.latencyHistogram[k] ?? 0) + 1;
  }
  if (r.violations.length === 0) return false;
  t.failingSeeds.push(seed);
  const seen = new Set<string>();
  for (const v of r.violations) {
    if (seen.has(v.invariant)) continue;
    seen.add(v.invariant);
    t.violationsByInvariant[v.invariant] = (t.violationsByInvariant[v.invariant] ?? 0) + 1;
    const first = t.firstByInvariant[v.invariant];
    if (!first || seed < first.seed) t.firstByInvariant[v.invariant] = { seed, message: v.message };
  }
  return true;
}

/** Seeds start..start+count-1, in one thread, in order. Returns how far it got. */
export function sweepInline(scenario: RunnableScenario, o: SweepOptions): SweepTally {
  const t = emptyTally();
  let seed = o.start;
  const end = o.start + o.count;
  for (; seed < end; seed++) {
    if (o.shouldStop?.()) break;
    const failed = tallyRun(t, scenario, seed, o);
    o.onRun?.(seed, failed);
    if (failed && o.failFast) {
      seed++;
      break;
    }
  }
  t.ranges.push([o.start, seed]);
  return t;
}

/** Combines tallies of disjoint seed ranges (workers, shards). Order-independent. */
export function mergeTallies(ts: readonly SweepTally[]): SweepTally {
  const m = emptyTally();
  for (const t of ts) {
    m.runs += t.runs;
    m.failingSeeds.push(...t.failingSeeds);
    m.goodputSum += t.goodputSum;
    for (const [k, n] of Object.entries(t.latencyHistogram)) m.latencyHistogram[k] = (m.latencyHistogram[k] ?? 0) + n;
    m.ranges.push(...t.ranges);
    for (const [k, n] of Object.entries(t.violationsByInvariant)) m.violationsByInvariant[k] = (m.violationsByInvariant[k] ?? 0) + n;
    for (const [k, f] of Object.entries(t.firstByInvariant)) {
      const cur = m.firstByInvariant[k];
      if (!cur || f.seed < cur.seed) m.firstByInvariant[k] = f;
    }
  }
  m.failingSeeds.sort((a, b) => a - b);
  m.ranges.sort((a, b) => a[0] - b[0]);
  return m;
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
    failingSeeds: t.failingSeeds,
    violationsByInvariant: t.violationsByInvariant,
    firstFailure,
    goodputMean: t.runs === 0 ? 0 : round3(t.goodputSum / t.runs),
    latencyMs: { p50: histogramPercentile(t.latencyHistogram, 50), p99: histogramPercentile(t.latencyHistogram, 99) },
    runsPerSecond: elapsedMs > 0 ? Math.round((t.runs * 1000) / elapsedMs) : 0,
    seedRanges: compactRanges(t.ranges),
  };
}

/** Joins touching ranges: [[1,5],[5,9]] -> [[1,9]]. */
export function compactRanges(rs: ReadonlyArray<[number, number]>): Array<[number, number]> {
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

import { z } from 'zod';
import { hashLines } from '../sim/hash.js';
import { InputError } from '../errors.js';
import { compactRanges, mergeTallies, summarizeTally, type SweepSummary, type SweepTally } from './sweep.js';
import type { Shard } from './shard.js';
import type { RunnableScenario } from './run.js';
import { readRegularFile } from './readBounded.js';
import { SEED_MAX } from './seedRange.js';
import { describedFaults, rowsOf, type DescribedFault, type FaultRow } from './marks.js';
import { searchName, type Search } from './search.js';
import { PCT_DEPTH_MAX, type PctCalmStats } from '../sim/pct.js';

/**
 * What `sweep --json` prints and `merge` reads: the summary a person wants, plus the tally a
 * merge needs (per-seed facts only: every count, the failing seeds, the latency histogram and
 * the seed ranges that ran), and enough identity to refuse merging different sweeps.
 */
export const SWEEP_FORMAT = 'oversold-sweep';
export const SWEEP_VERSION = 1;
/** The largest sweep result merge reads (a 100-million-seed sweep's tally is far smaller unless most seeds fail). */
export const SWEEP_BYTES_MAX = 64 * 1024 * 1024;

export interface SweepReport extends SweepSummary {
  readonly format: typeof SWEEP_FORMAT;
  readonly version: typeof SWEEP_VERSION;
  /** The scenario file as the sweep was given it (for the replay command a merge prints). */
  readonly scenarioPath: string | null;
  /** Hash of the resolved scenario: shards of one sweep ran exactly the same scenario. */
  readonly scenarioHash: string;
  /** The whole range asked for, before sharding: [start, start + count). */
  readonly requested: { readonly start: number; readonly count: number };
  /** This result's slice, or null for an unsharded sweep or a merge. */
  readonly shard: Shard | null;
  readonly failFast: boolean;
  /** Stopped by Ctrl-C before every seed ran. */
  readonly interrupted: boolean;
  /** Seeds of the requested range that did not run (interrupted, fail-fast, missing shards). */
  readonly missingSeedRanges: Array<[number, number]>;
  /** Wall-clock time of the sweep; for a merge, the sum over its parts. */
  readonly elapsedMs: number;
  /** Number of sweep results merged into this one (1 for a sweep). */
  readonly parts: number;
  /**
   * Each fault the scenario enables, in how many runs it struck and in how many of those an
   * invariant broke (explore/marks.ts). null when the tally has no counts (merged with a result
   * of an older version); absent in results of older versions.
   */
  readonly faults?: FaultRow[] | null;
  readonly tally: SweepTally;
  /**
   * What --strategy named: a built-in's name, or the module's path as given (the reproduce
   * command a merge prints names it). Absent in results of older versions.
   */
  readonly strategyRef?: string;
  /**
   * Which code ran: "builtin:<name>", or "module:<hash of the module file's bytes>". Two
   * strategies with one display name (a user module called "lock-lease", two versions of one
   * module) do not merge. Absent in results of older versions.
   */
  readonly strategyHash?: string;
  /**
   * How schedules were searched (`--search`), with PCT's parameters: its depth and the calm
   * run's steps (k) and chains (n), from which a clean result's miss bound follows. Absent:
   * no search (the scenario's own scheduler), or a result of an older version.
   */
  readonly search?: SweepSearch;
}

export type SweepSearch = { readonly kind: 'random' } | { readonly kind: 'pct'; readonly depth: number; readonly calm: PctCalmStats | null };

/** The report's search for a sweep's Search and the calm stats its workers sent. */
export function sweepSearchOf(search: Search | null | undefined, calm: PctCalmStats | null): SweepSearch | undefined {
  if (!search) return undefined;
  return search.kind === 'pct' ? { kind: 'pct', depth: search.depth, calm } : { kind: 'random' };
}

export function scenarioHash(s: RunnableScenario): string {
  return hashLines([JSON.stringify(s)]);
}

export interface SweepReportInput {
  readonly scenario: RunnableScenario;
  readonly scenarioPath?: string;
  readonly strategy: string;
  readonly tally: SweepTally;
  readonly requested: { start: number; count: number };
  readonly shard: Shard | null;
  readonly failFast: boolean;
  readonly interrupted: boolean;
  readonly elapsedMs: number;
  /** See SweepReport.strategyRef / strategyHash (strategyIdentity() in strategyIdentity.ts). */
  readonly strategyRef?: string;
  readonly strategyHash?: string;
  readonly search?: SweepSearch;
}

export function sweepReport(i: SweepReportInput): SweepReport {
  const summary = summarizeTally(i.tally, i.scenario.name, i.strategy, i.elapsedMs);
  const requested = i.requested;
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    ...summary,
    scenarioPath: i.scenarioPath ?? null,
    scenarioHash: scenarioHash(i.scenario),
    requested,
    shard: i.shard,
    failFast: i.failFast,
    interrupted: i.interrupted,
    missingSeedRanges: missingRanges([[requested.start, requested.start + requested.count]], i.tally.ranges, i.shard, requested),
    elapsedMs: Math.round(i.elapsedMs),
    parts: 1,
    faults: faultsOf(describedFaults(i.scenario), i.tally),
    tally: i.tally,
    ...(i.strategyRef === undefined ? {} : { strategyRef: i.strategyRef }),
    ...(i.strategyHash === undefined ? {} : { strategyHash: i.strategyHash }),
    ...(i.search === undefined ? {} : { search: i.search }),
  };
}

/** The rows of `faults` with the tally's counts; null when the tally has none. */
function faultsOf(faults: readonly DescribedFault[], t: SweepTally): FaultRow[] | null {
  if (!t.faultsStruck || !t.faultsStruckFailing) return null;
  return rowsOf(faults, { faultsStruck: t.faultsStruck, faultsStruckFailing: t.faultsStruckFailing });
}

/** Seeds in `want` (or this shard's slice of it) that no range in `ran` covers. */
function missingRanges(want: Array<[number, number]>, ran: ReadonlyArray<readonly [number, number]>, shard: Shard | null, requested: { start: number; count: number }): Array<[number, number]> {
  let target = want;
  if (shard) {
    const lo = requested.start + Math.floor(((shard.index - 1) * requested.count) / shard.count);
    const hi = requested.start + Math.floor((shard.index * requested.count) / shard.count);
    target = [[lo, hi]];
  }
  const covered = compactRanges(ran);
  const out: Array<[number, number]> = [];
  for (const [a, b] of target) {
    let cur = a;
    for (const [c, d] of covered) {
      if (d <= cur || c >= b) continue;
      if (c > cur) out.push([cur, c]);
      cur = Math.max(cur, d);
    }
    if (cur < b) out.push([cur, b]);
  }
  return out;
}

const range = z.tuple([z.number().int(), z.number().int()]);
const count = z.number().int().min(0);
const tallySchema = z.object({
  runs: count,
  failingSeeds: z.array(z.number().int()),
  violationsByInvariant: z.record(z.string(), count),
  firstByInvariant: z.record(z.string(), z.object({ seed: z.number().int(), message: z.string() })),
  goodputMicrosSum: count,
  latencyHistogram: z.record(z.string().regex(/^\d+$/), count),
  ranges: z.array(range),
  faultsStruck: z.record(z.string(), count).optional(),
  faultsStruckFailing: z.record(z.string(), count).optional(),
});
const faultSchema = z.object({
  id: z.string(),
  fault: z.string(),
  step: z.number().int().min(0).nullable(),
  enabledBy: z.string(),
  claimed: z.boolean(),
  what: z.string(),
  struckRuns: count,
  struckInFailingRuns: count,
});
const reportSchema = z.object({
  format: z.literal(SWEEP_FORMAT),
  version: z.literal(SWEEP_VERSION),
  scenario: z.string(),
  strategy: z.string(),
  scenarioPath: z.string().nullable().optional(),
  scenarioHash: z.string(),
  requested: z.object({ start: z.number().int(), count }),
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }).nullable(),
  failFast: z.boolean(),
  interrupted: z.boolean(),
  elapsedMs: z.number().min(0),
  parts: z.number().int().min(1).optional(),
  faults: z.array(faultSchema).nullable().optional(),
  tally: tallySchema,
  strategyRef: z.string().optional(),
  strategyHash: z.string().optional(),
  search: z.union([
    z.object({ kind: z.literal('random') }),
    z.object({ kind: z.literal('pct'), depth: z.number().int().min(1).max(PCT_DEPTH_MAX), calm: z.object({ steps: count, chains: count }).nullable() }),
  ]).optional(),
});

/** Reads one `sweep --json` output; anything else is an InputError naming the file. */
export function readSweepReport(file: string): SweepReport {
  const read = readRegularFile(file, SWEEP_BYTES_MAX);
  if (!read.ok) throw new InputError(`${file}: ${read.why}`, 'BAD_SWEEP_FILE');
  const text = read.text;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError(`${file}: not JSON (merge reads the output of \`oversold sweep --json\`)`, 'BAD_SWEEP_FILE');
  }
  const fmt = (raw as { format?: unknown } | null)?.format;
  if (fmt !== SWEEP_FORMAT) throw new InputError(`${file}: not a sweep result (expected "format": "${SWEEP_FORMAT}", the output of \`oversold sweep --json\`)`, 'BAD_SWEEP_FILE');
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`, 'BAD_SWEEP_FILE');
  }
  const report = raw as SweepReport;
  const bad = tallyProblem(report);
  if (bad) throw new InputError(`${file}: ${bad} (edited by hand, or not written by oversold sweep?)`, 'BAD_SWEEP_FILE');
  return report;
}

/**
 * What is inconsistent in a result's tally, or null. A merge adds tallies up, so a tampered
 * one ("seeds 60..50", a seed counted twice, goodput above 1) would skew every number after it.
 */
export function tallyProblem(r: SweepReport): string | null {
  const t = r.tally;
  let covered = 0;
  let prevEnd = -1;
  for (const [a, b] of t.ranges) {
    if (a < 0 || b > SEED_MAX + 1 || a >= b) return `tally.ranges: [${a}, ${b}] is not a range of seeds [start, end) with 0 <= start < end <= 2^32`;
    if (a < prevEnd) return `tally.ranges: [${a}, ${b}] overlaps the range before it (a seed counted twice)`;
    prevEnd = b;
    covered += b - a;
  }
  if (covered !== t.runs) return `tally.runs is ${t.runs} but its ranges cover ${covered} seeds`;
  const inRanges = (s: number) => t.ranges.some(([a, b]) => s >= a && s < b);
  for (let i = 0; i < t.failingSeeds.length; i++) {
    const s = t.failingSeeds[i];
    if (i > 0 && s <= t.failingSeeds[i - 1]) return `tally.failingSeeds is not strictly ascending at seed ${s} (a seed counted twice?)`;
    if (!inRanges(s)) return `tally.failingSeeds has seed ${s}, which no range in tally.ranges ran`;
  }
  for (const [inv, n] of Object.entries(t.violationsByInvariant)) {
    if (n > t.failingSeeds.length) return `tally.violationsByInvariant.${inv} is ${n}, more than the ${t.failingSeeds.length} failing seeds`;
    if (n > 0 && !t.firstByInvariant[inv]) return `tally.firstByInvariant has no entry for ${inv}`;
  }
  const failing = new Set(t.failingSeeds);
  for (const [inv, f] of Object.entries(t.firstByInvariant)) {
    if (!failing.has(f.seed)) return `tally.firstByInvariant.${inv} names seed ${f.seed}, which is not a failing seed`;
  }
  const faultsProblem = faultCountsProblem(r);
  if (faultsProblem) return faultsProblem;
  // Goodput is at most 1 per run, kept in millionths.
  if (t.goodputMicrosSum > t.runs * 1_000_000) return `tally.goodputMicrosSum ${t.goodputMicrosSum} means a goodput above 1 over ${t.runs} runs`;
  if (r.requested.start < 0 || r.requested.start + r.requested.count > SEED_MAX + 1) return `requested: seeds ${r.requested.start}..${r.requested.start + r.requested.count - 1} leave [0, 2^32)`;
  return null;
}

/** What is inconsistent in a result's fault counts, or null (each is a count of runs, bounded by the runs it counts). */
function faultCountsProblem(r: SweepReport): string | null {
  const t = r.tally;
  if ((t.faultsStruck === undefined) !== (t.faultsStruckFailing === undefined)) return 'tally.faultsStruck and tally.faultsStruckFailing come together';
  if (!t.faultsStruck || !t.faultsStruckFailing) return null;
  for (const [id, n] of Object.entries(t.faultsStruck)) {
    if (n > t.runs) return `tally.faultsStruck.${id} is ${n}, more than the ${t.runs} runs`;
  }
  for (const [id, n] of Object.entries(t.faultsStruckFailing)) {
    if (n > (t.faultsStruck[id] ?? 0)) return `tally.faultsStruckFailing.${id} is ${n}, more than the ${t.faultsStruck[id] ?? 0} runs it struck in`;
    if (n > t.failingSeeds.length) return `tally.faultsStruckFailing.${id} is ${n}, more than the ${t.failingSeeds.length} failing seeds`;
  }
  return null;
}

/**
 * Merges sweep results of one sweep (shards, or parts of a range run on different machines).
 * Refuses results of different scenarios or strategies and results whose seed ranges
 * overlap (a seed counted twice would skew every number); gaps are reported, not refused.
 */
export function mergeSweepReports(reports: ReadonlyArray<{ file: string; report: SweepReport }>): SweepReport {
  if (reports.length === 0) throw new InputError('merge needs at least one sweep result', 'NOTHING_TO_MERGE');
  const first = reports[0];
  for (const { file, report } of reports.slice(1)) {
    if (report.scenario !== first.report.scenario || report.scenarioHash !== first.report.scenarioHash) {
      throw new InputError(`${file} swept scenario ${report.scenario} (${report.scenarioHash}), but ${first.file} swept ${first.report.scenario} (${first.report.scenarioHash}): only results of the same scenario merge`, 'MERGE_MISMATCH');
    }
    if (report.strategy !== first.report.strategy) {
      throw new InputError(`${file} swept strategy ${report.strategy}, but ${first.file} swept ${first.report.strategy}: only results of the same strategy merge`, 'MERGE_MISMATCH');
    }
    // Same name, other code: a user module named like a built-in, or two versions of one module.
    if (report.strategyHash !== first.report.strategyHash) {
      const what = (r: SweepReport) => (r.strategyHash === undefined ? 'an unrecorded version (an older oversold)' : r.strategyHash.startsWith('builtin:') ? 'the built-in' : `module ${r.strategyRef ?? '?'} (${r.strategyHash.slice('module:'.length)})`);
      throw new InputError(`${file} swept ${what(report)} strategy ${report.strategy}, but ${first.file} swept ${what(first.report)}: only results of the same strategy code merge`, 'MERGE_MISMATCH');
    }
    // The same seed under another search is another run. (No search on a windowed scenario is
    // the random search; on a sampled one the scenario hashes differ already.)
    const searchOf = (r: SweepReport) => (r.search?.kind === 'pct' ? searchName(r.search) : 'random');
    if (searchOf(report) !== searchOf(first.report)) {
      throw new InputError(`${file} searched with ${searchOf(report)}, but ${first.file} with ${searchOf(first.report)}: only results of the same search merge`, 'MERGE_MISMATCH');
    }
  }
  const owned = reports
    .flatMap((x) => x.report.tally.ranges.map((r) => ({ r, file: x.file })))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1]);
  for (let i = 1; i < owned.length; i++) {
    const a = owned[i - 1];
    const b = owned[i];
    if (b.r[0] < a.r[1]) {
      throw new InputError(`seeds ${b.r[0]}..${Math.min(a.r[1], b.r[1]) - 1} appear in both ${a.file} and ${b.file}: shards must cover disjoint seed ranges (same file twice, or two sweeps over the same seeds?)`, 'MERGE_OVERLAP');
    }
  }
  const tally = mergeTallies(reports.map((x) => x.report.tally));
  // The whole range: what the shards were cut from, if they agree; otherwise what ran.
  const req = reports.every((x) => x.report.requested.start === first.report.requested.start && x.report.requested.count === first.report.requested.count)
    ? first.report.requested
    : spanOf(tally.ranges);
  const elapsedMs = reports.reduce((n, x) => n + x.report.elapsedMs, 0);
  const summary = summarizeTally(tally, first.report.scenario, first.report.strategy, elapsedMs);
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    ...summary,
    scenarioPath: first.report.scenarioPath ?? null,
    scenarioHash: first.report.scenarioHash,
    requested: req,
    shard: null,
    failFast: reports.some((x) => x.report.failFast),
    interrupted: reports.some((x) => x.report.interrupted),
    missingSeedRanges: missingRanges([[req.start, req.start + req.count]], tally.ranges, null, req),
    elapsedMs,
    parts: reports.reduce((n, x) => n + (x.report.parts ?? 1), 0),
    // One scenario (its hash is checked above), so one list of faults; counts from the merged tally.
    faults: first.report.faults ? faultsOf(first.report.faults, tally) : null,
    tally,
    ...(first.report.strategyRef === undefined ? {} : { strategyRef: first.report.strategyRef }),
    ...(first.report.strategyHash === undefined ? {} : { strategyHash: first.report.strategyHash }),
    ...(first.report.search === undefined ? {} : { search: first.report.search }),
  };
}

function spanOf(rs: ReadonlyArray<readonly [number, number]>): { start: number; count: number } {
  if (rs.length === 0) return { start: 0, count: 0 };
  const lo = Math.min(...rs.map((r) => r[0]));
  const hi = Math.max(...rs.map((r) => r[1]));
  return { start: lo, count: hi - lo };
}

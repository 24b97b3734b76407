import { plural } from '../../report/plural.js';
import { defaultWorkers } from '../defaultWorkers.js';
import { sweepParallel } from '../../explore/parallel.js';
import { strategyIdentity } from '../../explore/strategyIdentity.js';
import { loadForCommand } from '../loadForCommand.js';
import { shardRange, type Shard } from '../../explore/shard.js';
import { sweepReport, sweepSearchOf, type SweepReport } from '../../explore/sweepReport.js';
import type { Divergence } from '../../explore/determinism.js';
import { formatDivergence } from '../../report/divergence.js';
import { formatSearchLines, formatSweepSummary, replayCommand } from '../../report/summary.js';
import { formatFaultRows, neverStruckWarnings } from '../../report/marks.js';
import { neverStruck } from '../../explore/marks.js';
import { sweepSuite } from '../../report/ciSuites.js';
import { colorsFor } from '../../report/colors.js';
import { num } from '../args.js';
import type { CommandSpec } from '../options.js';
import { REPORTER_OPTIONS, emitReporters, reportersOf } from '../reporterFlags.js';
import { shardOf, SHARD_COUNT_ENV, SHARD_INDEX_ENV } from '../shardFlag.js';
import { checkSeedRange } from '../../explore/seedRange.js';
import { type Io } from '../io.js';
import { runFlags, scenarioCommandArgs, scenarioFileOf, SCENARIO_ARG_HELP, SEARCH_OPTIONS, STRATEGY_OPTION, TIMING_OPTION } from '../scenarioArgs.js';
import { progressLine } from '../progress.js';
import { heapMbPerThread } from '../memoryBudget.js';
import { EXIT, UsageError } from '../../errors.js';
import { exitNow } from '../exit.js';
import { STOP_SIGNALS, signalExitCode } from '../signals.js';
import { TRUST_OPTIONS } from '../trust.js';
import { WATCHDOG_OPTIONS, watchdogFor, strategyNameWatched, formatSweepStall } from '../watchdog.js';

export const SWEEP_SPEC: CommandSpec = {
  name: 'sweep',
  summary: 'run many seeds and list the failing ones',
  usage: '<scenario> --seeds N [options]',
  description: `Runs seeds S..S+N-1 on worker threads and reports which ones break an invariant. The failing seeds are the same whatever the number of workers. ${SCENARIO_ARG_HELP}`,
  options: [
    { name: 'seeds', kind: 'int', value: 'N', min: 1, max: 100_000_000, help: 'how many seeds (required)' },
    { name: 'start', kind: 'seed', value: 'S', help: 'first seed (default 1)' },
    STRATEGY_OPTION,
    TIMING_OPTION,
    ...SEARCH_OPTIONS,
    { name: 'workers', kind: 'int', value: 'K', min: 1, max: 256, help: `worker threads (default: one per core, here ${defaultWorkers()})` },
    { name: 'shard', kind: 'string', value: 'i/n|auto', help: `run only the i-th of n contiguous slices of the seeds (a CI matrix, a Kubernetes Indexed Job); combine the --json outputs with oversold merge. "auto": i from $${SHARD_INDEX_ENV} (1-based) or $JOB_COMPLETION_INDEX (Kubernetes, 0-based), n from --shards or $${SHARD_COUNT_ENV}` },
    { name: 'shards', kind: 'int', value: 'N', min: 1, max: 100_000, help: 'the number of shards for --shard auto' },
    { name: 'fail-fast', kind: 'boolean', help: 'stop at the lowest failing seed (seeds after it are not reported)' },
    { name: 'check-determinism', kind: 'boolean', help: 'run every seed twice, the second time in other worker threads, and fail naming the first diverging trace event if traces differ' },
    { name: 'json', kind: 'boolean', help: 'print one JSON object (with the tally that oversold merge reads)' },
    { name: 'quiet', short: 'q', kind: 'boolean', help: 'no progress line (it is only drawn when stderr is a terminal)' },
    ...REPORTER_OPTIONS,
    ...WATCHDOG_OPTIONS,
    ...TRUST_OPTIONS,
  ],
  notes: 'Ctrl-C (or SIGTERM, SIGHUP) stops cleanly: prints what ran (headline INTERRUPTED) and the failing seeds so far (--json: interrupted: true), exits 130 (143, 129).',
  exit: '0 no seed broke an invariant, 1 some did (or a run was not deterministic), 2 bad input or usage, 130 (143, 129) interrupted by SIGINT (SIGTERM, SIGHUP).',
};

export { defaultWorkers };

export async function sweepCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = scenarioCommandArgs(SWEEP_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { values, path, scenario, strategyRef, search } = parsed;
  if (values.seeds === undefined) throw new UsageError('sweep needs --seeds N (how many seeds to run)');
  const count = num(values, 'seeds', 0);
  const start = num(values, 'start', 1);
  checkSeedRange(start, count, `--start ${start} --seeds ${count}`);
  const workers = num(values, 'workers', defaultWorkers());
  // Refused before anything runs if the threads would not fit in this machine's memory.
  const heapMb = heapMbPerThread(scenario, workers * (values['check-determinism'] === true ? 2 : 1));
  const shard: Shard | null = shardOf(values, io.env);
  const reporters = reportersOf(values);
  // Loaded first so a bad module is one clear error before the sweep starts; a user's module
  // in a watched thread (one that loops at its top level must not hang this one).
  const watchdog = watchdogFor(strategyRef, values, io);
  const strategy = { name: watchdog ? await strategyNameWatched(strategyRef, io.cwd, watchdog) : (await loadForCommand(strategyRef, io.cwd)).name };
  const slice = shard ? shardRange(start, count, shard) : { start, count };
  const failFast = values['fail-fast'] === true;

  const showProgress = io.stderrIsTTY && values.quiet !== true;
  const progress = progressLine(io, slice.count, showProgress);
  const abort = new AbortController();
  // SIGTERM and SIGHUP (a CI runner's or Kubernetes' timeout, a closed terminal) stop the
  // sweep like Ctrl-C: what ran is printed (--json: valid JSON, interrupted: true), and the
  // exit code is 128 + the signal's number (130, 143, 129).
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal means "now": the first one is waiting for runs in flight.
    if (abort.signal.aborted) exitNow(signalExitCode(stoppedBy ?? signal));
    stoppedBy = signal;
    abort.abort();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const t0 = io.wallMs(); // wall-clock: runs/s only
  let result: Awaited<ReturnType<typeof sweepParallel>>;
  try {
    result = await sweepParallel({
      scenario,
      strategy: strategyRef,
      cwd: io.cwd,
      start: slice.start,
      count: slice.count,
      workers,
      failFast,
      checkDeterminism: values['check-determinism'] === true,
      search,
      signal: abort.signal,
      // Only when a line is drawn: otherwise the workers need not wake this thread with counts.
      ...(showProgress ? { onProgress: (runs: number, failures: number) => progress.add(runs, failures) } : {}),
      watchdog,
      heapMbPerWorker: heapMb,
    });
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    progress.done();
  }
  const elapsedMs = io.wallMs() - t0; // wall-clock: runs/s only
  const report = sweepReport({ scenario, scenarioPath: path, strategy: strategy.name, strategyRef, strategyHash: strategyIdentity(strategyRef, io.cwd) ?? undefined, tally: result.tally, requested: { start, count }, shard, failFast, interrupted: result.interrupted, elapsedMs, search: sweepSearchOf(search, result.calm) });
  const flags = runFlags(values, search);
  const determinism = values['check-determinism'] === true ? { checked: true, divergence: result.divergence } : undefined;
  const stalled = result.stalled ? { stalled: result.stalled } : {};
  if (values.json) io.out(JSON.stringify(determinism ? { ...report, determinism, ...stalled } : { ...report, ...stalled }));
  else io.out(formatSweepReport(report, path, io, result.divergence, values['check-determinism'] === true, strategyRef, flags));
  // A claimed fault that never struck: the sweep's verdict says nothing about it (stderr under --json).
  for (const w of neverStruckWarnings(report.scenario, neverStruck(report.faults ?? [], report.runs), report.runs, colorsFor({ isTTY: values.json ? io.stderrIsTTY : io.stdoutIsTTY }, io.env))) {
    if (values.json) io.err(w);
    else io.out(w);
  }
  if (result.stalled && !values.json) io.out(formatSweepStall(result.stalled, report, io));
  if (result.divergence && values.json) io.err(formatDivergence(result.divergence));
  emitReporters([sweepSuite(report, (seed) => replayCommand(path, strategyRef, seed, flags), scenarioFileOf(path, io.cwd))], reporters, io, values.json === true);
  if (result.interrupted) return signalExitCode(stoppedBy ?? 'SIGINT');
  if (result.divergence || result.stalled) return EXIT.violated;
  return report.failingSeeds.length === 0 ? EXIT.ok : EXIT.violated;
}

/** The human report: the summary, then what a sharded, interrupted or checked sweep adds. */
export function formatSweepReport(r: SweepReport, path: string, io: Io, divergence: Divergence | null, checked: boolean, strategyRef: string = r.strategy, flags = ''): string {
  const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
  const lines = [formatSweepSummary(r, path, c, strategyRef, flags), ...formatSearchLines(r)];
  if (r.faults) lines.push(...formatFaultRows(r.faults, r.runs, c));
  if (r.shard) lines.push(`shard    ${r.shard.index}/${r.shard.count} of seeds ${r.requested.start}..${r.requested.start + r.requested.count - 1} (merge the --json outputs: oversold merge shard-*.json)`);
  if (r.interrupted) {
    const shown = r.failingSeeds.slice(0, 100).join(', ');
    const more = r.failingSeeds.length > 100 ? `, … and ${r.failingSeeds.length - 100} more (--json lists them all)` : '';
    lines.push(c.yellow(`interrupted after ${plural(r.runs, 'run')}; failing seeds so far: ${r.failingSeeds.length === 0 ? 'none' : shown + more}`));
  }
  if (r.missingSeedRanges.length > 0 && (r.interrupted || !r.failFast)) {
    lines.push(`not run  ${r.missingSeedRanges.map(([a, b]) => (b - a === 1 ? `seed ${a}` : `seeds ${a}..${b - 1}`)).join(', ')}`);
  }
  if (divergence) lines.push(c.red(formatDivergence(divergence)));
  else if (checked && !r.interrupted) lines.push(`${c.green('✓')} deterministic: every seed ran twice (the second time in other worker threads) with identical traces`);
  return lines.join('\n');
}

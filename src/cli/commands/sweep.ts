import { plural } from '../../report/plural.js';
import { availableParallelism } from 'node:os';
import { sweepParallel } from '../../explore/parallel.js';
import { strategyIdentity } from '../../explore/loadStrategy.js';
import { loadForCommand } from '../loadForCommand.js';
import { parseShard, shardRange, type Shard } from '../../explore/shard.js';
import { sweepReport, type SweepReport } from '../../explore/sweepReport.js';
import type { Divergence } from '../../explore/determinism.js';
import { formatDivergence } from '../../report/divergence.js';
import { formatSweepSummary } from '../../report/summary.js';
import { colorsFor } from '../../report/colors.js';
import { intFlag, seedFlag } from '../args.js';
import { checkSeedRange } from '../../explore/seedRange.js';
import { type Io } from '../io.js';
import { scenarioCommandArgs } from '../scenarioArgs.js';
import { progressLine } from '../progress.js';
import { TRUST_HELP } from '../trust.js';
import { heapMbPerThread } from '../memoryBudget.js';
import { EXIT, UsageError } from '../../errors.js';
import { exitNow } from '../exit.js';
import { STOP_SIGNALS, signalExitCode } from '../signals.js';
import { watchdogHelp, WATCHDOG_OPTIONS, watchdogFor, strategyNameWatched, formatSweepStall } from '../watchdog.js';

export const SWEEP_HELP = `oversold sweep <scenario.json> --seeds N [options]

Runs seeds S..S+N-1 on worker threads and reports which ones break an invariant. The
failing seeds are the same whatever the number of workers.

  --seeds N             how many seeds (required)
  --start S             first seed (default 1)
  --strategy S          built-in name or a path to your module
  --workers K           worker threads (default: one per core, here ${defaultWorkers()})
  --shard i/n           run only the i-th of n contiguous slices of the seeds (CI matrix,
                        Kubernetes indexed Job); combine the --json outputs with oversold merge
  --fail-fast           stop at the lowest failing seed (seeds after it are not reported)
  --check-determinism   run every seed twice, the second time in other worker threads,
                        and fail naming the first diverging trace event if traces differ
  --json                print one JSON object (with the tally that oversold merge reads)
  --quiet               no progress line (it is only drawn when stderr is a terminal)
${watchdogHelp(24)}
${TRUST_HELP.replace(/^ {22}/gm, ' '.repeat(24)).replace(/^(  --trust) {12}/, '$1' + ' '.repeat(14))}
Ctrl-C (or SIGTERM, SIGHUP) stops cleanly: prints what ran and the failing seeds so far
(--json: interrupted: true), exits 130 (143, 129).
Exit: 0 no seed broke an invariant, 1 some did (or a run was not deterministic), 2 bad input or usage.`;

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 16));
}

export async function sweepCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = scenarioCommandArgs('sweep', argv, {
    seeds: { type: 'string' },
    start: { type: 'string' },
    strategy: { type: 'string' },
    workers: { type: 'string' },
    shard: { type: 'string' },
    'fail-fast': { type: 'boolean' },
    'check-determinism': { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    ...WATCHDOG_OPTIONS,
  }, SWEEP_HELP, 'oversold sweep <scenario.json> --seeds N', io);
  if (parsed === null) return EXIT.ok;
  const { values, path, scenario, strategyRef } = parsed;
  if (values.seeds === undefined) throw new UsageError('sweep needs --seeds N (how many seeds to run)');
  const count = intFlag(values.seeds, '--seeds', 0, 1, 100_000_000);
  const start = seedFlag(values.start, '--start', 1);
  checkSeedRange(start, count, `--start ${start} --seeds ${count}`);
  const workers = intFlag(values.workers, '--workers', defaultWorkers(), 1, 256);
  // Refused before anything runs if the threads would not fit in this machine's memory.
  const heapMb = heapMbPerThread(scenario, workers * (values['check-determinism'] === true ? 2 : 1));
  const shard: Shard | null = typeof values.shard === 'string' ? parseShard(values.shard) : null;
  // Loaded first so a bad module is one clear error before the sweep starts; a user's module
  // in a watched thread (one that loops at its top level must not hang this one).
  const watchdog = watchdogFor(strategyRef, values, io);
  const strategy = { name: watchdog ? await strategyNameWatched(strategyRef, io.cwd, watchdog) : (await loadForCommand(strategyRef, io.cwd)).name };
  const slice = shard ? shardRange(start, count, shard) : { start, count };
  const failFast = values['fail-fast'] === true;

  const progress = progressLine(io, slice.count, io.stderrIsTTY && values.quiet !== true);
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
      signal: abort.signal,
      onProgress: (runs, failures) => progress.add(runs, failures),
      watchdog,
      heapMbPerWorker: heapMb,
    });
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    progress.done();
  }
  const elapsedMs = io.wallMs() - t0; // wall-clock: runs/s only
  const report = sweepReport({ scenario, scenarioPath: path, strategy: strategy.name, strategyRef, strategyHash: strategyIdentity(strategyRef, io.cwd) ?? undefined, tally: result.tally, requested: { start, count }, shard, failFast, interrupted: result.interrupted, elapsedMs });
  const determinism = values['check-determinism'] === true ? { checked: true, divergence: result.divergence } : undefined;
  const stalled = result.stalled ? { stalled: result.stalled } : {};
  if (values.json) io.out(JSON.stringify(determinism ? { ...report, determinism, ...stalled } : { ...report, ...stalled }));
  else io.out(formatSweepReport(report, path, io, result.divergence, values['check-determinism'] === true, strategyRef));
  if (result.stalled && !values.json) io.out(formatSweepStall(result.stalled, report, io));
  if (result.divergence && values.json) io.err(formatDivergence(result.divergence));
  if (result.interrupted) return signalExitCode(stoppedBy ?? 'SIGINT');
  if (result.divergence || result.stalled) return EXIT.violated;
  return report.failingSeeds.length === 0 ? EXIT.ok : EXIT.violated;
}

/** The human report: the summary, then what a sharded, interrupted or checked sweep adds. */
export function formatSweepReport(r: SweepReport, path: string, io: Io, divergence: Divergence | null, checked: boolean, strategyRef: string = r.strategy): string {
  const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
  const lines = [formatSweepSummary(r, path, c, strategyRef)];
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

import { plural } from '../../report/plural.js';
import { readSweepReport, mergeSweepReports } from '../../explore/sweepReport.js';
import { formatSearchLines, formatSweepSummary, replayCommand } from '../../report/summary.js';
import { searchFlags } from '../../explore/search.js';
import { formatFaultRows, neverStruckWarnings } from '../../report/marks.js';
import { neverStruck } from '../../explore/marks.js';
import { colorsFor } from '../../report/colors.js';
import { parseOrHelp } from '../command.js';
import type { CommandSpec } from '../options.js';
import { REPORTER_OPTIONS, emitReporters, reportersOf } from '../reporterFlags.js';
import { sweepSuite } from '../../report/ciSuites.js';
import { scenarioFileOf } from '../scenarioArgs.js';
import type { Io } from '../io.js';
import { EXIT, UsageError } from '../../errors.js';

export const MERGE_SPEC: CommandSpec = {
  name: 'merge',
  summary: 'combine sweep --json results (shards)',
  usage: '<sweep.json>... [--json]',
  description: 'Combines the --json outputs of sweeps of one scenario and strategy (the shards of a --shard i/n matrix, or ranges run on different machines) into one result, as if one sweep had run them all. Refuses results of different scenarios or strategies, and results whose seed ranges overlap; reports seeds of the range that no result covers.',
  options: [
    { name: 'json', kind: 'boolean', help: 'print the merged result in the same format (it can be merged again)' },
    ...REPORTER_OPTIONS,
  ],
  exit: '0 no seed broke an invariant, 1 some did, 2 bad input or usage.',
};

export async function mergeCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrHelp(MERGE_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { positionals, values } = parsed;
  const reporters = reportersOf(values);
  if (positionals.length === 0) throw new UsageError('merge takes the sweep results to combine: oversold merge results/*.json');
  const merged = mergeSweepReports(positionals.map((file) => ({ file, report: readSweepReport(file) })));
  const flags = searchFlags(merged.search);
  const gaps = merged.missingSeedRanges.map(([a, b]) => (b - a === 1 ? `seed ${a}` : `seeds ${a}..${b - 1}`)).join(', ');
  if (values.json) {
    io.out(JSON.stringify(merged));
    if (gaps) io.err(`oversold merge: warning: no result covers ${gaps}`);
    for (const w of neverStruckWarnings(merged.scenario, neverStruck(merged.faults ?? [], merged.runs), merged.runs, colorsFor({ isTTY: io.stderrIsTTY }, io.env))) io.err(w);
  } else {
    const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
    io.out(formatSweepSummary(merged, merged.scenarioPath ?? '<scenario.json>', c, merged.strategyRef ?? merged.strategy, flags));
    for (const line of formatSearchLines(merged)) io.out(line);
    if (merged.faults && merged.faults.length > 0) io.out(formatFaultRows(merged.faults, merged.runs, c).join('\n'));
    for (const w of neverStruckWarnings(merged.scenario, neverStruck(merged.faults ?? [], merged.runs), merged.runs, c)) io.out(w);
    io.out(`merged   ${plural(merged.parts, 'result')}, seeds ${merged.seedRanges.map(([a, b]) => `${a}..${b - 1}`).join(', ')}`);
    if (gaps) io.out(c.yellow(`missing  no result covers ${gaps} (a shard not merged, or one that stopped early)`));
  }
  emitReporters([sweepSuite(merged, (seed) => replayCommand(merged.scenarioPath ?? '<scenario.json>', merged.strategy, seed, flags), merged.scenarioPath === null ? null : scenarioFileOf(merged.scenarioPath, io.cwd))], reporters, io, values.json === true);
  return merged.failingSeeds.length === 0 ? EXIT.ok : EXIT.violated;
}

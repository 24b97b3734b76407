import { sweepInline, summarizeTally } from '../../explore/sweep.js';
import { loadStrategy } from '../../explore/loadStrategy.js';
import { formatSweepSummary } from '../../report/summary.js';
import { colorsFor } from '../../report/colors.js';
import { parseCommandArgs, intFlag, seedFlag } from '../args.js';
import { loadScenarioOrFail, type Io } from '../io.js';
import { EXIT, UsageError } from '../errors.js';

export const SWEEP_HELP = `oversold sweep <scenario.json> --seeds N [options]

Runs seeds S..S+N-1 and reports which ones break an invariant.

  --seeds N           how many seeds (required)
  --start S           first seed (default 1)
  --strategy S        built-in name or a path to your module
  --fail-fast         stop at the first failing seed
  --json              print one JSON object
Exit: 0 no seed broke an invariant, 1 some did, 2 bad input or usage.`;

export async function sweepCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, values } = parseCommandArgs('sweep', argv, {
    seeds: { type: 'string' },
    start: { type: 'string' },
    strategy: { type: 'string' },
    'fail-fast': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(SWEEP_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('sweep takes exactly one scenario file: oversold sweep <scenario.json> --seeds N');
  if (values.seeds === undefined) throw new UsageError('sweep needs --seeds N (how many seeds to run)');
  const count = intFlag(values.seeds, '--seeds', 0, 1, 100_000_000);
  const start = seedFlag(values.start, '--start', 1);
  const path = positionals[0];
  const scenario = loadScenarioOrFail(path);
  const strategy = await loadStrategy(typeof values.strategy === 'string' ? values.strategy : scenario.strategy.name, io.cwd);
  const t0 = io.wallMs();
  const tally = sweepInline(scenario, { start, count, strategy, failFast: values['fail-fast'] === true });
  const summary = summarizeTally(tally, scenario.name, strategy.name, io.wallMs() - t0);
  if (values.json) io.out(JSON.stringify(summary));
  else io.out(formatSweepSummary(summary, path, colorsFor({ isTTY: io.stdoutIsTTY }, io.env)));
  return summary.failingSeeds.length === 0 ? EXIT.ok : EXIT.violated;
}

import { dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnce } from '../../explore/run.js';
import { builtinStrategy } from '../../explore/run.js';
import { colorsFor } from '../../report/colors.js';
import { replayCommand } from '../../report/summary.js';
import { loadScenarioOrFail, type Io } from '../io.js';
import { EXIT } from '../errors.js';
import { parseCommandArgs, seedFlag } from '../args.js';

/** The package's own scenarios folder, wherever it is installed. */
export function packageScenario(name: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../scenarios', name);
}

/**
 * `npm start`: the flash sale with the naive strategy, shown in a few lines: how many vases
 * were sold that do not exist, which unit went to two orders, and how to replay it.
 */
export async function demoCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('demo', argv, { seed: { type: 'string' } });
  const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
  const file = packageScenario('flash-sale.json');
  const shown = relative(io.cwd, file) || file;
  const scenario = loadScenarioOrFail(file);
  const seed = seedFlag(values.seed, '--seed', 7);
  const naive = runOnce(scenario, { seed, strategy: builtinStrategy('naive') });
  const stock = scenario.items.reduce((n: number, it: { stock: number }) => n + it.stock, 0);
  io.out(c.bold(`oversold · ${scenario.name}: ${stock} vases, ${naive.orderRecords.length} buyers, ${scenario.topology.appServers} app servers, a DB ${scenario.network.delayMsMin}-${scenario.network.delayMsMax} ms away`));
  io.out('');
  io.out(`naive strategy (read stock, check, write stock - 1), seed ${seed}:`);
  io.out(`  ${naive.orders.placed} orders told ORDER_PLACED for ${stock} vases`);
  for (const v of naive.violations) io.out(`  ${c.red('✗')} ${c.bold(v.invariant)}: ${v.message}`);
  if (naive.violations.length === 0) io.out(`  ${c.green('✓')} no invariant broke on this seed (try another: npm start -- --seed 8)`);
  io.out('');
  io.out(`replay it:  ${c.cyan(replayCommand(shown, 'naive', seed))}`);
  io.out(`sweep it:   ${c.cyan(`npx oversold sweep ${shown} --strategy naive --seeds 200`)}`);
  return EXIT.ok;
}

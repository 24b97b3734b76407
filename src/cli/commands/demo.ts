import { dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnce, runToJson, builtinStrategy } from '../../explore/run.js';
import { sweepInline, summarizeTally, type SweepSummary } from '../../explore/sweep.js';
import { RARE_RACES, STRATEGIES } from '../../inventory/strategies/index.js';
import { colorsFor } from '../../report/colors.js';
import { replayCommand } from '../../report/summary.js';
import { loadScenarioOrFail, type Io } from '../io.js';
import { EXIT, UsageError } from '../../errors.js';
import { num } from '../args.js';
import { parseOrHelp } from '../command.js';
import type { CommandSpec } from '../options.js';

/** The package's own scenarios folder, wherever it is installed. */
export function packageScenario(name: string): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../scenarios', name);
}

export const DEMO_SPEC: CommandSpec = {
  name: 'demo',
  summary: 'the flash sale, naive vs the rest (npm start)',
  usage: '[options]',
  description: 'The flash sale with the naive strategy (seed N, default 7), then every built-in strategy over seeds 1..N (default 200) of the chaos scenario, side by side.',
  options: [
    { name: 'seed', kind: 'seed', value: 'N', help: 'the naive run\'s seed (default 7)' },
    { name: 'seeds', kind: 'int', value: 'N', min: 1, max: 100_000, help: 'seeds per strategy in the comparison (default 200)' },
    { name: 'json', kind: 'boolean', help: 'print { naive: <run --json fields>, comparison: [<sweep summary> + claimedSafe] }' },
  ],
  exit: '0 printed, 2 bad usage.',
};

/**
 * `npm start`: the flash sale with the naive strategy, shown in a few lines: how many vases
 * were sold that do not exist, which unit went to two orders, and how to replay it.
 */
export async function demoCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrHelp(DEMO_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`demo takes no arguments, got ${JSON.stringify(positionals[0])}`);
  const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
  const file = packageScenario('flash-sale.json');
  const shown = relative(io.cwd, file) || file;
  const scenario = loadScenarioOrFail(file, io.cwd);
  const seed = num(values, 'seed', 7);
  const naive = runOnce(scenario, { seed, strategy: builtinStrategy('naive') });
  const stock = scenario.items.reduce((n: number, it: { stock: number }) => n + it.stock, 0);
  const seeds = num(values, 'seeds', 200);
  if (values.json) {
    const rows = sweepAll(io, seeds);
    io.out(JSON.stringify({ naive: runToJson(naive), comparison: rows.map(({ safe, s }) => ({ ...s, claimedSafe: safe })) }));
    return EXIT.ok;
  }
  io.out(c.bold(`oversold · ${scenario.name}: ${stock} vases, ${naive.orderRecords.length} buyers, ${scenario.topology.appServers} app servers, a DB ${scenario.network.delayMsMin}-${scenario.network.delayMsMax} ms away`));
  io.out('');
  io.out(`naive strategy (read stock, check, write stock - 1), seed ${seed}:`);
  io.out(`  ${naive.orders.placed} orders told ORDER_PLACED for ${stock} vases`);
  for (const v of naive.violations) io.out(`  ${c.red('✗')} ${c.bold(v.invariant)}: ${v.message}`);
  if (naive.violations.length === 0) io.out(`  ${c.green('✓')} no invariant broke on this seed (try another: npm start -- --seed 8)`);
  io.out('');
  io.out(`replay it:  ${c.cyan(replayCommand(shown, 'naive', seed))}`);
  io.out(`sweep it:   ${c.cyan(`npx oversold sweep ${shown} --strategy naive --seeds 200`)}`);
  io.out('');
  compareStrategies(io, seeds);
  return EXIT.ok;
}

/**
 * Every built-in strategy but the rare races over seeds 1..seeds of the chaos scenario (the
 * rare races are for measuring searches, each on its own scenario: docs/strategies.md).
 */
function sweepAll(io: Io, seeds: number): Array<{ safe: boolean; s: SweepSummary }> {
  const scenario = loadScenarioOrFail(packageScenario('flash-sale-chaos.json'), io.cwd);
  const rows: Array<{ safe: boolean; s: SweepSummary }> = [];
  // The SQL strategies have scenarios of their own (scenarios/sql-*.json); the demo compares the counter designs.
  for (const strategy of STRATEGIES.values()) {
    if (RARE_RACES.includes(strategy) || strategy.sql === true) continue;
    const t0 = io.wallMs(); // wall-clock: runs/s only
    const tally = sweepInline(scenario, { start: 1, count: seeds, strategy });
    rows.push({ safe: strategy.safe, s: summarizeTally(tally, scenario.name, strategy.name, io.wallMs() - t0) });
  }
  return rows;
}

/** Every built-in strategy over the same seeds of the chaos scenario, one row each. */
function compareStrategies(io: Io, seeds: number): void {
  const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
  const file = packageScenario('flash-sale-chaos.json');
  const shown = relative(io.cwd, file) || file;
  const scenario = loadScenarioOrFail(file, io.cwd);
  io.out(c.bold(`every strategy under every Chapter 8 fault (${scenario.name}: ${scenario.items[0]?.stock ?? 0} vases, delays, lost requests and replies, duplicates, pauses past the lease, clock skew, a partition, a crash, declined payments), seeds 1..${seeds}:`));
  const rows = sweepAll(io, seeds);
  const header = ['strategy', 'claims', 'runs', 'violating', 'first seed', 'invariant', 'goodput', 'latency p50/p99'];
  const table = rows.map(({ safe, s }) => [
    s.strategy,
    safe ? 'safe' : 'broken',
    String(s.runs),
    String(s.failingSeeds.length),
    s.firstFailure ? String(s.firstFailure.seed) : '-',
    s.firstFailure?.invariant ?? '-',
    s.goodputMean.toFixed(2),
    `${s.latencyMs.p50}/${s.latencyMs.p99} ms`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  io.out('  ' + c.dim(line(header)));
  table.forEach((r, i) => {
    const { safe, s } = rows[i];
    const ok = s.failingSeeds.length === 0;
    const text = line(r);
    // A safe strategy that broke, or a broken one that was not caught, is the news: red.
    io.out('  ' + (ok === safe ? (ok ? c.green(text) : text) : c.red(text)));
  });
  const broken = rows.find((r) => r.s.firstFailure && !r.safe);
  if (broken?.s.firstFailure) {
    io.out('');
    io.out(`replay a caught race:  ${c.cyan(replayCommand(shown, broken.s.strategy, broken.s.firstFailure.seed))}`);
  }
}

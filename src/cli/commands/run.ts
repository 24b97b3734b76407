import { writeOutput } from '../outputFiles.js';
import { runOnce, runToJson, type RunResult } from '../../explore/run.js';
import { loadForCommand } from '../loadForCommand.js';
import { checkExpectation } from '../../explore/expect.js';
import { formatRunSummary, replayCommand } from '../../report/summary.js';
import { colorsFor } from '../../report/colors.js';
import { traceToJsonLines } from '../../sim/trace.js';
import { seedFlag } from '../args.js';
import { REPORT_HELP, REPORT_OPTIONS, emitReports, explainRun } from '../reportFlags.js';
import { explanationToJson } from '../../report/explain.js';
import { type Io } from '../io.js';
import { scenarioCommandArgs } from '../scenarioArgs.js';
import { TRUST_HELP } from '../trust.js';
import { heapMbPerThread } from '../memoryBudget.js';
import { EXIT } from '../../errors.js';
import { RUN_EXPLORE_HELP, RUN_EXPLORE_OPTIONS, runExploreAfter, runExploreNeeds } from './runExplore.js';
import { WATCHDOG_HELP, WATCHDOG_OPTIONS, watchdogFor, watchLimits, reportRunStall } from '../watchdog.js';
import { runIsolated, watched } from '../isolate.js';

export const RUN_HELP = `oversold run <scenario.json> [options]

Runs one simulation and judges it with every invariant.

  --seed N            root seed (default: the scenario's "seed")
  --strategy S        built-in name or a path to your module (./mine.ts)
  --json              print one JSON object (fields: docs/cli.md)
  --trace FILE        write the trace as JSON Lines
  --instant-db        strategies talk to InstantDB in-process (no network: the control)
  --check-expect      exit 0/1 by the scenario's "expect" block instead of the verdict
                      (only for the scenario's own strategy; another one is judged as usual)
${REPORT_HELP}
${RUN_EXPLORE_HELP}
${WATCHDOG_HELP}
${TRUST_HELP}
Exit: 0 every invariant held, 1 one broke, 2 bad input or usage.`;

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = scenarioCommandArgs('run', argv, {
    seed: { type: 'string' },
    strategy: { type: 'string' },
    json: { type: 'boolean' },
    trace: { type: 'string' },
    'instant-db': { type: 'boolean' },
    'check-expect': { type: 'boolean' },
    ...REPORT_OPTIONS,
    ...RUN_EXPLORE_OPTIONS,
    ...WATCHDOG_OPTIONS,
  }, RUN_HELP, 'oversold run <scenario.json> [--seed N] [--strategy NAME]', io);
  if (parsed === null) return EXIT.ok;
  const { values, path, scenario, strategyRef } = parsed;
  const seed = seedFlag(values.seed, '--seed', scenario.seed);
  // A user's module runs in a watched worker thread: a loop without yield is a finding.
  const watchdog = watchdogFor(strategyRef, values, io);
  if (watchdog) return runIsolated('run', argv, io, watchdog, watchLimits(values), strategyRef, (stall) => reportRunStall(stall, { io, json: values.json === true, scenario: scenario.name, scenarioPath: path, strategyRef, seed }), { heapMb: heapMbPerThread(scenario, 1) });
  const strategy = watched(await loadForCommand(strategyRef, io.cwd), io);
  const needs = runExploreNeeds(values);
  const once = (keepTrace: boolean) => runOnce(scenario, { seed, strategy, keepTrace, instantDb: values['instant-db'] === true, recordChoices: needs.recordChoices });
  // One run always keeps its trace (it is small): explanations then never need a second run,
  // which a nondeterministic user strategy would not reproduce.
  const first: RunResult = once(true);
  const { run: r, explanations } = explainRun(first, () => once(true));
  if (typeof values.trace === 'string') writeOutput('--trace', values.trace, traceToJsonLines(r.trace ?? []), io.cwd);
  // A scenario's expectation is about its own strategy: comparing another one on the same
  // faults is a legitimate use, not a failed expectation.
  const expectation = strategy.name === scenario.strategy.name ? checkExpectation(scenario.expect, r.violations) : null;
  const explore = await runExploreAfter(r, { scenario, strategy, strategyRef, seed, instantDb: values['instant-db'] === true, values, io });
  if (values.json) {
    io.out(JSON.stringify({ ...runToJson(r), expectation, explanations: explanations.map(explanationToJson), ...explore.json }));
  } else {
    io.out(formatRunSummary(r, path, colorsFor({ isTTY: io.stdoutIsTTY }, io.env), explanations, strategyRef));
    if (expectation) io.out(`expect   ${expectation.met ? 'met' : 'NOT met'}: ${expectation.description}`);
    else if (scenario.expect && strategy.name !== scenario.strategy.name) io.out(`expect   not checked: the scenario's expectation is for strategy ${scenario.strategy.name}`);
    for (const line of explore.lines) io.out(line);
  }
  emitReports(r, explanations, values, io, replayCommand(path, strategyRef, r.seed));
  if (explore.divergence) {
    if (values.json) io.err(explore.lines.at(-1) ?? '');
    return EXIT.violated;
  }
  if (values['check-expect'] && expectation !== null) return expectation.met ? EXIT.ok : EXIT.violated;
  return r.verdict === 'ok' ? EXIT.ok : EXIT.violated;
}

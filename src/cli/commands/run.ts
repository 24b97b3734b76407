import { writeOutput } from '../outputFiles.js';
import { runOnce, runToJson, type RunResult } from '../../explore/run.js';
import { loadForCommand } from '../loadForCommand.js';
import { checkExpectation } from '../../explore/expect.js';
import { formatRunSummary, replayCommand } from '../../report/summary.js';
import { colorsFor } from '../../report/colors.js';
import { traceToJsonLines } from '../../sim/trace.js';
import { seedFlag } from '../args.js';
import type { CommandSpec } from '../options.js';
import { REPORT_OPTIONS, emitReports, explainRun } from '../reportFlags.js';
import { explanationToJson } from '../../report/explain.js';
import { outputWidth, type Io } from '../io.js';
import { runFlags, scenarioCommandArgs, SCENARIO_ARG_HELP, SEARCH_OPTIONS, STRATEGY_OPTION, TIMING_OPTION } from '../scenarioArgs.js';
import { TRUST_OPTIONS } from '../trust.js';
import { heapMbPerThread } from '../memoryBudget.js';
import { EXIT } from '../../errors.js';
import { RUN_EXPLORE_OPTIONS, runExploreAfter, runExploreNeeds } from './runExplore.js';
import { WATCHDOG_OPTIONS, watchdogFor, watchLimits, reportRunStall } from '../watchdog.js';
import { runIsolated, watched } from '../isolate.js';

export const RUN_SPEC: CommandSpec = {
  name: 'run',
  summary: 'run one scenario with one seed and judge it',
  usage: '<scenario> [options]',
  description: `Runs one simulation and judges it with every invariant. ${SCENARIO_ARG_HELP}`,
  options: [
    { name: 'seed', kind: 'seed', value: 'N', help: 'root seed, a whole number from 0 to 4294967295 (default: the scenario\'s "seed")' },
    STRATEGY_OPTION,
    TIMING_OPTION,
    ...SEARCH_OPTIONS,
    { name: 'json', kind: 'boolean', help: 'print one JSON object (fields: docs/cli.md)' },
    { name: 'trace', kind: 'string', value: 'FILE', help: 'write the trace as JSON Lines' },
    { name: 'instant-db', kind: 'boolean', help: 'strategies talk to InstantDB in-process (no network: the control)' },
    { name: 'check-expect', kind: 'boolean', help: 'exit 0/1 by the scenario\'s "expect" block instead of the verdict (only for the scenario\'s own strategy; another one is judged as usual)' },
    ...REPORT_OPTIONS,
    ...RUN_EXPLORE_OPTIONS,
    ...WATCHDOG_OPTIONS,
    ...TRUST_OPTIONS,
  ],
  exit: '0 every invariant held, 1 one broke, 2 bad input or usage.',
};

export async function runCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = scenarioCommandArgs(RUN_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { values, path, scenario, strategyRef, search } = parsed;
  const seed = seedFlag(values.seed, '--seed', scenario.seed);
  // A user's module runs in a watched worker thread: a loop without yield is a finding.
  const watchdog = watchdogFor(strategyRef, values, io);
  if (watchdog) return runIsolated('run', argv, io, watchdog, watchLimits(values), strategyRef, (stall) => reportRunStall(stall, { io, json: values.json === true, scenario: scenario.name, scenarioPath: path, strategyRef, seed, flags: runFlags(values, search) }), { heapMb: heapMbPerThread(scenario, 1) });
  const strategy = watched(await loadForCommand(strategyRef, io.cwd), io);
  const needs = runExploreNeeds(values);
  const once = (keepTrace: boolean) => runOnce(scenario, { seed, strategy, keepTrace, instantDb: values['instant-db'] === true, recordChoices: needs.recordChoices, search });
  // One run always keeps its trace (it is small): explanations then never need a second run,
  // which a nondeterministic user strategy would not reproduce.
  const first: RunResult = once(true);
  const { run: r, explanations } = explainRun(first, () => once(true));
  if (typeof values.trace === 'string') writeOutput('--trace', values.trace, traceToJsonLines(r.trace ?? []), io.cwd);
  // A scenario's expectation is about its own strategy: comparing another one on the same
  // faults is a legitimate use, not a failed expectation.
  const expectation = strategy.name === scenario.strategy.name ? checkExpectation(scenario.expect, r.violations, r.goodput) : null;
  const explore = await runExploreAfter(r, { scenario, strategy, strategyRef, seed, instantDb: values['instant-db'] === true, values, io, search });
  if (values.json) {
    io.out(JSON.stringify({ ...runToJson(r), expectation, explanations: explanations.map(explanationToJson), ...explore.json }));
  } else {
    io.out(formatRunSummary(r, path, colorsFor({ isTTY: io.stdoutIsTTY }, io.env), explanations, strategyRef, outputWidth(io), runFlags(values, search)));
    if (expectation) io.out(`expect   ${expectation.met ? 'met' : 'NOT met'}: ${expectation.description}`);
    else if (scenario.expect && strategy.name !== scenario.strategy.name) io.out(`expect   not checked: the scenario's expectation is for strategy ${scenario.strategy.name}`);
    for (const line of explore.lines) io.out(line);
  }
  emitReports(r, explanations, values, io, replayCommand(path, strategyRef, r.seed, runFlags(values, search)));
  if (explore.divergence) {
    if (values.json) io.err(explore.lines.at(-1) ?? '');
    return EXIT.violated;
  }
  if (values['check-expect'] && expectation !== null) return expectation.met ? EXIT.ok : EXIT.violated;
  return r.verdict === 'ok' ? EXIT.ok : EXIT.violated;
}

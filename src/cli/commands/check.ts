import { plural } from '../../report/plural.js';
import { shownPath } from '../shownPath.js';
import { loadForCommand } from '../loadForCommand.js';
import { checkStrategy } from '../../explore/check.js';
import { REPLAY_DIR, counterexampleRun, writeCounterexample } from '../../explore/property.js';
import { checkPathProblem } from '../../explore/checkPath.js';
import { writeErrorText } from '../outputFiles.js';
import { TRUST_OPTIONS } from '../trust.js';
import { heapMbPerThread } from '../memoryBudget.js';
import { isStrategyPath } from '../../inventory/strategy.js';
import { formatCounterexample } from '../../report/counterexample.js';
import { checkSuite } from '../../report/ciSuites.js';
import { explainViolations, explanationToJson, type Explanation } from '../../report/explain.js';
import { describeKnobs } from '../../report/knobs.js';
import { CHECK_RUNS_DEFAULT } from '../../defaults.js';
import { colorsFor } from '../../report/colors.js';
import { formatCheckFaults, neverStruckWarnings } from '../../report/marks.js';
import { neverStruck } from '../../explore/marks.js';
import { num, type Parsed } from '../args.js';
import type { CommandSpec } from '../options.js';
import { REPORTER_OPTIONS, emitReporters, reportersOf } from '../reporterFlags.js';
import { REPORT_OPTIONS, emitReports, reportsNeedTrace } from '../reportFlags.js';
import { violationToJson, type RunResult } from '../../explore/run.js';
import { outputWidth, type Io } from '../io.js';
import { scenarioCommandArgs, scenarioFileOf, SCENARIO_ARG_HELP, STRATEGY_OPTION, TIMING_OPTION } from '../scenarioArgs.js';
import { EXIT, UsageError } from '../../errors.js';
import { progressLine } from '../progress.js';
import { WATCHDOG_MAX_S, WATCHDOG_OPTIONS, wallClockWatchdog, watchdogFor, watchLimits, NO_LIMITS, reportCheckStall } from '../watchdog.js';
import { runIsolated, watched, type Stall } from '../isolate.js';

export const CHECK_SPEC: CommandSpec = {
  name: 'check',
  summary: 'fast-check property: search and shrink a counterexample',
  usage: '<scenario> [options]',
  description: `A fast-check property: "no invariant breaks", over lists of choices (delays, losses, duplicates, pauses, arrival times: 0 is always the calm answer) and small perturbations of the scenario (fewer orders, less stock, each of its faults on or off: swarm testing). On failure it prints the shrunk counterexample in words, explains the anomaly and writes a replay file. ${SCENARIO_ARG_HELP}`,
  options: [
    STRATEGY_OPTION,
    TIMING_OPTION,
    { name: 'runs', kind: 'int', value: 'N', min: 1, max: 10_000_000, help: `property runs before giving up (default ${CHECK_RUNS_DEFAULT})` },
    { name: 'seed', kind: 'seed', value: 'S', help: 'fast-check seed (default: the scenario\'s "seed": a check is reproducible unless told otherwise)' },
    { name: 'path', kind: 'string', value: 'P', help: 'fast-check path printed by a failure: with its --seed, replays that case' },
    { name: 'replay-file', kind: 'string', value: 'F', help: `where to write the replay file (default ${REPLAY_DIR}/<scenario>-<strategy>-<seed>-<hash>.json, named by a hash of its content: it never overwrites another counterexample)` },
    { name: 'no-swarm', kind: 'boolean', help: 'keep the scenario exactly as written (only the choices vary)' },
    { name: 'json', kind: 'boolean', help: 'print one JSON object: {found, runs, replayFile, seed, path, shrunkChoices, violations, explanations, ...}' },
    { name: 'quiet', short: 'q', kind: 'boolean', help: 'no progress line (it is only drawn when stderr is a terminal; it counts every simulation run, shrinking included)' },
    ...REPORT_OPTIONS,
    ...REPORTER_OPTIONS,
    ...WATCHDOG_OPTIONS,
    ...TRUST_OPTIONS,
  ],
  notes: '--timeline and --html picture the shrunk counterexample.\n\nCtrl-C (or SIGTERM, SIGHUP) stops it: it prints the counterexample found so far (shrunk as far as it got) or none, --json with interrupted: true, and exits 130 (143, 129).',
  exit: '0 no counterexample, 1 a counterexample was found, 2 bad input or usage.',
};

export async function checkCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = scenarioCommandArgs(CHECK_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { values, path: file, scenario, strategyRef } = parsed;
  const reporters = reportersOf(values);
  const numRuns = num(values, 'runs', CHECK_RUNS_DEFAULT);
  const seed = num(values, 'seed', scenario.seed);
  const path = typeof values.path === 'string' ? values.path : undefined;
  const pathProblem = path === undefined ? null : checkPathProblem(path, numRuns);
  if (pathProblem) throw new UsageError(pathProblem);
  // A user's module runs in a watched worker thread: a loop without yield is a finding.
  const watchdog = watchdogFor(strategyRef, values, io);
  const onStall = (stall: Stall) => reportCheckStall(stall, { io, json: values.json === true, scenario: scenario.name, scenarioPath: file, strategyRef, seed, scenarioSeed: scenario.seed });
  if (watchdog) return runIsolated('check', argv, io, watchdog, watchLimits(values), strategyRef, onStall, { stopSignals: true, heapMb: heapMbPerThread(scenario, 1) });
  // A built-in strategy runs in a thread too when signals are ours to handle (the CLI's own
  // process): fast-check is synchronous, so only another thread can hear a signal and ask it
  // to stop (and print the counterexample so far).
  if (io.ownsProcess === true && !io.isolated && !isStrategyPath(strategyRef)) {
    return runIsolated('check', argv, io, wallClockWatchdog(WATCHDOG_MAX_S, NO_LIMITS)!, NO_LIMITS, strategyRef, onStall, { userCode: false, stopSignals: true, heapMb: heapMbPerThread(scenario, 1) });
  }
  // The progress line counts runs as the strategy sees them start (fast-check has no hook).
  const showProgress = io.stderrIsTTY && values.quiet !== true;
  const loaded = await loadForCommand(strategyRef, io.cwd);
  const progress = progressLine(io, numRuns, showProgress, undefined, { failures: false, pastTotal: 'shrinking' });
  const strategy = watched(loaded, io, showProgress ? () => progress.add(1, 0) : undefined);
  let result: ReturnType<typeof checkStrategy>;
  try {
    const hb = io.isolated?.heartbeat;
    result = checkStrategy(scenario, strategy, { numRuns, seed, path, swarm: values['no-swarm'] !== true, ...(hb ? { shouldStop: () => hb.stopRequested() } : {}) });
  } finally {
    progress.done();
  }
  const ce = result.counterexample;
  let replayFile: string | null = null;
  // A replay file that cannot be written must not cost the counterexample: it is printed
  // first, then the write's failure is bad input (exit 2), after the report.
  let writeFailed: string | null = null;
  if (ce) {
    const target = typeof values['replay-file'] === 'string' ? values['replay-file'] : null;
    try {
      replayFile = shownPath(io.cwd, writeCounterexample(result, strategyRef, target, io.cwd, scenario.name, strategy.name));
    } catch (e) {
      writeFailed = `${target === null ? `the replay file (in ${REPLAY_DIR})` : `--replay-file ${target}`}: cannot write it (${writeErrorText(e)}); the counterexample above is not saved`;
    }
  }
  const finish = (code: number): number => {
    if (writeFailed === null) return code;
    io.err(`oversold check: ${writeFailed}`);
    return EXIT.badInput;
  };
  // The counterexample again with its trace: the anomaly behind each violation, in words.
  const traced = ce ? counterexampleRun(ce, strategy) : null;
  const explanations: Explanation[] = traced ? explainViolations(traced.violations, traced.trace ?? []) : [];
  const report = ce ? formatCounterexample(result, { scenarioArg: file, strategyArg: strategyRef, scenario, replayFile, explanations, width: outputWidth(io) }) : '';
  const suite = checkSuite({ scenario: scenario.name, strategy: strategy.name, runs: result.runs, violations: ce ? ce.violations : [], report }, scenarioFileOf(file, io.cwd));
  if (values.json) {
    io.out(JSON.stringify({
      found: result.found,
      scenario: scenario.name,
      strategy: strategy.name,
      runs: result.runs,
      shrinks: result.shrinks,
      replayFile,
      seed: result.seed,
      path: result.path,
      shrunkChoices: ce ? ce.shrunkChoices : [],
      violations: ce ? ce.violations.map(violationToJson) : [],
      explanations: explanations.map(explanationToJson),
      knobs: ce ? ce.knobs : null,
      scenarioChanges: ce ? describeKnobs(scenario, ce.knobs) : null,
      answers: ce ? ce.answers : [],
      traceHash: ce ? ce.run.traceHash : null,
      interrupted: result.interrupted === true,
      faultRuns: result.faultRuns,
      faults: result.faults,
    }));
    if (!ce) for (const w of neverStruckWarnings(scenario.name, neverStruck(result.faults, result.faultRuns), result.faultRuns, colorsFor({ isTTY: io.stderrIsTTY }, io.env))) io.err(w);
    emitReporters([suite], reporters, io, true);
    if (traced) pictures(traced, explanations, values, io, replayFile);
    return finish(ce ? EXIT.violated : EXIT.ok);
  }
  const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
  if (result.interrupted) io.out(c.yellow(`interrupted after ${plural(result.runs, 'property run')}${ce ? ': the counterexample as far as it was shrunk' : ': no counterexample so far'}`));
  if (!ce && result.interrupted) return finish(EXIT.ok);
  // A claimed fault that never struck is worth a warning only after a search that found nothing.
  const faultLines = [...formatCheckFaults(result.faults, result.faultRuns, c), ...(ce ? [] : neverStruckWarnings(scenario.name, neverStruck(result.faults, result.faultRuns), result.faultRuns, c))];
  if (!ce) {
    io.out(`${c.green(c.bold('OK'))}  ${c.bold(scenario.name)} · strategy ${c.bold(strategy.name)} · no invariant broke in ${plural(result.runs, 'property run')} (fast-check seed ${result.seed}${values['no-swarm'] ? ', no swarm' : ', swarm'})`);
    if (faultLines.length > 0) io.out(faultLines.join('\n'));
    emitReporters([suite], reporters, io, false);
    return EXIT.ok;
  }
  io.out(`${c.red(c.bold('FOUND'))}  ${c.bold(scenario.name)} · strategy ${c.bold(strategy.name)}`);
  io.out(report);
  if (faultLines.length > 0) io.out(faultLines.join('\n'));
  emitReporters([suite], reporters, io, false);
  pictures(traced!, explanations, values, io, replayFile);
  return finish(EXIT.violated);
}

/** --timeline / --html of the shrunk counterexample, replayed from its choice list with its trace. */
function pictures(run: RunResult, explanations: readonly Explanation[], values: Parsed['values'], io: Io, replayFile: string | null): void {
  if (!reportsNeedTrace(values)) return;
  emitReports(run, explanations, values, io, replayFile === null ? 'oversold check' : `npx oversold replay ${replayFile}`);
}

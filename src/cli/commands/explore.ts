import { formatFaultRows } from '../../report/marks.js';
import { addFaultRows, type FaultRow } from '../../explore/marks.js';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { agreeing, plural } from '../../report/plural.js';
import { shownPath } from '../shownPath.js';
import { loadForCommand } from '../loadForCommand.js';
import { REPLAY_DIR } from '../../explore/property.js';
import { writeReplayFile, writeReplayFileByContent } from '../../explore/replayFile.js';
import { writeErrorText } from '../outputFiles.js';
import { colorsFor } from '../../report/colors.js';
import type { CommandSpec } from '../options.js';
import { REPORTER_OPTIONS, emitReporters, reportersOf } from '../reporterFlags.js';
import { violationToJson } from '../../explore/run.js';
import type { Io } from '../io.js';
import { scenarioCommandArgs, scenarioFileOf, SCENARIO_ARG_HELP, STRATEGY_OPTION } from '../scenarioArgs.js';
import { EXIT, InputError, UsageError } from '../../errors.js';
import { progressLine } from '../progress.js';
import { STOP_SIGNALS, signalExitCode } from '../signals.js';
import { BOUND_FLAGS, scenarioBounds, type FaultBounds } from '../../explore/exhaustive/bounds.js';
import { DEFAULT_SEMANTICS, SEMANTICS_NAMES, SEMANTICS_TEXTS, type Semantics } from '../../explore/exhaustive/semantics.js';
import { searchSchedules, type ExploreSearch } from '../../explore/exhaustive/search.js';
import { concludeSearch } from '../../explore/exhaustive/explore.js';
import { parseCursor, type Cursor } from '../../explore/exhaustive/cursor.js';
import { exploreSuite } from '../../report/ciSuites.js';
import { WATCHDOG_OPTIONS, watchdogFor, watchLimits, reportExploreStall } from '../watchdog.js';
import { runIsolated, watched, type Stall } from '../isolate.js';
import { heapMbPerThread } from '../memoryBudget.js';
import { searchParallel, type ParallelExploreSearch } from '../../explore/exhaustive/parallel.js';
import { WorkerStalledError } from '../../explore/pool.js';

const EXECUTIONS_DEFAULT = 1_000_000;
/** Executions per slice: between slices the event loop hears Ctrl-C. */
const SLICE = 100;
export const CURSOR_DIR = '.oversold/explore';
const BOUND_OPTIONS = (Object.keys(BOUND_FLAGS) as (keyof FaultBounds)[]).map((k) => ({
  name: BOUND_FLAGS[k],
  kind: 'int' as const,
  value: 'N',
  min: 0,
  max: 5,
  help: `at most N ${BOUND_FLAGS[k].replace('max-', '').replace('-', ' ')} per execution, placed everywhere one could strike (default 0)`,
}));

export const EXPLORE_SPEC: CommandSpec = {
  name: 'explore',
  summary: 'every schedule of a small scenario: a proof within bounds, or a confirmed counterexample',
  usage: '<scenario> [options]',
  description: `Stateless model checking: runs the scenario again and again, depth first over which pending event fires next and where up to the given number of faults strike, with dynamic partial-order reduction (DPOR with sleep sets) so that orders differing only in independent events run once. The semantics are timed (local time over zones): every event inside its window relative to the event that created it, timers exact, each node's events in time order, no order imposed between different nodes' clocks beyond that; --semantics untimed-causal keeps only lower bounds (docs/exploration.md, "explore"). A violation is replayed under the windowed model: "confirmed" (with a shrunk replay file) or "needs a timing the windows forbid". An exhausted search prints the proof statement: what was covered and what was not. ${SCENARIO_ARG_HELP}`,
  options: [
    STRATEGY_OPTION,
    { name: 'max-executions', kind: 'int', value: 'N', min: 1, max: 1_000_000_000, help: `stop after N executions (default ${EXECUTIONS_DEFAULT}); the result is then bounded and a cursor file lets --resume continue` },
    ...BOUND_OPTIONS,
    { name: 'semantics', kind: 'choice', value: 'S', choices: SEMANTICS_NAMES, help: `the time semantics proved under (default ${DEFAULT_SEMANTICS}): timed (every event inside its window, local time per node) or untimed-causal (windows bound only from below: more schedules, more executions)` },
    { name: 'no-reduction', kind: 'boolean', help: 'no DPOR, no sleep sets: every order of every enabled event (to check the reduction)' },
    { name: 'workers', kind: 'int', value: 'K', min: 1, max: 256, help: 'split the search tree into subtrees run on K worker threads (default 1: in this thread); the verdict and the final states are those of one worker (docs/exploration.md, "--workers")' },
    { name: 'resume', kind: 'string', value: 'FILE', help: 'continue a bounded search from its cursor file (same scenario, strategy, bounds)' },
    { name: 'cursor', kind: 'string', value: 'FILE', help: `where a bounded search writes its cursor (default ${CURSOR_DIR}/<scenario>-<strategy>.cursor.json)` },
    { name: 'replay-file', kind: 'string', value: 'F', help: `where to write a confirmed violation's replay file (default ${REPLAY_DIR}/<scenario>-<strategy>-explore-<hash>.json)` },
    { name: 'json', kind: 'boolean', help: 'print one JSON object: {executions, blocked, finalStates, exhausted, bounded, violations, confirmed, replayFile, cursorFile, semantics, bounds, statement, notCovered, ...}' },
    { name: 'quiet', short: 'q', kind: 'boolean', help: 'no progress line (drawn only when stderr is a terminal)' },
    ...REPORTER_OPTIONS,
    ...WATCHDOG_OPTIONS,
  ],
  notes: 'Ctrl-C (or SIGTERM, SIGHUP) stops it between executions (with --workers, every thread after its current execution): it prints what was covered, writes the cursor and exits 130 (143, 129).\n\nExample: oversold explore scenarios/explore-small.json --strategy conditional-decrement --max-drops 1 --max-pauses 1',
  exit: '0 exhausted with no violation (a proof within the stated bounds) or bounded with none found so far, 1 a violation was found (confirmed or not: the proof fails), 2 bad input or usage.',
};

export async function exploreCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = scenarioCommandArgs(EXPLORE_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { values, path: file, scenario, strategyRef } = parsed;
  const reporters = reportersOf(values);
  const bounds: Partial<Record<keyof FaultBounds, number>> = {};
  for (const k of Object.keys(BOUND_FLAGS) as (keyof FaultBounds)[]) {
    const v = values[BOUND_FLAGS[k]];
    if (typeof v === 'number') bounds[k] = v;
  }
  const budget = typeof values['max-executions'] === 'number' ? values['max-executions'] : EXECUTIONS_DEFAULT;
  const reduction = values['no-reduction'] !== true;
  const semantics: Semantics = typeof values.semantics === 'string' ? (values.semantics as Semantics) : DEFAULT_SEMANTICS;
  const workers = typeof values.workers === 'number' ? values.workers : 1;
  let cursor: Cursor | undefined;
  if (typeof values.resume === 'string') {
    const abs = resolve(io.cwd, values.resume);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      throw new InputError(`--resume ${values.resume}: cannot read it (${writeErrorText(e)})`);
    }
    try {
      cursor = parseCursor(text, values.resume);
    } catch (e) {
      throw new InputError((e as Error).message);
    }
    if (cursor.scenario !== scenario.name) throw new InputError(`--resume ${values.resume}: a cursor of scenario ${cursor.scenario}, not ${scenario.name}`);
    Object.assign(bounds, cursor.bounds);
    if (cursor.reduction !== reduction) throw new InputError(`--resume ${values.resume}: the cursor was written ${cursor.reduction ? 'with' : 'without'} reduction; give the same flags`);
    const was = cursor.semantics ?? 'untimed-causal';
    if (was !== semantics) throw new InputError(`--resume ${values.resume}: the cursor was written under the ${was} semantics; give --semantics ${was}`);
  }
  // A user's module runs in a watched worker thread, as in check and run: a placeOrder that
  // loops without yielding is a liveness finding, never a hung search.
  const watchdog = watchdogFor(strategyRef, values, io);
  if (watchdog) {
    const onStall = (stall: Stall): number => reportExploreStall(stall, { io, json: values.json === true, scenario: scenario.name, scenarioPath: file, strategyRef, semantics: { name: semantics, text: SEMANTICS_TEXTS[semantics] }, bounds: { ...scenarioBounds(scenario), ...bounds } });
    return runIsolated('explore', argv, io, watchdog, watchLimits(values), strategyRef, onStall, { stopSignals: true, heapMb: heapMbPerThread(scenario, workers > 1 ? workers + 1 : 1) });
  }
  const strategy = watched(await loadForCommand(strategyRef, io.cwd), io);
  if (cursor && cursor.strategy !== strategy.name) throw new InputError(`--resume ${values.resume}: a cursor of strategy ${cursor.strategy}, not ${strategy.name}`);

  // Signals: heard between slices of executions (the search itself is synchronous).
  let signal: NodeJS.Signals | null = null;
  // In a watched thread the parent hears the signal and asks through the heartbeat.
  const hb = io.isolated?.heartbeat;
  const stopAsked = (): boolean => signal !== null || (hb !== undefined && hb.stopRequested());
  const onSignal = (s: NodeJS.Signals): void => {
    signal = s;
  };
  if (io.ownsProcess === true) for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const showProgress = io.stderrIsTTY && values.quiet !== true && values.json !== true;
  const progress = progressLine(io, budget, showProgress, undefined, { failures: false });
  const t0 = io.wallMs(); // wall-clock: elapsed time and rate in the report only
  let search: ExploreSearch | ParallelExploreSearch;
  let shown = cursor ? cursor.executions + cursor.blocked : 0;
  // A split cursor resumes split, whatever --workers says (K threads, 1 by default).
  const parallel = workers > 1 || cursor?.subtrees !== undefined;
  try {
    if (parallel) {
      const abort = new AbortController();
      // The search waits for its threads: a signal (or the isolating parent's request) aborts it.
      const poll = setInterval(() => { // wall-clock: polls for a stop request, decides nothing
        if (stopAsked()) abort.abort();
      }, 100);
      try {
        search = await searchParallel({
          scenario,
          strategy: strategyRef,
          strategyName: strategy.name,
          cwd: io.cwd,
          workers,
          bounds,
          reduction,
          semantics,
          maxExecutions: budget,
          resume: cursor,
          signal: abort.signal,
          onProgress: (n) => {
            shown += n;
            progress.add(n, 0);
          },
          heapMbPerWorker: heapMbPerThread(scenario, workers + 1),
        });
      } catch (e) {
        if (!(e instanceof WorkerStalledError)) throw e;
        progress.done();
        return reportExploreStall(
          { phase: e.phase, message: e.message, strategyName: strategy.name, runs: shown + 1, resource: e.resource },
          { io, json: values.json === true, scenario: scenario.name, scenarioPath: file, strategyRef, semantics: { name: semantics, text: SEMANTICS_TEXTS[semantics] }, bounds: { ...scenarioBounds(scenario), ...bounds } },
        );
      } finally {
        clearInterval(poll);
      }
    } else {
      // Each slice counts the faults of its own executions (a cursor carries no tally): sum them,
      // from the last restart on (a restart starts the search over, and its tally with it).
      let faults: readonly FaultRow[] | null = null;
      for (;;) {
        const done = cursor ? cursor.executions + cursor.blocked : 0;
        search = searchSchedules(scenario, strategy, { bounds, reduction, semantics, maxExecutions: Math.min(budget, done + SLICE), resume: cursor, shouldStop: stopAsked });
        faults = faults === null || search.restarts > 0 ? search.faults : addFaultRows(faults, search.faults);
        search = { ...search, faults };
        const now = search.executions + search.blocked;
        progress.add(now - shown, 0);
        shown = now;
        if (search.boundedBy !== 'budget' || now >= budget || search.cursor === null) break;
        cursor = search.cursor;
        await new Promise<void>((r) => setImmediate(r)); // wall-clock: yields to the event loop so a signal is heard; decides nothing
        if (stopAsked()) {
          search = { ...search, boundedBy: 'interrupted' };
          break;
        }
      }
    }
  } finally {
    progress.done();
    if (io.ownsProcess === true) for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
  const elapsedMs = Math.max(1, io.wallMs() - t0);
  const result = concludeSearch(search, strategy, { strategyRef });
  const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);

  let replayFile: string | null = null;
  let cursorFile: string | null = null;
  const problems: string[] = [];
  if (result.replay) {
    const target = typeof values['replay-file'] === 'string' ? values['replay-file'] : null;
    try {
      const abs = target === null ? writeReplayFileByContent(REPLAY_DIR, `${scenario.name}-${strategy.name}-explore`, result.replay, io.cwd) : writeReplayFile(target, result.replay, io.cwd);
      replayFile = shownPath(io.cwd, abs);
    } catch (e) {
      problems.push(`the replay file: cannot write it (${writeErrorText(e)})`);
    }
  }
  if (search.cursor !== null && result.violations.length === 0) {
    const target = typeof values.cursor === 'string' ? values.cursor : `${CURSOR_DIR}/${scenario.name}-${strategy.name}.cursor.json`;
    try {
      const abs = resolve(io.cwd, target);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, JSON.stringify(search.cursor));
      cursorFile = shownPath(io.cwd, abs);
    } catch (e) {
      problems.push(`the cursor file ${target}: cannot write it (${writeErrorText(e)})`);
    }
  }
  const rate = Math.round(((search.executions + search.blocked) * 1000) / elapsedMs);
  const suite = exploreSuite({ scenario: scenario.name, strategy: strategy.name, statement: result.proof.statement, exhausted: search.exhausted, violations: result.violations, confirmed: result.confirmed, replayFile }, scenarioFileOf(file, io.cwd));
  const interrupted = stopAsked();
  // In a watched thread the parent turns 0 or 1 into the signal's exit code.
  const code = signal !== null ? signalExitCode(signal) : result.violations.length > 0 ? EXIT.violated : EXIT.ok;
  if (values.json) {
    io.out(JSON.stringify({
      ...result.proof,
      violations: result.violations.map(violationToJson),
      confirmed: result.confirmed,
      replayFile,
      answers: result.replay?.answers ?? [],
      choices: result.choices,
      cursorFile,
      faults: search.faults,
      interrupted,
      elapsedMs: Math.round(elapsedMs),
      executionsPerSecond: rate,
      workers,
    }));
    emitReporters([suite], reporters, io, true);
  } else {
    const head = result.violations.length > 0 ? c.red(c.bold('FOUND')) : search.exhausted ? c.green(c.bold('PROVED')) : c.yellow(c.bold('BOUNDED'));
    io.out(`${head}  ${c.bold(scenario.name)} · strategy ${c.bold(strategy.name)}`);
    if (interrupted) io.out(c.yellow(`interrupted after ${plural(search.executions + search.blocked, 'execution')}`));
    if (result.violations.length > 0) {
      for (const v of result.violations) io.out(`  ${c.red('✗')} ${v.invariant}: ${v.message}`);
      io.out(result.confirmed
        ? result.replay?.scenario.timing === 'sampled'
          ? 'confirmed  a real run breaks it: concrete delays inside the windows (the explored order solved for real times, or a slow process)'
          : 'confirmed  the schedule replays under the windowed model (every event inside its window)'
        : 'unconfirmed  needs a timing the windows forbid: no concrete timing tried reproduces it');
      if (result.choices.length > 0) {
        io.out(result.confirmed ? `schedule   ${plural(result.choices.length, 'answer')} that ${agreeing(result.choices.length, 'matters', 'matter')} (every other was the calm default):` : 'events     the explored order (first 40):');
        for (const t of result.choices) io.out(`  ${t}`);
      }
      if (replayFile) io.out(`replay     npx oversold replay ${replayFile}`);
    }
    io.out(`statement  ${result.proof.statement}`);
    io.out(`semantics  ${result.proof.semantics.name}: ${result.proof.semantics.text}`);
    io.out(`not covered  ${result.proof.notCovered.join('; ')}`);
    for (const l of formatFaultRows(search.faults, search.executions, c, 'execution')) io.out(l);
    io.out(`time       ${(elapsedMs / 1000).toFixed(1)} s, ${rate} executions/s${search.exhausted ? '' : `; about ${search.estimate} executions in all (Knuth's estimate)`}`);
    if ('subtrees' in search) io.out(`workers    ${plural(search.workers, 'thread')} over ${plural(search.subtrees, 'subtree')} (${plural(search.splitExecutions, 'execution')} while splitting, each the first of its subtree)`);
    if (cursorFile) io.out(`resume     npx oversold explore ${file} --strategy ${strategyRef} --resume ${cursorFile}${reduction ? '' : ' --no-reduction'}${workers > 1 ? ` --workers ${workers}` : ''}${semantics === DEFAULT_SEMANTICS ? '' : ` --semantics ${semantics}`}`);
    emitReporters([suite], reporters, io, false);
  }
  for (const p of problems) io.err(`oversold explore: ${p}`);
  return problems.length > 0 ? EXIT.badInput : code;
}

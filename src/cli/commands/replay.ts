import { shownPath } from '../shownPath.js';
import { isStrategyPath } from '../../inventory/strategy.js';
import { loadForCommand } from '../loadForCommand.js';
import { refuseClobbering } from '../outputFiles.js';
import { TRUST_OPTIONS, trustFileStrategy } from '../trust.js';
import { outputFlags } from '../scenarioArgs.js';
import { readReplayFile, replayRun } from '../../explore/replayFile.js';
import { compareWithRecording } from '../replayMismatch.js';
import { runToJson } from '../../explore/run.js';
import { choiceContextOf, surprisingChoices } from '../../explore/describeChoices.js';
import { checkRunDeterminism } from '../../explore/determinism.js';
import { formatDivergence } from '../../report/divergence.js';
import { formatRunSummary } from '../../report/summary.js';
import { colorsFor } from '../../report/colors.js';
import { replayOnPostgres } from '../../explore/replayPg.js';
import { parseOrHelp } from '../command.js';
import type { CommandSpec } from '../options.js';
import { REPORT_OPTIONS, emitReports, explainRun, reportsNeedTrace } from '../reportFlags.js';
import { explanationToJson } from '../../report/explain.js';
import type { Io } from '../io.js';
import { heapMbPerThread } from '../memoryBudget.js';
import { EXIT, UsageError } from '../../errors.js';
import { WATCHDOG_OPTIONS, watchdogFor, watchLimits, reportReplayStall } from '../watchdog.js';
import { runIsolated, watched } from '../isolate.js';

export const REPLAY_SPEC: CommandSpec = {
  name: 'replay',
  summary: 're-execute a replay file and compare its trace',
  usage: '<file.json> [options]',
  description: 'Re-executes a replay file (written by oversold check, or by oversold run --record): the scenario embedded in it, its strategy, and the recorded answer to every question of fate. Says whether the trace hash matches the recording; a mismatch means the code changed since (the strategy or oversold itself), and the verdict shown is the new run\'s.',
  options: [
    { name: 'strategy', kind: 'string', value: 'S', help: 'load the strategy from here instead (a user strategy moved, or was checked through the API without a path)' },
    { name: 'json', kind: 'boolean', help: 'print the run --json fields plus matchesRecording and recordedTraceHash' },
    { name: 'check-determinism', kind: 'boolean', help: 'run it a second time in a fresh worker thread and compare the traces' },
    { name: 'pg', kind: 'string', value: 'URL', help: 'a SQL run: also drive its statements, step for step in the simulated order, against the PostgreSQL at URL (a scratch database: its tables are dropped and created) and say whether it shows the same outcomes, so the same anomaly' },
    { name: 'choices', kind: 'boolean', help: 'list the answers that were not the calm one (0), each with what it was about: a fault, a timing, or a schedule pick among the events ready then' },
    ...REPORT_OPTIONS,
    ...WATCHDOG_OPTIONS,
    ...TRUST_OPTIONS,
  ],
  exit: '0 every invariant held, 1 one broke, 2 bad input or usage.',
};

export async function replayCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrHelp(REPLAY_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { positionals, values } = parsed;
  if (positionals.length !== 1) throw new UsageError('replay takes exactly one replay file: oversold replay <file.json>');
  const file = positionals[0];
  const data = readReplayFile(file, io.cwd);
  const strategyRef = typeof values.strategy === 'string' ? values.strategy : data.strategyRef;
  trustFileStrategy(strategyRef, `the replay file ${file}`, values, io);
  refuseClobbering(io.cwd, outputFlags(values), [{ role: 'the replay file', path: file }, ...(isStrategyPath(strategyRef) ? [{ role: 'the strategy module', path: strategyRef }] : [])]);
  const watchdog = watchdogFor(strategyRef, values, io);
  if (watchdog) return runIsolated('replay', argv, io, watchdog, watchLimits(values), strategyRef, (stall) => reportReplayStall(stall, { io, json: values.json === true, data, shown: shownPath(io.cwd, data.file) }), { heapMb: heapMbPerThread(data.scenario, 1) });
  const strategy = watched(await loadForCommand(strategyRef, io.cwd), io);
  const first = replayRun(data, strategy, { keepTrace: reportsNeedTrace(values), recordChoices: values.choices === true });
  const { matchesRecording } = first;
  // A failing run is explained from its trace; an untraced one is replayed again to get it.
  const { run, explanations } = explainRun(first.run, () => replayRun(data, strategy, { keepTrace: true }).run);
  const divergence = values['check-determinism'] === true
    ? await checkRunDeterminism(data.scenario, { strategy, strategyRef, cwd: io.cwd, answers: data.answers, instantDb: data.instantDb })
    : null;
  const cmp = compareWithRecording(data, run, strategyRef, io.cwd);
  const onPg = typeof values.pg === 'string' ? await replayOnPostgres(replayRun(data, strategy, { keepTrace: true }).run, values.pg) : null;
  if (values.json) {
    io.out(JSON.stringify({
      ...runToJson(run),
      matchesRecording,
      ...cmp.json,
      recordedTraceHash: data.traceHash,
      recordedVerdict: data.verdict,
      recordedViolations: data.violations.map((v) => v.invariant),
      explanations: explanations.map(explanationToJson),
      ...(values['check-determinism'] === true ? { determinism: { checked: true, divergence } } : {}),
      ...(values.choices === true ? { choices: surprisingChoices(first.run.choices ?? [], choiceContextOf(data.scenario)) } : {}),
      ...(onPg ? { postgres: { statements: onPg.schedule.steps.length, disagreements: onPg.disagreements, tables: onPg.postgres.tables, attempts: onPg.attempts } } : {}),
    }));
  } else {
    const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
    const shown = shownPath(io.cwd, data.file);
    const summary = formatRunSummary(run, shown, c, explanations).split('\n').filter((l) => !l.startsWith('replay '));
    io.out(summary.join('\n'));
    io.out(cmp.same ? `${c.green('✓')} ${cmp.line}` : c.yellow(cmp.line));
    if (values.choices === true) {
      const shownChoices = surprisingChoices(first.run.choices ?? [], choiceContextOf(data.scenario));
      io.out(`choices  ${shownChoices.length} of ${first.run.choicesAsked} answers were not the calm one (0):`);
      for (const x of shownChoices) io.out(`  #${x.index} ${x.text}`);
    }
    if (onPg) {
      io.out(onPg.disagreements.length === 0
        ? `${c.green('✓')} PostgreSQL: ${onPg.schedule.steps.length} statements in the simulated order, every outcome the same: the same run happens on the real server${racyNote(onPg.attempts)}`
        : c.yellow(`PostgreSQL: ${onPg.disagreements.length} of ${onPg.schedule.steps.length} statements differ: ${onPg.disagreements.slice(0, 3).map((d) => `${d.step === 0 ? 'final tables' : `step ${d.step}`} ${d.what} (simulated ${d.simulated}, PostgreSQL ${d.postgres})`).join('; ')}${racyNote(onPg.attempts)}`));
      for (const [table, rows] of Object.entries(onPg.postgres.tables)) io.out(`  ${table} on PostgreSQL: ${JSON.stringify(rows)}`);
    }
    io.out(`replay   ${c.cyan(`npx oversold replay ${shown}`)}`);
  }
  emitReports(run, explanations, values, io, `npx oversold replay ${shownPath(io.cwd, data.file)}`);
  if (divergence) {
    io.err(formatDivergence(divergence));
    return EXIT.violated;
  }
  return run.verdict === 'ok' ? EXIT.ok : EXIT.violated;
}

/** Said when a racy schedule took more than one run on PostgreSQL (src/inventory/sql/pg/conformance.ts, RACY_SCHEDULE_ATTEMPTS). */
function racyNote(attempts: number): string {
  return attempts > 1 ? ` (run ${attempts} on PostgreSQL: a commit here wakes two waiting statements at once, and in the run${attempts > 2 ? 's' : ''} before PostgreSQL let the other one go first)` : '';
}

import { relative } from 'node:path';
import { loadForCommand } from '../loadForCommand.js';
import { readReplayFile } from '../../explore/replayFile.js';
import { why } from '../../explore/minimise/why.js';
import { faultToJson, formatWhy } from '../../report/whyText.js';
import { explainViolations, explanationToJson } from '../../report/explain.js';
import { colorsFor } from '../../report/colors.js';
import { num } from '../args.js';
import { parseOrHelp } from '../command.js';
import type { CommandSpec } from '../options.js';
import { outputWidth, type Io } from '../io.js';
import { compareWithRecording } from '../replayMismatch.js';
import { TRUST_OPTIONS, trustFileStrategy } from '../trust.js';
import { EXIT, NothingToExplainError, UsageError } from '../../errors.js';
import { WHY_RUNS_MAX_DEFAULT } from '../../defaults.js';

export const WHY_SPEC: CommandSpec = {
  name: 'why',
  summary: 'which faults a replay file\'s violation needs (necessary, sufficient)',
  usage: '<replay-file> [options]',
  description: 'Which faults does the violation need? Re-runs the recorded failing run with each fault removed in turn (a lost or duplicated message, a pause, a declined payment, a clock skew: a recorded choice set to its calm answer; or a fault step of the scenario deleted) and reports the faults that are NECESSARY (removing one makes the violation go away), then delta-debugs them to a minimal set that is SUFFICIENT on its own. Timings (delays, lags, arrivals) stay as recorded while a fault is necessary; when none is, they are asked too (a slow payment is named, not "the code"); --timings always asks them.',
  options: [
    { name: 'timings', kind: 'boolean', help: 'always treat timings as removable faults (by default only when no fault is necessary)' },
    { name: 'max-runs', kind: 'int', value: 'N', min: 1, max: 1_000_000, help: `simulations to spend at most (default ${WHY_RUNS_MAX_DEFAULT})` },
    { name: 'strategy', kind: 'string', value: 'S', help: 'load the strategy from here instead of the file\'s' },
    { name: 'json', kind: 'boolean', help: 'print one JSON object (fields: docs/cli.md)' },
    ...TRUST_OPTIONS,
  ],
  exit: '1 the recorded run breaks an invariant (explained), 2 bad input or usage (including a replay file whose run breaks nothing).',
};

export async function whyCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrHelp(WHY_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { positionals, values } = parsed;
  if (positionals.length !== 1) throw new UsageError('why takes exactly one replay file: oversold why <replay-file>');
  const data = readReplayFile(positionals[0], io.cwd);
  const shown = relative(io.cwd, data.file) || data.file;
  const strategyRef = typeof values.strategy === 'string' ? values.strategy : data.strategyRef;
  trustFileStrategy(strategyRef, `the replay file ${positionals[0]}`, values, io);
  const strategy = await loadForCommand(strategyRef, io.cwd);
  const w = why(
    { scenario: data.scenario, strategy, answers: data.answers, instantDb: data.instantDb },
    { maxRuns: num(values, 'max-runs', WHY_RUNS_MAX_DEFAULT), ...(values.timings === true ? { timings: true } : {}) },
  );
  const cmp = compareWithRecording(data, w.run, strategyRef, io.cwd);
  if (w.target.length === 0) throw new NothingToExplainError(`the run of ${shown}${cmp.same ? '' : ` (${cmp.line})`}`);
  const explanations = explainViolations(w.run.violations, w.run.trace!);
  if (values.json) {
    io.out(JSON.stringify({
      file: shown,
      scenario: w.run.scenario,
      strategy: w.run.strategy,
      matchesRecording: w.run.traceHash === data.traceHash,
      ...cmp.json,
      invariants: w.target,
      faults: w.faults.length,
      necessary: w.necessary.map(faultToJson),
      sufficient: w.sufficient.map(faultToJson),
      failsWithoutFaults: w.failsWithoutFaults,
      timings: w.timings,
      runs: w.runs,
      budgetExhausted: w.budgetExhausted,
      explanations: explanations.map(explanationToJson),
    }));
  } else {
    const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
    if (!cmp.same) io.out(c.yellow(cmp.line));
    io.out(formatWhy(w, shown, c, explanations.map((x) => `${x.title}: ${x.text}`), w.timings, outputWidth(io)));
  }
  return EXIT.violated;
}

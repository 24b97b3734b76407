import { plural } from '../../report/plural.js';
import { relative } from 'node:path';
import { loadForCommand } from '../loadForCommand.js';
import { readReplayFile } from '../../explore/replayFile.js';
import { why, type WhyResult } from '../../report/why.js';
import { NothingToExplainError, type Fault } from '../../report/faults.js';
import { explainViolations, explanationToJson } from '../../report/explain.js';
import { colorsFor, type Colors } from '../../report/colors.js';
import { wrap } from '../../report/wrap.js';
import { num } from '../args.js';
import { parseOrHelp } from '../command.js';
import type { CommandSpec } from '../options.js';
import { outputWidth, type Io } from '../io.js';
import { compareWithRecording } from '../replayMismatch.js';
import { TRUST_OPTIONS, trustFileStrategy } from '../trust.js';
import { EXIT, UsageError } from '../../errors.js';

export const WHY_SPEC: CommandSpec = {
  name: 'why',
  summary: 'which faults a replay file\'s violation needs (necessary, sufficient)',
  usage: '<replay-file> [options]',
  description: 'Which faults does the violation need? Re-runs the recorded failing run with each fault removed in turn (a lost or duplicated message, a pause, a declined payment, a clock skew: a recorded choice set to its calm answer; or a fault step of the scenario deleted) and reports the faults that are NECESSARY (removing one makes the violation go away), then delta-debugs them to a minimal set that is SUFFICIENT on its own. Timings (delays, lags, arrivals) stay as recorded unless --timings.',
  options: [
    { name: 'timings', kind: 'boolean', help: 'also treat timings as removable faults' },
    { name: 'max-runs', kind: 'int', value: 'N', min: 1, max: 1_000_000, help: 'simulations to spend at most (default 2000)' },
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
    { maxRuns: num(values, 'max-runs', 2000), timings: values.timings === true },
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
      timings: values.timings === true,
      runs: w.runs,
      budgetExhausted: w.budgetExhausted,
      explanations: explanations.map(explanationToJson),
    }));
  } else {
    const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
    if (!cmp.same) io.out(c.yellow(cmp.line));
    io.out(formatWhy(w, shown, c, explanations.map((x) => `${x.title}: ${x.text}`), values.timings === true, outputWidth(io)));
  }
  return EXIT.violated;
}

export function faultToJson(f: Fault): Record<string, unknown> {
  return { id: f.id, source: f.source, index: f.index, kind: f.kind, category: f.category, value: f.value, timeMs: f.timeMs, subject: f.subject, label: f.label, text: f.text };
}

function formatWhy(w: WhyResult, file: string, c: Colors, stories: readonly string[], timings: boolean, width: number): string {
  const lines: string[] = [];
  const inv = w.target.join(', ');
  lines.push(`${c.red(c.bold('WHY'))}  ${c.bold(w.run.scenario)} · strategy ${c.bold(w.run.strategy)} · ${file} breaks ${c.bold(inv)}`);
  for (const s of [...new Set(stories)]) lines.push(...wrap(s, width, 9, 9).map((l, i) => (i === 0 ? `anomaly  ${l}` : l)));
  const steps = w.faults.filter((f) => f.source === 'step').length;
  const chance = w.faults.filter((f) => f.source === 'choice' && f.category === 'fault').length;
  const times = w.faults.length - steps - chance;
  lines.push(`faults   ${w.faults.length} in the run: ${plural(steps, 'scenario step')}, ${plural(chance, 'chance fault')}${timings ? `, ${plural(times, 'timing')}` : ' (timings kept as recorded)'}`);
  if (w.necessary.length === 0) {
    lines.push(`necessary  none: no single fault is needed on its own${w.failsWithoutFaults ? '' : ' (the violation has more than one way to happen)'}`);
  } else {
    lines.push(`necessary  removing any one of these makes ${inv} go away:`);
    for (const f of w.necessary) lines.push(`  ${c.red('✗')} ${f.text}`);
  }
  if (w.failsWithoutFaults) {
    lines.push(`sufficient none needed: it breaks ${inv} with every fault removed${timings ? '' : ' (timing alone: the race is in the code)'}`);
  } else {
    lines.push(`sufficient a minimal set that breaks it on its own (every other fault removed): ${w.sufficient.length} fault${w.sufficient.length === 1 ? '' : 's'}`);
    for (const f of w.sufficient) lines.push(`  ${c.yellow('•')} ${f.text}`);
  }
  lines.push(`runs     ${plural(w.runs, 'simulation')}${w.budgetExhausted ? c.yellow(' (budget exhausted: the answer is what was found so far; raise --max-runs)') : ''}`);
  lines.push(`export   ${c.cyan(`npx oversold export ${file} -o found.json`)}  (these faults as an editable scenario)`);
  return lines.join('\n');
}

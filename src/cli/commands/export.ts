import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { loadForCommand } from '../loadForCommand.js';
import { isStrategyPath } from '../../inventory/strategy.js';
import { readReplayFile, replayRun } from '../../explore/replayFile.js';
import { compareWithRecording } from '../replayMismatch.js';
import { TRUST_OPTIONS, trustFileStrategy } from '../trust.js';
import { refuseClobbering } from '../outputFiles.js';
import { exportScenario } from '../../explore/minimise/export.js';
import { formatExport } from '../../report/exportText.js';
import { SCENARIO_SCHEMA_PATH } from '../../scenario/index.js';
import { colorsFor } from '../../report/colors.js';
import { num } from '../args.js';
import { parseOrHelp } from '../command.js';
import type { CommandSpec } from '../options.js';
import type { Io } from '../io.js';
import { EXIT, InputError, UsageError } from '../../errors.js';
import { EXPORT_RUNS_MAX_DEFAULT } from '../../defaults.js';

export const EXPORT_SPEC: CommandSpec = {
  name: 'export',
  summary: 'turn a replay file into an editable scenario that breaks the same way',
  usage: '<replay-file> -o <found.json> [options]',
  description: 'Turns a failing run into an editable scenario that breaks the same invariant without any seed luck: the orders arrive at their recorded times, every random fault rate is 0, every delay is pinned to its minimum, and the faults that mattered are written as explicit fault steps (pause node X at t for d, drop-reply of the k-th call of a kind, delay-call, ...), shrunk by delta debugging. The file is verified by running it before the command returns. A strategy module is named relative to the written file, so the scenario runs from any directory.',
  options: [
    { name: 'out', short: 'o', kind: 'string', value: 'FILE', help: 'where to write the scenario (required)' },
    { name: 'max-runs', kind: 'int', value: 'N', min: 1, max: 1_000_000, help: `simulations to spend shrinking (default ${EXPORT_RUNS_MAX_DEFAULT})` },
    { name: 'strategy', kind: 'string', value: 'S', help: 'load the strategy from here instead of the file\'s' },
    { name: 'json', kind: 'boolean', help: 'print one JSON object (fields: docs/cli.md)' },
    ...TRUST_OPTIONS,
  ],
  exit: '0 written and verified (oversold run FILE breaks the same invariant), 1 written but it does not reproduce (the race needs timings no fault step can express), 2 bad input or usage (including a replay file whose run breaks nothing).',
};

export async function exportCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrHelp(EXPORT_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { positionals, values } = parsed;
  if (positionals.length !== 1) throw new UsageError('export takes exactly one replay file: oversold export <replay-file> -o found.json');
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('export needs -o FILE: where to write the scenario (e.g. -o found.json)');
  const data = readReplayFile(positionals[0], io.cwd);
  const shown = relative(io.cwd, data.file) || data.file;
  const strategyRef = typeof values.strategy === 'string' ? values.strategy : data.strategyRef;
  trustFileStrategy(strategyRef, `the replay file ${positionals[0]}`, values, io);
  refuseClobbering(io.cwd, [{ role: '-o', path: values.out }], [{ role: 'the replay file', path: positionals[0] }, ...(isStrategyPath(strategyRef) ? [{ role: 'the strategy module', path: strategyRef }] : [])]);
  const strategy = await loadForCommand(strategyRef, io.cwd);
  // The export starts from the replayed run: say when it is not the recorded one.
  const cmp = compareWithRecording(data, replayRun(data, strategy).run, strategyRef, io.cwd);
  const out = resolve(io.cwd, values.out);
  const e = exportScenario(
    { scenario: data.scenario, strategy, strategyRef: refForFile(resolve(io.cwd, strategyRef), out, strategyRef), answers: data.answers, instantDb: data.instantDb, origin: shown },
    { maxRuns: num(values, 'max-runs', EXPORT_RUNS_MAX_DEFAULT) },
  );
  const schema = resolve(io.cwd, SCENARIO_SCHEMA_PATH);
  // Relative like the library's files ("./schema/..."), so editors resolve it from the file.
  const rel = slash(relative(dirname(out), schema));
  const file = existsSync(schema) ? { $schema: rel.startsWith('.') ? rel : `./${rel}`, ...e.scenario } : e.scenario;
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, formatScenarioJson(file));
  } catch (err) {
    throw new InputError(`-o ${values.out}: cannot write it (${(err as { code?: string }).code ?? String(err)})`, 'CANNOT_WRITE');
  }
  const written = relative(io.cwd, out) || out;
  if (values.json) {
    io.out(JSON.stringify({
      file: shown,
      out: written,
      reproduces: e.reproduces,
      invariants: e.target,
      matchesRecording: cmp.traceMatches,
      ...cmp.json,
      breaks: e.breaks,
      steps: e.steps,
      unexpressed: e.unexpressed.length,
      unexpressedSamples: e.unexpressed.slice(0, 5),
      runs: e.runs,
    }));
  } else {
    const c = colorsFor({ isTTY: io.stdoutIsTTY }, io.env);
    if (!cmp.same) io.out(c.yellow(cmp.line));
    io.out(formatExport(e, shown, written, c));
  }
  return e.reproduces ? EXIT.ok : EXIT.violated;
}

/** Pretty JSON, except that each order and each fault step stays on one line: easy to edit. */
export function formatScenarioJson(scenario: Record<string, unknown>): string {
  const inline: string[] = [];
  const mark = (xs: unknown) => (Array.isArray(xs) ? xs.map((x) => `\u0000${inline.push(JSON.stringify(x)) - 1}`) : xs);
  const w = scenario.workload as Record<string, unknown> | undefined;
  const f = scenario.faults as Record<string, unknown> | undefined;
  const shaped = {
    ...scenario,
    ...(w && 'orders' in w ? { workload: { ...w, orders: mark(w.orders) } } : {}),
    ...(f ? { faults: { ...f, steps: mark(f.steps) } } : {}),
  };
  return JSON.stringify(shaped, null, 2).replace(/"\\u0000(\d+)"/g, (_, i: string) => inline[Number(i)]) + '\n';
}

/**
 * A module path as the written scenario names it: relative to the scenario file's folder (as
 * replay files do), so `oversold run found.json` works from any directory and the pair can
 * move together. Names of built-ins stay names.
 */
function refForFile(abs: string, file: string, ref: string): string {
  if (!isStrategyPath(ref)) return ref;
  const rel = slash(relative(dirname(file), abs));
  return rel.startsWith('.') || rel.startsWith('/') ? rel : `./${rel}`;
}

function slash(p: string): string {
  return p.split(sep).join('/');
}

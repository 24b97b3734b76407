import { formatProblem, loadScenario, renderScenarioJsonSchema, type ScenarioProblem } from '../../scenario/index.js';
import { validateSuite } from '../../report/ciSuites.js';
import { legacyStepProblems } from '../../explore/legacySteps.js';
import { parseOrHelp } from '../command.js';
import type { Io } from '../io.js';
import type { CommandSpec } from '../options.js';
import { EXIT, UsageError } from '../../errors.js';
import { REPORTER_OPTIONS, emitReporters, reportersOf } from '../reporterFlags.js';

export const VALIDATE_SPEC: CommandSpec = {
  name: 'validate',
  summary: 'check scenario files',
  usage: '<files...> [options]',
  description: 'Checks scenario files (or built-in scenarios by name). Each problem is one line, file:line:column: $.json.path: expected ..., found ... — hint, the shape a CI problem matcher reads.',
  options: [
    { name: 'json', kind: 'boolean', help: 'print one JSON object: {ok, files, problems}' },
    ...REPORTER_OPTIONS,
  ],
  exit: '0 every file is valid, 2 some file has problems (or bad usage).',
};

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrHelp(VALIDATE_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  const { positionals, values } = parsed;
  const reporters = reportersOf(values);
  if (positionals.length === 0) throw new UsageError('validate needs at least one file: oversold validate scenarios/*.json');
  const problems: ScenarioProblem[] = positionals.flatMap((file) => {
    const r = loadScenario(file, io.cwd);
    // An old `nth` step: the equivalent step by origin at the file's seed, instead of the loader's words.
    return r.ok ? [] : legacyStepProblems(file, undefined, io.cwd) ?? r.problems;
  });
  const lines = problems.map(formatProblem);
  const ok = problems.length === 0;
  if (values.json) io.out(JSON.stringify({ ok, files: positionals.length, problems: lines }));
  else if (ok) io.out(`${positionals.length} scenario file${positionals.length === 1 ? '' : 's'} valid`);
  else for (const l of lines) io.err(l);
  emitReporters([validateSuite(positionals, problems.map((p, i) => ({ file: p.file, line: p.line, column: p.column, text: lines[i] })))], reporters, io, values.json === true);
  return ok ? EXIT.ok : EXIT.badInput;
}

export const SCHEMA_SPEC: CommandSpec = {
  name: 'schema',
  summary: 'print the JSON Schema of scenario files',
  usage: '',
  description: 'Prints the JSON Schema of scenario files (the same text as scenarios/schema/scenario.schema.json, which the package also exports as oversold/scenario.schema.json).',
  options: [],
  exit: '0 printed, 2 bad usage.',
};

export async function schemaCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrHelp(SCHEMA_SPEC, argv, io);
  if (parsed === null) return EXIT.ok;
  if (parsed.positionals.length > 0) throw new UsageError(`schema takes no arguments, got ${JSON.stringify(parsed.positionals[0])}`);
  // The file ends with a newline; out() adds one.
  io.out(renderScenarioJsonSchema().replace(/\n$/, ''));
  return EXIT.ok;
}

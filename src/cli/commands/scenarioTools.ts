import { validateFiles, renderScenarioJsonSchema } from '../../scenario/index.js';
import { parseCommandArgs } from '../args.js';
import type { Io } from '../io.js';
import { EXIT, UsageError } from '../../errors.js';

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  const { positionals, values } = parseCommandArgs('validate', argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.out('oversold validate <files...>\n\nChecks scenario files. Exit 0 when all are valid; otherwise one line per problem and exit 2.');
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('validate needs at least one file: oversold validate scenarios/*.json');
  const r = validateFiles(positionals);
  if (values.json) io.out(JSON.stringify({ ok: r.ok, files: positionals.length, problems: r.lines }));
  else if (r.ok) io.out(`${positionals.length} scenario file${positionals.length === 1 ? '' : 's'} valid`);
  else for (const l of r.lines) io.err(l);
  return r.ok ? EXIT.ok : EXIT.badInput;
}

export async function schemaCommand(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('schema', argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.out('oversold schema\n\nPrints the JSON Schema of scenario files (the same text as scenarios/schema/scenario.schema.json).');
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`schema takes no arguments, got ${JSON.stringify(positionals[0])}`);
  // The file ends with a newline; out() adds one.
  io.out(renderScenarioJsonSchema().replace(/\n$/, ''));
  return EXIT.ok;
}

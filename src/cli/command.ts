import { parseCommandArgs, type Parsed } from './args.js';
import { renderHelp } from './help.js';
import { outputWidth, type Io } from './io.js';
import type { CommandSpec } from './options.js';

/** A command: its option table (help and parsing come from it) and what it does. */
export interface Command {
  readonly spec: CommandSpec;
  readonly run: (argv: readonly string[], io: Io) => Promise<number>;
}

/** Parses argv by the command's table; prints the help and answers null for -h/--help. */
export function parseOrHelp(spec: CommandSpec, argv: readonly string[], io: Io): Parsed | null {
  const parsed = parseCommandArgs(spec, argv);
  if (parsed.values.help === true) {
    io.out(renderHelp(spec, outputWidth(io)));
    return null;
  }
  return parsed;
}

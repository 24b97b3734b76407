/**
 * One option table per command: parsing, validation and `--help` are all generated from it,
 * so a flag the parser accepts is always in the help, and its bounds are checked in one place.
 * To add a flag to a command, add one entry to its table (or spread a shared group such as
 * REPORT_OPTIONS); nothing else needs to learn about it.
 */

/** What a flag takes. `int` and `seed` are validated whole numbers; `choice` one of `choices`. */
export type OptionKind = 'boolean' | 'string' | 'int' | 'seed' | 'choice';

export interface OptionDef {
  /** The long name without dashes: `seed` is `--seed`. */
  readonly name: string;
  /** One letter: `o` is `-o`. */
  readonly short?: string;
  readonly kind: OptionKind;
  /** How the value is shown in help: `N`, `FILE`, `i/n`. Not for booleans. */
  readonly value?: string;
  /** One sentence or two; wrapped to the terminal by the help renderer. */
  readonly help: string;
  /** Bounds of an `int` (a `seed` is always 0..2^32-1). */
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  /** May be given more than once; the values are collected into an array in order. */
  readonly repeatable?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  /** One line for `oversold --help`. */
  readonly summary: string;
  /** What follows `oversold <name>` in the usage line, e.g. `<scenario> [options]`. */
  readonly usage: string;
  /** Paragraphs (separated by blank lines) printed after the usage line, wrapped. */
  readonly description: string;
  readonly options: readonly OptionDef[];
  /** Paragraphs printed after the options (examples, Ctrl-C behaviour), wrapped. */
  readonly notes?: string;
  /** The exit codes, one sentence. */
  readonly exit: string;
}

export const SEED_MAX = 0xffffffff;

/** Every command takes -h/--help; the parser adds it, so tables need not. */
export const HELP_OPTION: OptionDef = { name: 'help', short: 'h', kind: 'boolean', help: 'show this help and exit' };

export function allOptions(spec: CommandSpec): readonly OptionDef[] {
  return spec.options.some((o) => o.name === 'help') ? spec.options : [...spec.options, HELP_OPTION];
}

/** Shown in help: `--seed N`, `-o, --out FILE`. */
export function optionLabel(o: OptionDef): string {
  const long = `--${o.name}${o.kind === 'boolean' ? '' : ` ${o.value ?? (o.kind === 'int' || o.kind === 'seed' ? 'N' : o.kind === 'choice' ? (o.choices ?? []).join('|') : 'S')}`}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

import { UsageError } from '../errors.js';
import { didYouMean } from '../scenario/didYouMean.js';
import { allOptions, optionLabel, SEED_MAX, type CommandSpec, type OptionDef } from './options.js';

export type Values = Record<string, string | number | boolean | string[] | undefined>;

export interface Parsed {
  readonly positionals: string[];
  /** Booleans are `true` when given; `int` and `seed` are numbers; repeatable flags arrays. */
  readonly values: Values;
}

const NUMBER = /^-\d+$/;

/**
 * Pure: argv (without the command) -> values, or a UsageError naming the problem in one line.
 * Our own parser rather than node:util's parseArgs, so that no message of Node's reaches the
 * user: a missing value, a repeated flag, a negative seed each get a sentence of their own.
 *
 * Accepted forms: `--name value`, `--name=value`, `-x value`, `-x=value`, `--` (everything after
 * it is positional). A value that starts with `-` is taken only by number flags (so `--seed -5`
 * is refused for what it is, not as "missing value"); others need `--name=-value`.
 */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): Parsed {
  const command = spec.name;
  const options = allOptions(spec);
  const see = ` (see: oversold ${command} --help)`;
  const fail = (msg: string): never => {
    throw new UsageError(`${msg}${see}`);
  };
  const byLong = new Map(options.map((o) => [o.name, o]));
  const byShort = new Map(options.filter((o) => o.short).map((o) => [o.short!, o]));
  const values: Values = {};
  const given = new Map<string, string>();
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (onlyPositionals || a === '-' || !a.startsWith('-') || NUMBER.test(a)) {
      positionals.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositionals = true;
      continue;
    }
    const long = a.startsWith('--');
    const eq = a.indexOf('=');
    const key = eq === -1 ? a : a.slice(0, eq);
    const inline = eq === -1 ? undefined : a.slice(eq + 1);
    const def = long ? byLong.get(key.slice(2)) : key.length === 2 ? byShort.get(key.slice(1)) : undefined;
    if (!def) fail(unknownOption(key, options));
    const o = def!;
    const shown = long ? key : `${key} (--${o.name})`;
    let raw: string;
    if (o.kind === 'boolean') {
      if (inline !== undefined) fail(`${shown} is a switch and takes no value, got ${JSON.stringify(inline)}`);
      values[o.name] = true;
      continue;
    }
    if (inline !== undefined) raw = inline;
    else {
      const next = argv[i + 1];
      const takesNegative = o.kind === 'int' || o.kind === 'seed';
      if (next === undefined || (next.startsWith('-') && next !== '-' && !(takesNegative && NUMBER.test(next)))) {
        const got = next === undefined ? 'nothing after it' : `the flag ${next}`;
        fail(`${shown} needs a value (${optionLabel(o).replace(/^.*--\S+ /, '')}), got ${got}`);
      }
      raw = next!;
      i++;
    }
    const prev = given.get(o.name);
    if (prev !== undefined && !o.repeatable) fail(`--${o.name} was given twice (${JSON.stringify(prev)} and ${JSON.stringify(raw)}): give it once`);
    given.set(o.name, raw);
    const v = convert(o, raw, fail);
    if (o.repeatable) values[o.name] = [...((values[o.name] as string[] | undefined) ?? []), String(v)];
    else values[o.name] = v;
  }
  return { positionals, values };
}

function unknownOption(key: string, options: readonly OptionDef[]): string {
  const flags = options.map((o) => `--${o.name}`);
  const prefixed = key.startsWith('--') ? flags.filter((f) => f.startsWith(key)) : [];
  const hint = prefixed.length === 1 ? `did you mean "${prefixed[0]}"?` : didYouMean(key.replace(/^-+/, '--'), flags);
  return `unknown option ${key}${hint ? ` — ${hint}` : ''}`;
}

function convert(o: OptionDef, raw: string, fail: (msg: string) => never): string | number {
  const flag = `--${o.name}`;
  if (o.kind === 'string') {
    if (raw === '') fail(`${flag} needs a value, got an empty string`);
    return raw;
  }
  if (o.kind === 'choice') {
    const choices = o.choices ?? [];
    if (!choices.includes(raw)) {
      const hint = didYouMean(raw, choices);
      fail(`${flag} takes one of ${choices.join(', ')}, got ${JSON.stringify(raw)}${hint ? ` — ${hint}` : ''}`);
    }
    return raw;
  }
  if (o.kind === 'seed') return seedValue(raw, flag, fail);
  return intValue(raw, flag, o.min ?? 0, o.max ?? Number.MAX_SAFE_INTEGER, fail);
}

function intValue(raw: string, flag: string, min: number, max: number, fail: (msg: string) => never): number {
  if (!/^-?\d+$/.test(raw)) fail(`${flag} takes a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (n < min || n > max) fail(`${flag} must be between ${min} and ${max}, got ${raw}`);
  return n;
}

function seedValue(raw: string, flag: string, fail: (msg: string) => never): number {
  if (/^-\d+$/.test(raw)) fail(`${flag} ${raw}: negative seeds are refused; a seed is a whole number from 0 to ${SEED_MAX} (any one is as good as another)`);
  return intValue(raw, flag, 0, SEED_MAX, fail);
}

/**
 * A whole-number flag given as a string or number (values parsed by the table are numbers
 * already); a UsageError naming the flag and the bound.
 */
export function intFlag(value: unknown, flag: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return dflt;
  return intValue(String(value), flag, min, max, (msg) => {
    throw new UsageError(msg);
  });
}

/** A seed: an unsigned 32-bit integer. */
export function seedFlag(value: unknown, flag: string, dflt: number): number {
  if (value === undefined) return dflt;
  return seedValue(String(value), flag, (msg) => {
    throw new UsageError(msg);
  });
}

/** The value of a string flag, or undefined. */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The value of a number flag (validated by the table), or `dflt`. */
export function num(values: Values, name: string, dflt: number): number {
  const v = values[name];
  return typeof v === 'number' ? v : dflt;
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import { didYouMean } from '../scenario/didYouMean.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | string[] | undefined>;
}

/** Pure: argv (without the command) -> values, or a UsageError naming the problem. */
export function parseCommandArgs(command: string, argv: readonly string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { positionals, values: values as Parsed['values'] };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(msg);
    if (unknown) {
      const flags = Object.keys(options).map((k) => `--${k}`);
      const prefixed = flags.filter((f) => f.startsWith(unknown[1]));
      const hint = prefixed.length === 1 ? `did you mean "${prefixed[0]}"?` : didYouMean(unknown[1], flags);
      throw new UsageError(`unknown option ${unknown[1]}${hint ? ` — ${hint}` : ''} (see: oversold ${command} --help)`);
    }
    const ambiguous = /Option '(-{1,2}[^' ]+)[^']*' argument is ambiguous/.exec(msg);
    if (ambiguous) throw new UsageError(`${ambiguous[1]} takes a value that is not a flag (a negative number is not allowed there) (see: oversold ${command} --help)`);
    throw new UsageError(`${msg.replace(/\. To specify a positional argument.*$/, '')} (see: oversold ${command} --help)`);
  }
}

/** A non-negative integer flag, or a UsageError naming the flag and the bound. */
export function intFlag(value: unknown, flag: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return dflt;
  const s = String(value);
  if (!/^-?\d+$/.test(s)) throw new UsageError(`${flag} takes a whole number, got ${JSON.stringify(s)}`);
  const n = Number(s);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** A seed: an unsigned 32-bit integer. */
export function seedFlag(value: unknown, flag: string, dflt: number): number {
  return intFlag(value, flag, dflt, 0, 0xffffffff);
}

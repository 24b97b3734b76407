import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

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
    throw new UsageError(`${command}: ${msg.replace(/\. To specify a positional argument.*$/, '')} (see: oversold ${command} --help)`);
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

import type { Scenario } from '../scenario/index.js';
import { parseCommandArgs, type OptionSpec, type Parsed } from './args.js';
import { loadScenarioOrFail, type Io } from './io.js';
import { UsageError } from '../errors.js';
import { refuseClobbering, type NamedFile } from './outputFiles.js';
import { TRUST_OPTIONS, trustFileStrategy } from './trust.js';
import { isStrategyPath } from '../inventory/strategy.js';

export interface ScenarioArgs {
  readonly values: Parsed['values'];
  /** The scenario file as the user typed it (replay commands repeat it). */
  readonly path: string;
  readonly scenario: Scenario;
  /** What --strategy said (a built-in name or a path), else the scenario's own strategy. */
  readonly strategyRef: string;
}

/**
 * The shared front of `run`, `check` and `sweep`: parse the flags (with --help), take exactly
 * one scenario file, load it, and resolve which strategy was asked for. Returns null when
 * --help was printed.
 */
export function scenarioCommandArgs(command: string, argv: readonly string[], options: OptionSpec, help: string, usage: string, io: Io): ScenarioArgs | null {
  const { positionals, values } = parseCommandArgs(command, argv, { ...options, ...TRUST_OPTIONS, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.out(help);
    return null;
  }
  if (positionals.length !== 1) throw new UsageError(`${command} takes exactly one scenario file: ${usage}`);
  const path = positionals[0];
  const scenario = loadScenarioOrFail(path);
  const strategyRef = typeof values.strategy === 'string' ? values.strategy : scenario.strategy.name;
  trustFileStrategy(strategyRef, `the scenario ${path}`, values, io);
  refuseClobbering(io.cwd, outputFlags(values), [{ role: 'the scenario', path }, ...(isStrategyPath(strategyRef) ? [{ role: 'the strategy module', path: strategyRef }] : [])]);
  return { values, path, scenario, strategyRef };
}

/** The files a command's flags ask it to write. */
export function outputFlags(values: Parsed['values']): NamedFile[] {
  const out: NamedFile[] = [];
  for (const flag of ['trace', 'html', 'record', 'replay-file']) {
    const v = values[flag];
    if (typeof v === 'string') out.push({ role: `--${flag}`, path: v });
  }
  return out;
}

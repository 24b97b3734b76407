import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { builtinScenarioPath, resolveScenarioRef, type Scenario } from '../scenario/index.js';
import { shownPath } from './shownPath.js';
import { isStrategyPath } from '../inventory/strategy.js';
import type { Parsed } from './args.js';
import { parseOrHelp } from './command.js';
import { loadScenarioOrFail, type Io } from './io.js';
import { UsageError } from '../errors.js';
import { refuseClobbering, type NamedFile } from './outputFiles.js';
import { trustFileStrategy } from './trust.js';
import type { CommandSpec, OptionDef } from './options.js';
import { TIMING_MODELS } from '../sim/kernel.js';
import { PCT_DEPTH_DEFAULT, PCT_DEPTH_MAX, SEARCH_KINDS, searchFlags, searchOf, type Search } from '../explore/search.js';

export interface ScenarioArgs {
  readonly values: Parsed['values'];
  /** --search and --pct-depth (null: none; the scenario's scheduler). */
  readonly search: Search | null;
  /** The scenario as the user typed it, a path or a built-in's name (printed commands repeat it). */
  readonly path: string;
  readonly scenario: Scenario;
  /** What --strategy said (a built-in name or a path), else the scenario's own strategy. */
  readonly strategyRef: string;
}

/** What every scenario command's help says about its <scenario> argument. */
export const SCENARIO_ARG_HELP = '<scenario> is a scenario file, or the name of a scenario that ships with oversold (flash-sale, flash-sale-chaos, stale-replica-read, ...: a path that does not exist lists them all).';

/** `--timing`, on run, sweep and check: overrides the scenario's "timing". */
export const TIMING_OPTION: OptionDef = {
  name: 'timing', kind: 'choice', value: 'T', choices: TIMING_MODELS,
  help: '"sampled" (each delay drawn, events in time order) or "windowed" (each delay a window, the schedule a seeded choice among what the windows allow; docs/exploration.md). Default: the scenario\'s "timing"',
};

/** `--search` and `--pct-depth`, on run and sweep: how each seed's run picks its schedule. */
export const SEARCH_OPTIONS: readonly OptionDef[] = [
  {
    name: 'search', kind: 'choice', value: 'S', choices: SEARCH_KINDS,
    help: 'search the schedules (implies --timing windowed): "random" (every ready event equally likely at every step) or "pct" (PCT: a random priority per order and per process, with --pct-depth - 1 priority change points; docs/exploration.md). The seed drives it, so a failing seed replays with the same flags',
  },
  { name: 'pct-depth', kind: 'int', value: 'd', min: 1, max: PCT_DEPTH_MAX, help: `the bug depth PCT aims at: d - 1 priority change points (default ${PCT_DEPTH_DEFAULT}; only with --search pct)` },
];

/** The flags that repeat this run's timing and search in a printed command ("" for the scenario's own). */
export function runFlags(values: Parsed['values'], search: Search | null): string {
  if (search) return searchFlags(search);
  return typeof values.timing === 'string' ? ` --timing ${values.timing}` : '';
}

export const STRATEGY_OPTION: OptionDef = {
  name: 'strategy', kind: 'string', value: 'S',
  help: 'a built-in strategy\'s name or a path to your module, e.g. ./my-strategy.ts (default: the scenario\'s)',
};

/**
 * A scenario file's own strategy as a path the commands can load and print: a module path in a
 * scenario file is relative to that file (export writes it so), shown relative to `cwd`.
 */
export function scenarioStrategyRef(name: string, scenarioFile: string, cwd: string): string {
  if (!isStrategyPath(name) || isAbsolute(name)) return name;
  const rel = relative(cwd, resolve(dirname(scenarioFile), name)).split(sep).join('/');
  return rel.startsWith('.') || rel.startsWith('/') ? rel : `./${rel}`;
}

/**
 * The shared front of `run`, `check` and `sweep`: parse the flags (with --help), take exactly
 * one scenario (a file or a built-in's name), load it, and resolve which strategy was asked
 * for. Returns null when --help was printed.
 */
export function scenarioCommandArgs(spec: CommandSpec, argv: readonly string[], io: Io): ScenarioArgs | null {
  const parsed = parseOrHelp(spec, argv, io);
  if (parsed === null) return null;
  const { positionals, values } = parsed;
  if (positionals.length !== 1) {
    const got = positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(', ');
    throw new UsageError(`${spec.name} takes exactly one scenario (a file, or a built-in's name such as flash-sale), got ${got}: oversold ${spec.name} ${spec.usage}`);
  }
  const path = positionals[0];
  const loaded = loadScenarioOrFail(path, io.cwd);
  // --timing overrides the scenario's "timing" (docs/exploration.md, "Two timing models").
  const search = searchArgs(values);
  // --search implies the windowed model (where schedules are choices); refused with --timing sampled.
  const timing = search ? 'windowed' : values.timing;
  const scenario: Scenario = typeof timing === 'string' ? { ...loaded, timing: timing as Scenario['timing'] } : loaded;
  const strategyRef = typeof values.strategy === 'string' ? values.strategy : scenarioStrategyRef(scenario.strategy.name, resolveScenarioRef(path, io.cwd), io.cwd);
  trustFileStrategy(strategyRef, `the scenario ${path}`, values, io);
  refuseClobbering(io.cwd, outputFlags(values), [{ role: 'the scenario', path: resolveScenarioRef(path, io.cwd) }, ...(isStrategyPath(strategyRef) ? [{ role: 'the strategy module', path: strategyRef }] : [])]);
  return { values, path, scenario, strategyRef, search };
}

/** The search the flags ask for; a contradiction is a usage error (exit 2). */
function searchArgs(values: Parsed['values']): Search | null {
  const kind = typeof values.search === 'string' ? values.search : undefined;
  const depth = typeof values['pct-depth'] === 'number' ? values['pct-depth'] : undefined;
  if (kind === undefined && depth === undefined) return null;
  let search: Search | null;
  try {
    search = searchOf(kind, depth);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (search && values.timing === 'sampled') throw new UsageError(`--search ${search.kind} chooses among schedules, which only the windowed timing model has: drop --timing sampled`);
  return search;
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

/** The scenario as a file to annotate in CI, shown from `cwd`; null for a built-in named by name (no file of the user's). */
export function scenarioFileOf(arg: string, cwd: string): string | null {
  const abs = resolveScenarioRef(arg, cwd);
  return abs === builtinScenarioPath(arg) ? null : shownPath(cwd, abs);
}

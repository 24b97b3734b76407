// Checks of `strategy`: a name that is neither a built-in nor a module path is refused (so
// `validate` and `run` agree), and a built-in gets only the options it declares, each an
// integer in its range (STRATEGY_OPTION_SPECS). A user strategy (a path) keeps free-form options.
import {
  BUILT_IN_OPTION_NAMES, isStrategyPath, STRATEGY_OPTION_SPECS, type BuiltInOptionName, type StrategyOptionSpec,
} from '../inventory/strategy.js';
import { BUILT_IN_NAMES, STRATEGY_LOADERS } from '../inventory/strategies/loaders.js';
import { abbreviateString, describeValue } from './describeValue.js';
import { closestMatch } from './didYouMean.js';
import { type CheckReporter, quote, quoteList } from './report.js';

/** Built-in strategy names, safe ones first (the CLI's order): the loaders' list itself. */
export const BUILT_IN_STRATEGY_NAMES: readonly string[] = BUILT_IN_NAMES;

const EXAMPLE_PATH = './my-strategy.ts';

/** "an integer from 1 to 10000000": the words the loader uses for any bounded integer. */
export function describeOptionRange(spec: StrategyOptionSpec): string {
  return `an integer from ${spec.min} to ${spec.max}`;
}

function isBuiltInOption(name: string): name is BuiltInOptionName {
  return Object.hasOwn(STRATEGY_OPTION_SPECS, name);
}

/** Reports an unknown name; true when the options are to be checked as a built-in's (a typo of one counts). */
function checkName(name: string, report: CheckReporter): boolean {
  if (STRATEGY_LOADERS.has(name)) return true;
  if (isStrategyPath(name)) return false;
  const match = closestMatch(name, BUILT_IN_STRATEGY_NAMES);
  const hint = match !== undefined
    ? `did you mean ${quote(match)}?`
    : `for your own strategy give the path to its module, e.g. ${quote(`./${name}.ts`)}`;
  report(['name'], `a built-in strategy (${quoteList(BUILT_IN_STRATEGY_NAMES.filter((n) => !n.startsWith('sql-')))}, or a SQL one: "sql-...") or the path to your own module (${quote(EXAMPLE_PATH)})`,
    `unknown strategy ${abbreviateString(name)}`, hint);
  return match !== undefined;
}

function checkOption(key: string, value: string | number | boolean, report: CheckReporter): void {
  const path = ['options', key];
  if (!isBuiltInOption(key)) {
    const match = closestMatch(key, BUILT_IN_OPTION_NAMES);
    report(path, `one of the options ${quoteList(BUILT_IN_OPTION_NAMES, BUILT_IN_OPTION_NAMES.length)}`, `unknown option ${abbreviateString(key)}`,
      match !== undefined
        ? `did you mean ${quote(match)}?`
        : 'the built-in strategies take only these; free-form options need your own strategy (strategy.name a module path)');
    return;
  }
  const spec = STRATEGY_OPTION_SPECS[key];
  if (typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max) return;
  const numeric = typeof value === 'string' && /^-?[0-9]+$/.test(value.trim());
  const hint = numeric ? 'remove the quotes: JSON numbers are written without them' : `${key}: ${spec.meaning} (default ${spec.default})`;
  report(path, describeOptionRange(spec), describeValue(value), hint);
}

/**
 * Reports, relative to the `strategy` object: an unknown strategy name, and for a built-in
 * strategy (or a typo of one) every unknown, mistyped or out-of-range option, one problem each.
 * A name that is neither (most likely a module path written without "./") gets only the first.
 */
export function checkStrategy(strategy: { name: string; options: Record<string, string | number | boolean> }, report: CheckReporter): void {
  if (!checkName(strategy.name, report)) return;
  for (const [key, value] of Object.entries(strategy.options)) checkOption(key, value, report);
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinScenarioPath, loadScenario, resolveScenarioRef, type Scenario } from '../scenario/index.js';
import { isStrategyPath } from '../inventory/strategy.js';
import { hashLines } from '../sim/hash.js';
import { InputError } from '../errors.js';
import { formatProblem } from '../scenario/index.js';

/**
 * How a test names a module or a scenario: a built-in's name, a path, or a URL. A URL is the
 * reliable way from a test file: `new URL('./my-strategy.ts', import.meta.url)` names the
 * module wherever vitest is started from. Relative paths are relative to the working directory.
 */
export type ModuleRef = string | URL;

/** Where scenarios given as objects are written, so a printed command can name a file. */
export const SCENARIO_DIR = '.oversold/scenarios';

/** A ref as an absolute path (URLs and file: strings included), or a name as it is. */
export function refPath(ref: ModuleRef, cwd: string): string {
  if (ref instanceof URL) return fileURLToPath(ref);
  if (ref.startsWith('file:')) return fileURLToPath(ref);
  return isStrategyPath(ref) ? resolve(cwd, ref) : ref;
}

/** A path as commands run from `cwd` should name it: `./x/y.ts` inside cwd, absolute outside. */
export function printedPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return abs;
  return `./${rel.split(sep).join('/')}`;
}

/** The --strategy of a printed command: a built-in's name, or the module's path from cwd. */
export function strategyArg(ref: ModuleRef | undefined, fallbackName: string, cwd: string): string {
  if (ref === undefined) return fallbackName;
  const p = refPath(ref, cwd);
  return isAbsolute(p) ? printedPath(p, cwd) : p;
}

/** A scenario given by name or path, loaded; bad input is one InputError naming the file. */
export function scenarioOf(given: Scenario | ModuleRef, cwd: string): Scenario {
  if (typeof given !== 'string' && !(given instanceof URL)) return given;
  const r = loadScenario(given instanceof URL || given.startsWith('file:') ? refPath(given, cwd) : given, cwd);
  if (r.ok) return r.scenario;
  throw new InputError(r.problems.slice(0, 5).map(formatProblem).join('\n'), 'INVALID_SCENARIO');
}

/**
 * The scenario argument of a printed command, from `cwd`: a built-in's name, a file's path, or
 * for a scenario built in code, a file written under .oversold/scenarios/ (named by a hash of
 * its content) so that the command runs as printed.
 */
export function scenarioArg(given: Scenario | ModuleRef, sc: Scenario, cwd: string, scenarioRef?: ModuleRef): string {
  const named = scenarioRef ?? (typeof given === 'string' || given instanceof URL ? given : undefined);
  if (named !== undefined) {
    const text = named instanceof URL || named.startsWith('file:') ? refPath(named, cwd) : named;
    if (!isAbsolute(text) && builtinScenarioPath(text) !== null && resolveScenarioRef(text, cwd) === builtinScenarioPath(text)) return text;
    return printedPath(resolveScenarioRef(text, cwd), cwd);
  }
  const builtin = builtinScenarioPath(sc.name);
  if (builtin !== null) {
    const r = loadScenario(builtin);
    if (r.ok && JSON.stringify(r.scenario) === JSON.stringify(sc)) return sc.name;
  }
  const text = JSON.stringify(sc, null, 2) + '\n';
  const file = join(cwd, SCENARIO_DIR, `${sc.name.replace(/[^A-Za-z0-9._-]+/g, '_')}-${hashLines([text]).slice(0, 8)}.json`);
  mkdirSync(join(cwd, SCENARIO_DIR), { recursive: true });
  writeFileSync(file, text);
  return printedPath(file, cwd);
}

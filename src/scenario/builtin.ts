// The scenario library that ships with the package (scenarios/*.json), by name: `flash-sale`
// is scenarios/flash-sale.json wherever oversold is installed. Users name a built-in instead
// of hard-coding node_modules/oversold/scenarios/... relative to their working directory.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, type ScenarioResult } from './load.js';

/** The package's scenarios folder: two levels above this module in src/ and in dist/ alike. */
export const BUILTIN_SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url)).replace(/[\\/]$/, '');

/** The names of the built-in scenarios, sorted: `flash-sale`, `flash-sale-chaos`, ... */
export function builtinScenarioNames(): string[] {
  try {
    return readdirSync(BUILTIN_SCENARIOS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  } catch {
    return [];
  }
}

/** The file of a built-in scenario (`flash-sale` or `flash-sale.json`), or null if there is none. */
export function builtinScenarioPath(name: string): string | null {
  if (!/^[a-z0-9][a-z0-9-]*(\.json)?$/.test(name)) return null;
  const file = resolve(BUILTIN_SCENARIOS_DIR, name.endsWith('.json') ? name : `${name}.json`);
  return existsSync(file) ? file : null;
}

/** The hint for a scenario path that does not exist: where the built-in ones are. */
export function builtinScenariosHint(): string {
  const names = builtinScenarioNames();
  return `built-in scenarios can be named instead of a path (${names.slice(0, 4).join(', ')}, … ${names.length} in all, e.g. \`oversold run flash-sale\`); their files are in ${BUILTIN_SCENARIOS_DIR}`;
}

/**
 * What a user typed as a scenario, resolved: a file relative to `cwd` if one exists there
 * (a file always wins over a built-in of the same name), else a built-in scenario's file, else
 * the path as given (loading it then says it is missing, and where the built-ins are).
 */
export function resolveScenarioRef(nameOrPath: string, cwd: string): string {
  const file = isAbsolute(nameOrPath) ? nameOrPath : resolve(cwd, nameOrPath);
  if (existsSync(file) && statSync(file).isFile()) return file;
  return builtinScenarioPath(nameOrPath) ?? file;
}

/**
 * Loads a scenario by built-in name (`flash-sale-chaos`) or by path (relative to `cwd`,
 * default the current directory). Never throws; a missing file's problem says where the
 * built-in scenarios are. Problems name the file as it was given.
 */
export function loadScenario(nameOrPath: string, cwd: string = process.cwd()): ScenarioResult {
  if (typeof nameOrPath !== 'string' || nameOrPath === '') return loadScenarioFile(nameOrPath);
  const file = resolveScenarioRef(nameOrPath, cwd);
  const r = loadScenarioFile(file);
  if (r.ok) return r;
  const shown = isAbsolute(nameOrPath) || file === builtinScenarioPath(nameOrPath) ? file : nameOrPath;
  return {
    ok: false,
    problems: r.problems.map((p) => (p.file !== file ? p : { ...p, file: shown, ...(p.found === 'no such file' && p.hint === undefined ? { hint: builtinScenariosHint() } : {}) })),
  };
}

import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStrategyPath } from '../inventory/strategy.js';
import type { OptionDef } from './options.js';
import { InputError } from '../errors.js';
import type { Io } from './io.js';

/**
 * Replay files and scenario files are code: the strategy module they name is imported and
 * runs with your rights, and a file someone sends you would arrive with its module beside it.
 * So a module named by a file (not by your own --strategy) is announced on stderr before it
 * loads, and one outside the current project (the folder of the nearest package.json above
 * the working directory) and outside oversold itself needs --trust.
 */
export const TRUST_OPTIONS: readonly OptionDef[] = [
  {
    name: 'trust', kind: 'boolean',
    help: 'run the strategy module a replay or scenario file names even when it is outside this project (files are code: docs/cli.md, "Replay files are code")',
  },
];

/** The folder of the nearest package.json at or above `dir`, or null. */
export function projectRoot(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return null;
  }
}

/** oversold's own folder (its modules are trusted wherever it is installed). */
function oversoldRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../..');
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

function inside(file: string, dir: string): boolean {
  const rel = relative(real(dir), file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

/**
 * Checks the module `ref` that `named` ("the replay file r.json", "the scenario s.json") names,
 * when the user did not choose it with --strategy. Prints its resolved path (stderr) and throws
 * a one-line InputError (exit 2) when it is outside the project and oversold without --trust.
 */
export function trustFileStrategy(ref: string, named: string, values: Record<string, unknown>, io: Io): void {
  if (typeof values.strategy === 'string' || !isStrategyPath(ref)) return;
  const file = real(isAbsolute(ref) ? ref : resolve(io.cwd, ref));
  const project = projectRoot(io.cwd);
  const trusted = values.trust === true || (project !== null && inside(file, project)) || inside(file, oversoldRoot());
  if (!trusted) {
    throw new InputError(
      `${named} names strategy module ${file}, outside this project (${project ?? 'no package.json above ' + io.cwd}): files are code, and that module would run here. Pass --trust to run it, or --strategy to choose the module yourself`,
      'UNTRUSTED_MODULE',
    );
  }
  // Once, by the process the user started (an isolated command runs the same checks again).
  if (!io.isolated) io.err(`oversold: loading strategy module ${file} (named by ${named})`);
}

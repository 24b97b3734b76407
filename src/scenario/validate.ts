// What `oversold validate <files...>` runs: the CLI prints `lines` and exits 0 when ok, else 2.
import { loadScenarioFile } from './load.js';
import { formatProblem } from './problem.js';

export interface ValidateResult {
  /** True when every file is a valid scenario (and at least one was given). */
  ok: boolean;
  /** One line per problem, files in argument order; empty when ok. */
  lines: string[];
}

export function validateFiles(paths: readonly string[]): ValidateResult {
  if (paths.length === 0) return { ok: false, lines: ['oversold validate: no scenario files given'] };
  const lines: string[] = [];
  for (const path of paths) {
    const result = loadScenarioFile(path);
    if (!result.ok) lines.push(...result.problems.map(formatProblem));
  }
  return { ok: lines.length === 0, lines };
}

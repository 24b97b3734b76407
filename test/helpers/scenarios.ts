import { resolve } from 'node:path';
import { loadScenarioFile, parseScenario, type Scenario } from '../../src/scenario/index.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Loads scenarios/<name>.json or fails the test with the loader's problems. */
export function libraryScenario(name: string): Scenario {
  const r = loadScenarioFile(resolve(ROOT, 'scenarios', `${name}.json`));
  if (!r.ok) throw new Error(`scenarios/${name}.json: ${JSON.stringify(r.problems)}`);
  return r.scenario;
}

/** A scenario from an inline object, with every default filled by the real loader. */
export function inlineScenario(input: Record<string, unknown>, name = 'inline'): Scenario {
  const r = parseScenario(JSON.stringify(input), `${name}.json`);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.problems)}`);
  return r.scenario;
}

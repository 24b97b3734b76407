import { expect } from 'vitest';
import { formatProblem, parseScenario, type Scenario, type ScenarioProblem } from '../../src/scenario/index.js';

export const MINIMAL = { items: [{ id: 'vase', stock: 10 }] };

/** Parses `text` as `x.json` and returns the formatted problem lines, asserting they are well-formed. */
export function problemLines(text: string, fileName = 'scenarios/x.json'): string[] {
  const result = parseScenario(text, fileName);
  expect(result.ok, 'expected the scenario to be rejected').toBe(false);
  if (result.ok) return [];
  expect(result.problems.length).toBeGreaterThan(0);
  return result.problems.map((p) => {
    const line = formatProblem(p);
    expectWellFormed(line, fileName);
    return line;
  });
}

export function problemsOf(text: string): ScenarioProblem[] {
  const result = parseScenario(text, 'scenarios/x.json');
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

/** One line, names the file, no stack trace. */
export function expectWellFormed(line: string, fileName: string): void {
  expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
  expect(line).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  expect(line).not.toMatch(/^\s+at /m);
  expect(line.startsWith(fileName)).toBe(true);
}

export function withScenario(patch: Record<string, unknown>): string {
  return JSON.stringify({ ...MINIMAL, ...patch });
}

export function parseOk(value: unknown, fileName = 'scenarios/x.json'): Scenario {
  const result = parseScenario(JSON.stringify(value), fileName);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.scenario;
}

// The test of loadFile.test.ts that makes a FIFO with mkfifo (a process): the fast tier starts
// none (test/setup/fastTier.ts, docs/testing.md), so it runs here, in the slow tier.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, loadScenarioFile } from '../../src/scenario/index.js';

const dir = mkdtempSync(join(tmpdir(), 'oversold-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lines(path: string): string[] {
  const result = loadScenarioFile(path);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('loadScenarioFile', () => {
  it('does not hang on a named pipe', () => {
    const path = join(dir, 'fifo.json');
    try {
      execFileSync('mkfifo', [path]);
    } catch {
      return; // no mkfifo here
    }
    expect(lines(path)[0]).toContain('found something that is not a regular file');
  });
});

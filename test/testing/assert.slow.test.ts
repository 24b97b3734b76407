// The test-suite helpers as a user's suite meets them: global fast-check settings honoured,
// a random seed on offer, failures in check's words (with the anomaly explained), replay files
// named by content, and printed commands that run from where the user stands.
// The tests of assert.test.ts that start worker threads or processes: the fast tier starts
// neither (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { assertStrategyHolds, CounterexampleError, readReplayFile } from '../../src/index.js';
import { ROOT } from '../helpers/scenarios.js';
import { run } from '../helpers/memoryIo.js';

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

afterEach(() => fc.resetConfigureGlobal());

describe('assertStrategyHolds', () => {
  it('strategyRef takes a URL (import.meta.url style): the replay file finds the module from anywhere', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'oversold-assert-'));
    const url = pathToFileURL(join(ROOT, 'test/fixtures/throwing-strategy.ts'));
    const mod = (await import('../fixtures/throwing-strategy.js')).default;
    const e = thrown(() => assertStrategyHolds('flash-sale', mod, { numRuns: 3, cwd, strategyRef: url }));
    const file = (e as CounterexampleError).replayFile!;
    expect(readReplayFile(file, cwd).strategyRef).toBe(join(ROOT, 'test/fixtures/throwing-strategy.ts'));
    expect(e.message).toMatch(/--strategy \/\S+throwing-strategy\.ts/);
    const r = await run(['replay', file], { cwd });
    expect(r.stdout).toContain('matches the recording');
  });
});

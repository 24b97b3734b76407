// A sweep's worker never detaches an ArrayBuffer (its replies copy the latency histogram rather
// than transfer it): the first detach in a thread invalidates V8's ArrayBufferDetaching
// protector, and every optimised function of that thread that reads a typed array was thrown
// away and compiled again, in every worker (docs/benchmarks.md, "Warm-up of a 2-worker sweep").
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../helpers/scenarios.js';

describe('sweep workers and typed arrays', () => {
  it('a sweep of several chunks on two workers invalidates no ArrayBufferDetaching protector', () => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const r = spawnSync(process.execPath, ['--trace-protector-invalidation', resolve(ROOT, 'dist/cli/main.js'), 'sweep', 'scenarios/flash-sale.json', '--strategy', 'reservation', '--seeds', '300', '--workers', '2', '--json'], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // V8 prints its traces on stdout: the report is the last line, and it ran every seed.
    expect(JSON.parse(lines[lines.length - 1]).runs).toBe(300);
    expect(lines.filter((l) => l.includes('ArrayBufferDetaching'))).toEqual([]);
  });
});

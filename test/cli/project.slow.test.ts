// Commands that work from the user's project: init's files, export's strategy path, CI
// reporters and --shard auto.
// The tests of project.test.ts that start worker threads (sweeps) or load a user's .mjs module
// that imports 'oversold' by name (node resolves it to dist/): the fast tier does neither
// (test/setup/fastTier.ts, docs/testing.md), so they run here, in the slow tier.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/scenarios.js';
import { run } from '../helpers/memoryIo.js';

// Inside the package, so the starter's `import ... from 'oversold'` resolves (self-reference).
function tmpInRepo(name: string): string {
  mkdirSync(join(ROOT, '.oversold/test'), { recursive: true });
  return mkdtempSync(join(ROOT, '.oversold/test', `${name}-`));
}

describe('CI reporters', () => {
  it('sweep --reporter junit=FILE --reporter github: a JUnit file with one case per invariant, and annotations', async () => {
    const cwd = tmpInRepo('junit');
    const r = await run(['sweep', 'flash-sale', '--strategy', 'naive', '--seeds', '5', '--workers', '1', '--reporter', 'junit=out/j.xml', '--reporter', 'github'], { cwd });
    expect(r.code).toBe(1);
    const xml = readFileSync(join(cwd, 'out/j.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="oversold" tests="8" failures="\d+"/);
    expect(xml).toMatch(/<testcase classname="oversold sweep flash-sale · naive" name="unique-units"[^>]*>\n\s*<failure message="unique-units broke in \d+ runs/);
    expect(xml).toMatch(/<testcase [^>]*name="no-leak"[^>]*\/>/);
    expect(r.stdout).toMatch(/^::error title=oversold sweep flash-sale · naive%3A unique-units broke in \d+ runs \(first%3A seed \d+\)::unique-units broke in/m);
    expect(r.stdout).toMatch(/%0Areplay: npx oversold run flash-sale --strategy naive --seed \d+/);
    expect(r.stdout).not.toContain('file=flash-sale'); // a built-in named by name is no file of the user's
  });
});

describe('--shard auto', () => {
  it('a sweep with --shard auto runs the same slice as --shard i/n', async () => {
    const a = await run(['sweep', 'flash-sale', '--strategy', 'naive', '--seeds', '9', '--workers', '1', '--shard', 'auto', '--json'], { env: { JOB_COMPLETION_INDEX: '1', OVERSOLD_SHARD_COUNT: '3' } });
    const b = await run(['sweep', 'flash-sale', '--strategy', 'naive', '--seeds', '9', '--workers', '1', '--shard', '2/3', '--json']);
    const strip = (t: string) => ({ ...JSON.parse(t), elapsedMs: 0, runsPerSecond: 0 });
    expect(strip(a.stdout)).toEqual(strip(b.stdout));
    expect(JSON.parse(a.stdout).seedRanges).toEqual([[4, 7]]);
  });
});

describe('--json ranges: one convention (docs/cli.md)', () => {
  it('every range is [start, end): end exclusive', async () => {
    const r = JSON.parse((await run(['sweep', 'flash-sale', '--strategy', 'naive', '--seeds', '10', '--start', '5', '--workers', '1', '--shard', '1/2', '--json'])).stdout);
    expect(r.requested).toEqual({ start: 5, count: 10 });
    expect(r.seedRanges).toEqual([[5, 10]]);
    expect(r.tally.ranges).toEqual([[5, 10]]);
    expect(r.runs).toBe(5);
    expect(existsSync(join(ROOT, 'docs/cli.md'))).toBe(true);
    expect(readFileSync(join(ROOT, 'docs/cli.md'), 'utf8')).toMatch(/Every range in `--json` is `\[start, end\)`/);
  });
});

describe('export names the strategy module relative to the written scenario', () => {
  it('so the exported scenario runs from any directory', async () => {
    const cwd = tmpInRepo('export');
    const rec = await run(['run', 'flash-sale', '--strategy', resolve(ROOT, 'examples/my-strategy.ts'), '--seed', '3', '--record', 'r.json', '--watchdog-s', '0'], { cwd });
    expect(rec.code).toBe(0);
    // A failing run to export: the naive strategy, from a module path.
    mkdirSync(join(cwd, 'strategies'));
    writeFileSync(join(cwd, 'strategies/naive.mjs'), "export { naive as default } from 'oversold';\n");
    const failing = await run(['run', 'flash-sale', '--strategy', './strategies/naive.mjs', '--seed', '7', '--record', 'f.json', '--watchdog-s', '0'], { cwd });
    expect(failing.code).toBe(1);
    const out = await run(['export', 'f.json', '-o', 'deep/down/found.json'], { cwd });
    expect(out.code).toBe(0);
    const written = JSON.parse(readFileSync(join(cwd, 'deep/down/found.json'), 'utf8'));
    expect(written.strategy.name).toBe('../../strategies/naive.mjs');
    const elsewhere = await run(['run', 'found.json', '--watchdog-s', '0'], { cwd: join(cwd, 'deep/down') });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain('replay   npx oversold run found.json --strategy ../../strategies/naive.mjs');
    const fromRoot = await run(['run', 'deep/down/found.json', '--watchdog-s', '0'], { cwd });
    expect(fromRoot.code).toBe(1);
  });
});

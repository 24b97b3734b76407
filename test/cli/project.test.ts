// Commands that work from the user's project: init's files, export's strategy path, CI
// reporters and --shard auto.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStrategy } from '../../src/explore/loadStrategy.js';
import { shardOf } from '../../src/cli/shardFlag.js';
import { githubAnnotations, junitXml } from '../../src/report/ciReport.js';
import { STARTER_STRATEGY } from '../../src/cli/commands/init.js';
import { ROOT } from '../helpers/scenarios.js';
import { run } from '../helpers/memoryIo.js';

// Inside the package, so the starter's `import ... from 'oversold'` resolves (self-reference).
function tmpInRepo(name: string): string {
  mkdirSync(join(ROOT, '.oversold/test'), { recursive: true });
  return mkdtempSync(join(ROOT, '.oversold/test', `${name}-`));
}

describe('oversold init', () => {
  it('writes a starter strategy, its test and a .gitignore entry; the strategy holds', async () => {
    const cwd = tmpInRepo('init');
    writeFileSync(join(cwd, '.gitignore'), 'node_modules');
    const r = await run(['init'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote    oversold/my-strategy.ts');
    expect(r.stdout).toContain('npx oversold check flash-sale-chaos --strategy ./oversold/my-strategy.ts');
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8')).toBe("node_modules\n# oversold's replay files (npx oversold replay FILE)\n.oversold/\n");
    expect(readFileSync(join(cwd, 'oversold/my-strategy.test.ts'), 'utf8')).toContain("assertStrategyHolds('flash-sale-chaos', myStrategy");
    expect(readFileSync(join(cwd, 'oversold/my-strategy.ts'), 'utf8')).toBe(STARTER_STRATEGY);
    const check = await run(['check', 'flash-sale-chaos', '--strategy', './oversold/my-strategy.ts', '--runs', '30', '--watchdog-s', '0'], { cwd });
    expect(check.stdout).toMatch(/^OK  flash-sale-chaos · strategy my-strategy/);
    expect((await loadStrategy('./oversold/my-strategy.ts', cwd)).safe).toBe(true);
  });

  it('never overwrites: a second init writes nothing and exits 2; the .gitignore entry is not doubled', async () => {
    const cwd = tmpInRepo('init');
    expect((await run(['init'], { cwd })).code).toBe(0);
    const again = await run(['init'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/oversold\/my-strategy\.ts and oversold\/my-strategy\.test\.ts already exist: nothing written/);
    expect((await run(['init', '--dir', 'test/x'], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8').match(/\.oversold\//g)).toHaveLength(1);
  });
});

describe('check explains what it found', () => {
  it('the counterexample comes with its anomaly, in the text and in --json', async () => {
    const cwd = tmpInRepo('check');
    const r = await run(['check', 'flash-sale', '--strategy', 'naive', '--runs', '30'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\n {4}↳ (lost update|stale read): o\d+ read stock=/);
    const j = JSON.parse((await run(['check', 'flash-sale', '--strategy', 'naive', '--runs', '30', '--json'], { cwd })).stdout);
    expect(j.explanations[0].anomaly).toMatch(/lost-update|stale-read/);
  });
});

describe('CI reporters', () => {
  it('check and validate report too; validate annotates file, line and column', async () => {
    const cwd = tmpInRepo('junit');
    writeFileSync(join(cwd, 'bad.json'), '{\n  "items": [{ "id": "vase", "stock": -1 }]\n}\n');
    const v = await run(['validate', 'bad.json', 'flash-sale', '--reporter', 'github', '--reporter', 'junit'], { cwd });
    expect(v.code).toBe(2);
    expect(v.stdout).toMatch(/^::error file=bad\.json,line=2,col=\d+,title=oversold validate%3A 1 problem::bad\.json:2:\d+: \$\.items\[0\]\.stock/m);
    expect(readFileSync(join(cwd, 'oversold-junit.xml'), 'utf8')).toMatch(/tests="2" failures="1"/);
    const c = await run(['check', 'flash-sale', '--strategy', 'naive', '--runs', '20', '--reporter', 'junit=c.xml', '--json'], { cwd });
    expect(c.code).toBe(1);
    expect(readFileSync(join(cwd, 'c.xml'), 'utf8')).toMatch(/<failure message="(no-oversell|unique-units): counterexample found"/);
    expect((await run(['check', 'flash-sale', '--reporter', 'xunit'], { cwd })).stderr).toMatch(/--reporter takes junit, junit=FILE or github, got "xunit"/);
  });

  it('escapes what it must', () => {
    const suites = [{ name: 'a<b', cases: [{ name: 'x&y', failure: { title: 'one, two: three', details: 'line1\nline2 100%\u001b[31m', file: 'f.json', line: 3 } }] }];
    expect(junitXml(suites)).toContain('<testcase classname="a&lt;b" name="x&amp;y" file="f.json"');
    expect(junitXml(suites)).not.toContain('\u001b');
    expect(githubAnnotations(suites)).toEqual(['::error file=f.json,line=3,title=a<b%3A one%2C two%3A three::line1%0Aline2 100%25\u001b[31m']);
  });
});

describe('--shard auto', () => {
  const auto = { shard: 'auto' };
  it('takes the index from OVERSOLD_SHARD_INDEX (1-based) or JOB_COMPLETION_INDEX (0-based), the count from --shards or OVERSOLD_SHARD_COUNT', () => {
    expect(shardOf({ ...auto, shards: 4 }, { OVERSOLD_SHARD_INDEX: '2' })).toEqual({ index: 2, count: 4 });
    expect(shardOf(auto, { OVERSOLD_SHARD_INDEX: '3', OVERSOLD_SHARD_COUNT: '3' })).toEqual({ index: 3, count: 3 });
    expect(shardOf(auto, { JOB_COMPLETION_INDEX: '0', OVERSOLD_SHARD_COUNT: '4' })).toEqual({ index: 1, count: 4 });
    expect(shardOf({ shard: '2/5' }, {})).toEqual({ index: 2, count: 5 });
    expect(shardOf({}, {})).toBeNull();
  });
  it('says what is missing', () => {
    expect(() => shardOf(auto, { OVERSOLD_SHARD_INDEX: '1' })).toThrow(/needs the number of shards: --shards N, or \$OVERSOLD_SHARD_COUNT/);
    expect(() => shardOf({ ...auto, shards: 2 }, {})).toThrow(/\$OVERSOLD_SHARD_INDEX .* or \$JOB_COMPLETION_INDEX/);
    expect(() => shardOf({ ...auto, shards: 2 }, { JOB_COMPLETION_INDEX: '2' })).toThrow(/i must be between 1 and 2, got 3/);
    expect(() => shardOf({ shards: 2 }, {})).toThrow(/--shards N goes with --shard auto/);
  });
});


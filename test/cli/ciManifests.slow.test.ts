// The committed CI examples (docs/ci/*.yml) are run, not just read: every matrix entry of the
// GitHub Actions workflow and every index of the Kubernetes Indexed Job runs its command line
// as written (npx oversold → this build, a smaller SEEDS), and the merge of their results must
// equal the unsharded sweep. Slow tier: each command is a real process.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/scenarios.js';

const CLI = `node ${resolve(ROOT, 'dist/cli/main.js')}`;
const SEEDS = '120';

/** A project inside the package (so `import ... from 'oversold'` resolves) with the strategy the examples name. */
function project(): string {
  mkdirSync(join(ROOT, '.oversold/test'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, '.oversold/test', 'ci-'));
  mkdirSync(join(dir, 'src'));
  copyFileSync(join(ROOT, 'examples/my-strategy.ts'), join(dir, 'src/my-strategy.ts'));
  return dir;
}

/** Runs a command line as the engine would (a shell), with npx oversold meaning this build. */
function sh(line: string, cwd: string, env: Record<string, string>): number {
  const r = spawnSync('sh', ['-c', line.replace(/npx oversold/g, CLI)], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${line} exited ${r.status}: ${r.stderr}`);
  return r.status;
}

/** The fields of a sweep result that do not depend on timing. */
function comparable(json: string): Record<string, unknown> {
  const r = JSON.parse(json);
  return { runs: r.runs, failingSeeds: r.failingSeeds, violationsByInvariant: r.violationsByInvariant, firstFailure: r.firstFailure, seedRanges: r.seedRanges, missingSeedRanges: r.missingSeedRanges, goodputMean: r.goodputMean, latencyMs: r.latencyMs, tally: r.tally, scenarioHash: r.scenarioHash };
}

function unsharded(dir: string, env: Record<string, string>): Record<string, unknown> {
  return comparable(execFileSync('sh', ['-c', `${CLI} sweep "$SCENARIO" --strategy "$STRATEGY" --seeds "$SEEDS" --json || test $? -eq 1`], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' }));
}

function merged(dir: string, files: string): Record<string, unknown> {
  return comparable(execFileSync('sh', ['-c', `${CLI} merge ${files} --json || test $? -eq 1`], { cwd: dir, encoding: 'utf8' }));
}

describe('docs/ci/github-actions-sweep.yml', () => {
  const wf = parse(readFileSync(join(ROOT, 'docs/ci/github-actions-sweep.yml'), 'utf8'));
  const expand = (s: string, vars: Record<string, string>) => s.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, k: string) => vars[k]);

  it('every matrix entry runs its sweep step; the merge step merges them; the merge equals the unsharded sweep', { timeout: 900_000 }, () => {
    const dir = project();
    const shards: number[] = wf.jobs.sweep.strategy.matrix.shard;
    const base: Record<string, string> = { ...wf.env, SEEDS };
    expect(Number(base.OVERSOLD_SHARD_COUNT)).toBe(shards.length);
    const sweepStep = wf.jobs.sweep.steps.find((s: { run?: string }) => s.run?.includes('oversold sweep'));
    for (const shard of shards) {
      const jobEnv = Object.fromEntries(Object.entries(wf.jobs.sweep.env as Record<string, string>).map(([k, v]) => [k, expand(String(v), { shard: String(shard) })]));
      sh(sweepStep.run, dir, { ...base, ...jobEnv });
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('sweep-')).sort()).toEqual(shards.map((s) => `sweep-${s}.json`));
    const mergeStep = wf.jobs.merge.steps.find((s: { run?: string }) => s.run?.includes('oversold merge'));
    sh(mergeStep.run, dir, base);
    expect(readFileSync(join(dir, 'oversold-junit.xml'), 'utf8')).toContain('<testsuite name="oversold sweep flash-sale-chaos · my-decrement"');
    expect(merged(dir, 'sweep-*.json')).toEqual(unsharded(dir, base));
  });
});

describe('docs/ci/kubernetes-sweep-job.yml', () => {
  const job = parse(readFileSync(join(ROOT, 'docs/ci/kubernetes-sweep-job.yml'), 'utf8'));

  it('every index of the Indexed Job runs the pod\'s command; the merge equals the unsharded sweep', { timeout: 900_000 }, () => {
    const dir = project();
    const results = join(dir, 'results');
    mkdirSync(results);
    expect(job.spec.completionMode).toBe('Indexed');
    const c = job.spec.template.spec.containers[0];
    const env: Record<string, string> = { ...Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value])), SEEDS };
    expect(Number(env.OVERSOLD_SHARD_COUNT)).toBe(job.spec.completions);
    expect(c.command).toEqual(['sh', '-c']);
    const script = String(c.args[0]).replace(/\/results\//g, `${results}/`);
    for (let i = 0; i < job.spec.completions; i++) {
      // The pod succeeds (exit 0) whether or not a seed broke an invariant.
      expect(sh(script, dir, { ...env, JOB_COMPLETION_INDEX: String(i) })).toBe(0);
    }
    expect(readdirSync(results).length).toBe(job.spec.completions);
    expect(merged(dir, 'results/*.json')).toEqual(unsharded(dir, env));
  });
});

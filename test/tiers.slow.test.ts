// The test tiers' own rules (docs/testing.md): under CI=true a skipped test fails the run;
// locally it stays a skip. Runs vitest on a two-test fixture suite in a subprocess.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from './helpers/scenarios.js';

function vitest(env: Record<string, string>): { code: number | null; output: string } {
  const dir = resolve(ROOT, 'test/fixtures/ci-skip');
  const r = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', resolve(dir, 'vitest.config.ts')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CI: '', GITHUB_ACTIONS: '', NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { code: r.status, output: r.stdout + r.stderr };
}

describe('skipped tests', () => {
  it('fail the run under CI=true, naming the test', () => {
    const r = vitest({ CI: 'true' });
    expect(r.code, r.output).toBe(1);
    expect(r.output).toContain('CI=true: 1 skipped test counts as failed');
    expect(r.output).toContain('skipped.fixture.ts > is skipped');
  });

  it('stay skips outside CI', () => {
    const r = vitest({});
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/1 passed \| 1 skipped/);
  });
});

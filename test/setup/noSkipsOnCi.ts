// A vitest reporter: under CI=true a skipped test is a failure. A green CI run must mean every
// test ran (a browser test that skips itself because chromium is missing would otherwise pass
// silently). Locally, skips stay skips.
import type { Reporter, TestModule } from 'vitest/node';

export function skippedTests(modules: ReadonlyArray<TestModule>): string[] {
  const out: string[] = [];
  for (const m of modules) {
    for (const t of m.children.allTests()) {
      const state = t.result().state;
      if (state === 'skipped' || state === 'pending') out.push(`${m.moduleId.replace(/^.*?\/test\//, 'test/')} > ${t.fullName}`);
    }
  }
  return out;
}

export function ciForbidsSkips(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
}

export default class NoSkipsOnCi implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (!ciForbidsSkips(process.env)) return;
    const skipped = skippedTests(modules);
    if (skipped.length === 0) return;
    process.stderr.write(`\nCI=true: ${skipped.length} skipped ${skipped.length === 1 ? 'test counts' : 'tests count'} as failed:\n${skipped.map((s) => `  ${s}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}

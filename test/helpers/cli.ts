import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from './scenarios.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI (dist/, built by `pretest`) in a fresh process, as a user would. */
export function cli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

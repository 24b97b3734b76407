import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { main } from '../../src/cli/cli.js';
import type { Io } from '../../src/cli/io.js';
import { ROOT } from './scenarios.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in this process: `main(argv, io)` with an Io that captures what each command
 * writes, exactly as the entry point would print it (a line per call). The default for CLI
 * tests; use spawnCli only where the process is the point (exit status, pipes, signals).
 * Commands that run a user strategy still use a watched thread, which loads dist/ (built by
 * the slow tier's global setup): such tests are slow-tier tests (test/setup/fastTier.ts).
 */
export async function cli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => (stdout += `${t}\n`),
    err: (t) => (stderr += `${t}\n`),
    errRaw: (t) => (stderr += t),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    cwd: opts.cwd ?? ROOT,
    wallMs: () => performance.now(), // wall-clock: runs/s in progress lines only
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Runs the built CLI (dist/) in a fresh process, as a user would. */
export function spawnCli(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

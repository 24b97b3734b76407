import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { CliRun } from './cli.js';
import { ROOT } from './scenarios.js';

/** The built CLI in a fresh process, asynchronously (cases run side by side); killed after `timeoutMs`. */
export function cliAsync(args: readonly string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  // A hang must fail the test, not the suite.
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 50_000);
  return new Promise((done) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

import { main } from '../../src/cli/cli.js';
import type { CliRun } from './cli.js';
import { ROOT } from './scenarios.js';

/** Runs `oversold <argv>` in this process (no build, no node start-up), capturing its lines. */
export async function runMain(argv: readonly string[], opts: { cwd?: string } = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    errRaw: () => {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: { NO_COLOR: '1' },
    cwd: opts.cwd ?? ROOT,
    wallMs: () => 0,
  });
  return { code, stdout: out.map((l) => l + '\n').join(''), stderr: err.map((l) => l + '\n').join('') };
}

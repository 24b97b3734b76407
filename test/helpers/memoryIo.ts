import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/cli.js';
import { ROOT } from './scenarios.js';

export interface MemoryRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** An Io that keeps what a command prints: for in-process `main(argv, io)` tests. */
export function memoryIo(opts: Partial<Omit<Io, 'out' | 'err'>> = {}): Io & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    errRaw: (t) => void stderr.push(t),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    env: { NO_COLOR: '1' },
    cwd: ROOT,
    wallMs: () => 0,
    ...opts,
    stdout,
    stderr,
  };
}

/** `oversold <argv>` in this process. */
export async function run(argv: readonly string[], opts: Partial<Omit<Io, 'out' | 'err'>> = {}): Promise<MemoryRun> {
  const io = memoryIo(opts);
  const code = await main(argv, io);
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}
